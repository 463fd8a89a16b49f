import path from "node:path";
import { ConfigError, loadConfigFromProcess, type Config } from "../config.ts";
import { UsageError } from "./command.ts";
import { commands, usage } from "./commands.ts";
import { callControl, controlSocketPath } from "./control-socket.ts";

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const stdio: CliIo = { out: (t) => process.stdout.write(t + "\n"), err: (t) => process.stderr.write(t + "\n") };

/**
 * `npm run admin -- <command> …` (and `npm run backup`): sent to the server running on this DATA_DIR through its
 * control socket when there is one — with the embedded database it holds the data, and it holds the live sockets —
 * otherwise run here against the configured database. Resolves with the exit code: 0, 1 (the command failed), 2 (usage).
 */
export async function runCli(argv: readonly string[], io: CliIo = stdio): Promise<number> {
  let config: Config;
  try {
    config = loadConfigFromProcess();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(err.message);
    return 1;
  }
  const [name = "", ...rest] = argv;
  if (!Object.hasOwn(commands, name)) {
    io.err(name && name !== "help" && name !== "--help" ? `unknown command: ${name}\n${usage()}` : usage());
    return 2;
  }
  // Paths are the caller's: the server's working directory may differ.
  const args = name === "backup" && rest[0] ? [path.resolve(rest[0]), ...rest.slice(1)] : rest;
  try {
    const reply = await callControl(controlSocketPath(config.dataDir), { command: name, args });
    if (reply) {
      if (reply.ok) io.out(reply.output);
      else io.err(reply.usage ? reply.error : `error: ${reply.error}`);
      return reply.ok ? 0 : reply.usage ? 2 : 1;
    }
    // Loaded only here: a command the server answers needs none of the server's code in this process.
    const { runHere } = await import("./direct.ts");
    io.out(await runHere(config, name, args));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(err.message);
      return 2;
    }
    io.err(`error: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
