// `npm run restore -- <file> [--force]`: into an empty DATA_DIR or database (see README, "Backups").
import { restoreCli } from "../src/ops/restore-cli.ts";

process.exitCode = await restoreCli(process.argv.slice(2));
