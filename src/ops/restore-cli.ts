import path from "node:path";
import { ConfigError, loadConfigFromProcess } from "../config.ts";
import { restoreBackup, RestoreRefused } from "./restore.ts";

const USAGE = "usage: npm run restore -- <file> [--force]   (--force empties a non-empty target first)";

/** `npm run restore`: resolves with the exit code (0 restored, 1 refused or failed, 2 usage). */
export async function restoreCli(argv: readonly string[]): Promise<number> {
  const force = argv.includes("--force");
  const files = argv.filter((a) => a !== "--force");
  if (files.length !== 1 || files[0]!.startsWith("-")) {
    process.stderr.write(USAGE + "\n");
    return 2;
  }
  try {
    const config = loadConfigFromProcess();
    const { lines } = await restoreBackup(config, path.resolve(files[0]!), { force });
    process.stdout.write(lines.join("\n") + "\n");
    return 0;
  } catch (err) {
    const refused = err instanceof RestoreRefused || err instanceof ConfigError;
    process.stderr.write(`${refused ? "restore refused" : "restore failed"}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
