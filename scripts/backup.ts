// `npm run backup -- <file>`: one archive of the database and the media (see README, "Backups").
import { runCli } from "../src/ops/cli.ts";

process.exitCode = await runCli(["backup", ...process.argv.slice(2)]);
