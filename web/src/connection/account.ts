import { deletionRefusal, type DeletionRefusal } from "../lib/account.ts";
import { authedFetch, whileLeaving } from "./auth.ts";
import { postJson } from "./http.ts";

export type ExportResult = { ok: true; blob: Blob } | { ok: false; reason: "rate_limited"; retryAfter: number } | { ok: false; reason: "network" | "failed" };

/**
 * `GET /account/export`: everything the account owns and received, as JSON lines, read to its end. `onProgress` is
 * told the bytes received so far. The file is held as a Blob (what the browser needs to save it).
 */
export async function fetchExport(onProgress: (bytes: number) => void): Promise<ExportResult> {
  const response = await authedFetch("/account/export", { headers: { accept: "application/x-ndjson" } });
  if (!response) return { ok: false, reason: "network" };
  if (response.status === 429) {
    const retry = Number(response.headers.get("retry-after"));
    return { ok: false, reason: "rate_limited", retryAfter: Number.isFinite(retry) && retry > 0 ? retry : 60 };
  }
  if (!response.ok || !response.body) return { ok: false, reason: "failed" };
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.byteLength;
      onProgress(bytes);
    }
  } catch {
    // Cut off midway: a partial export is worse than none.
    return { ok: false, reason: "network" };
  }
  return { ok: true, blob: new Blob(chunks as BlobPart[], { type: "application/x-ndjson" }) };
}

interface FreshLogin {
  access_token?: string;
  refresh_token?: string;
  code?: string;
}

/**
 * Deletes the account: logs in again with the password (the server wants a token from a login in the last 5
 * minutes), then `DELETE /account` with that login's token. The extra login lives only inside this call: on success
 * the server ends every login of the account; otherwise it is logged out again here, so no second session is left.
 */
export async function deleteAccount(username: string, password: string): Promise<{ ok: true } | ({ ok: false } & DeletionRefusal)> {
  // Not the cookie login: that would replace this device's session cookie and leave its login behind on the server.
  const login = await postJson<FreshLogin>("/login", { username, password });
  const fresh = login.body;
  if (login.status !== 200 || !fresh.access_token) return { ok: false, ...deletionRefusal("login", login.status, fresh, login.retryAfter) };
  let deleted = false;
  try {
    const answer = await whileLeaving(() => deleteJson("/account", { password }, fresh.access_token!));
    if (answer.status === 200) {
      deleted = true;
      return { ok: true };
    }
    return { ok: false, ...deletionRefusal("delete", answer.status, answer.body, answer.retryAfter) };
  } finally {
    if (!deleted && fresh.refresh_token) await postJson("/logout", { refresh_token: fresh.refresh_token });
  }
}

async function deleteJson(path: string, body: unknown, token: string): Promise<{ status: number; body: { code?: unknown }; retryAfter: number | null }> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: "DELETE",
      headers: { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    return { status: 0, body: {}, retryAfter: null };
  }
  const parsed = (await response.json().catch(() => ({}))) as { code?: unknown } | null;
  const retry = Number(response.headers.get("retry-after"));
  return { status: response.status, body: parsed ?? {}, retryAfter: Number.isFinite(retry) && retry > 0 ? retry : null };
}
