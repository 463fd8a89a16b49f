// `npm run admin -- <command> …`: operator commands (see README, "Command line"); the logic is in src/ops/.
import { runCli } from "../src/ops/cli.ts";

process.exitCode = await runCli(process.argv.slice(2));
