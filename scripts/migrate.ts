// Applies pending migrations to the configured database (`npm run migrate`) and exits.
import { loadConfigFromProcess } from "../src/config.ts";
import { migrate } from "../src/db/migrate.ts";
import { openDatabase } from "../src/db/open.ts";

const config = loadConfigFromProcess();
const db = await openDatabase(config);
try {
  const applied = await migrate(db);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "nothing to apply");
} finally {
  await db.close();
}
