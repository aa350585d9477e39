/**
 * `npm run migrate` (`node dist/gateway/cli/migrate.js` in the image): applies the migrations this release
 * carries and exits, the one-off job of an upgrade across several instances (docs/guide/operations.md,
 * "Upgrading"). Instances also migrate at start under the same advisory lock, so running it is never wrong,
 * only earlier. On the embedded default it refuses a PGlite folder a running hub holds.
 */
import { join } from "node:path";
import { configFromEnv } from "../config.js";
import { sealPlainAtStart } from "../persistence/dataAtRest.js";
import { developmentDataKeys, useDataKeys } from "../persistence/dataCipher.js";
import { openDatabase } from "../persistence/database.js";
import { DataDirInUse } from "../persistence/dataDirLock.js";

const config = configFromEnv();
// Values still plain are sealed in the same transaction, as an instance starting would (dataAtRest.ts, sealPlainAtStart).
const cipher = useDataKeys(config.dataKeys ?? developmentDataKeys());
const db = await openDatabase({
  databaseUrl: config.databaseUrl,
  dataDir: config.databaseUrl ? undefined : join(config.dataDir, "pglite"),
  poolSize: 1,
  afterMigrations: (tx, applied) => sealPlainAtStart(tx, cipher, applied),
}).catch((error: unknown) => {
  if (!(error instanceof DataDirInUse)) throw error;
  console.error(`npm run migrate refused: ${error.message}`);
  process.exit(2);
});
const recorded = await db.sql.query<{ name: string }>("SELECT name FROM hub_schema_migration ORDER BY name");
await db.close();
console.log(`schema up to date: ${recorded.length} migrations recorded, the last ${recorded.at(-1)?.name}`);
