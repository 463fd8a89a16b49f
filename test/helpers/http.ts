/** A JSON request to a test server: the status, the parsed body and the headers. */
export async function http(
  baseUrl: string,
  method: "GET" | "POST",
  url: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(baseUrl + url, {
    method,
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
}

export const post = (baseUrl: string, url: string, body: unknown) => http(baseUrl, "POST", url, body);
