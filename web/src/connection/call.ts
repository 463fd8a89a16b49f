import type { TelegraphClient } from "telegraph-client";
import { currentClient } from "./socket.ts";

/** Why something could not be done, in words a view can show. */
export type Failure = "offline" | "not_found" | "forbidden" | "failed";

export type Result<T> = { ok: true; value: T } | { ok: false; error: Failure };

function codeOf(err: unknown): Failure {
  const code = (err as { code?: string } | null)?.code;
  return code === "not_found" || code === "forbidden" ? code : "failed";
}

/** Runs one request on the open connection; a refusal or a lost connection becomes a Result, never a throw. */
export async function call<T>(run: (client: TelegraphClient) => Promise<T>): Promise<Result<T>> {
  const client = currentClient();
  if (!client?.socket.connected) return { ok: false, error: "offline" };
  try {
    return { ok: true, value: await run(client) };
  } catch (err) {
    return { ok: false, error: codeOf(err) };
  }
}
