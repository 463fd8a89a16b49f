import { chmod, rm } from "node:fs/promises";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import path from "node:path";
import { z } from "zod";

/**
 * The running server's local door for `npm run backup` and `npm run admin`: a Unix socket in DATA_DIR, mode 600 (only
 * the account that runs Telegraph can use it). With the embedded database it is the only way in, since the server
 * holds PGlite's files; with PostgreSQL it lets a command reach the server's live sockets (suspend). One JSON line
 * each way per connection.
 */
export const controlSocketPath = (dataDir: string) => path.join(dataDir, "control.sock");

export const controlRequestSchema = z.object({ command: z.string(), args: z.array(z.string()) });
export type ControlRequest = z.infer<typeof controlRequestSchema>;

/** What a command answers: the text to print, or an error (printed to stderr, non-zero exit). */
export type ControlReply = { ok: true; output: string } | { ok: false; error: string; usage?: boolean };

const replySchema = z.union([
  z.object({ ok: z.literal(true), output: z.string() }),
  z.object({ ok: z.literal(false), error: z.string(), usage: z.boolean().optional() }),
]);

/**
 * Listens on `file` (a stale one left by a crash is replaced) and answers each request with `handle`. Resolves null
 * when another server already answers there: cluster nodes on PostgreSQL may share a DATA_DIR, and any one of them
 * can serve a command.
 */
export async function listenControl(file: string, handle: (request: ControlRequest) => Promise<ControlReply>): Promise<{ close(): Promise<void> } | null> {
  if (await answers(file)) return null;
  await rm(file, { force: true });
  const server: Server = createServer((socket) => serve(socket, handle));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(file, () => resolve());
  });
  await chmod(file, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A command still running (a backup) keeps its connection: the server stops waiting for it.
        setTimeout(resolve, 1000).unref();
      }),
  };
}

function serve(socket: Socket, handle: (request: ControlRequest) => Promise<ControlReply>): void {
  let input = "";
  socket.setEncoding("utf8");
  socket.on("error", () => undefined);
  socket.on("data", (chunk: string) => {
    input += chunk;
    const end = input.indexOf("\n");
    if (end < 0) return;
    socket.removeAllListeners("data");
    const answer = (reply: ControlReply) => socket.end(JSON.stringify(reply) + "\n");
    let request: ControlRequest;
    try {
      request = controlRequestSchema.parse(JSON.parse(input.slice(0, end)));
    } catch {
      answer({ ok: false, error: "not a control request" });
      return;
    }
    handle(request).then(answer, (err: unknown) => answer({ ok: false, error: err instanceof Error ? err.message : String(err) }));
  });
}

/** True when a server answers on `file`. */
export async function answers(file: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(file);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Sends one request to the server on `file`; undefined when no server listens there. */
export async function callControl(file: string, request: ControlRequest): Promise<ControlReply | undefined> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(file);
    let connected = false;
    let output = "";
    socket.setEncoding("utf8");
    socket.once("connect", () => {
      connected = true;
      socket.write(JSON.stringify(request) + "\n");
    });
    socket.on("data", (chunk: string) => (output += chunk));
    socket.once("error", (err) => (connected ? reject(new Error(`the server's control socket failed: ${err.message}`)) : resolve(undefined)));
    socket.once("end", () => {
      try {
        resolve(replySchema.parse(JSON.parse(output)));
      } catch {
        reject(new Error("the server closed its control socket without an answer (did it stop?)"));
      }
    });
  });
}

/**
 * Takes DATA_DIR's control socket for a process that opens the embedded database itself (a command with no server
 * running, a restore): PGlite has no lock of its own, so this is what keeps a server, or a second command, from opening
 * the same files meanwhile. Null when someone holds it already.
 */
export function holdDataDir(dataDir: string, holder: string): Promise<{ close(): Promise<void> } | null> {
  return listenControl(controlSocketPath(dataDir), async () => ({ ok: false, error: `${holder} is using this DATA_DIR right now; try again when it is done` }));
}
