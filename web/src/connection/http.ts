/** The answer of an HTTP call: status, parsed JSON body (or null), and the Retry-After seconds when given. */
export interface HttpAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
  retryAfter: number | null;
}

/** POSTs JSON to the same origin. Network failures answer status 0. */
export async function postJson<T = Record<string, unknown>>(path: string, body: unknown, options: { csrf?: boolean } = {}): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (options.csrf) headers["x-telegraph-csrf"] = "1";
  let response: Response;
  try {
    response = await fetch(path, { method: "POST", headers, body: JSON.stringify(body ?? {}), credentials: "same-origin" });
  } catch {
    return { status: 0, body: {} as T, retryAfter: null };
  }
  let parsed: unknown = {};
  try {
    parsed = await response.json();
  } catch {
    parsed = {};
  }
  const retry = Number(response.headers.get("retry-after"));
  return { status: response.status, body: (parsed ?? {}) as T, retryAfter: Number.isFinite(retry) && retry > 0 ? retry : null };
}

/** Field errors of a 400 answer, by field name. */
export function fieldErrors(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const details = (body as { details?: { field?: string; message?: string }[] } | null)?.details;
  if (Array.isArray(details)) for (const d of details) if (d.field && !out[d.field]) out[d.field.replace(/^body\./, "")] = humanize(d.message ?? "Invalid");
  return out;
}

/** Schema messages in plain words ("Too small: expected string to have >=3 characters" → "At least 3 characters."). */
function humanize(message: string): string {
  const small = /too small.*>=\s*(\d+)\s*characters/i.exec(message);
  if (small) return small[1] === "1" ? "Required." : `At least ${small[1]} characters.`;
  const big = /too big.*<=\s*(\d+)\s*characters/i.exec(message);
  if (big) return `At most ${big[1]} characters.`;
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
