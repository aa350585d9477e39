/**
 * `npm run audit:verify`: recomputes the SM3 audit chain and names the first
 * row that was tampered with. On the embedded default the hub must be stopped
 * (PGlite allows one process per data folder, dataDirLock.ts): while one runs this refuses, and
 * the running hub answers the `verifyAuditTrail` query instead.
 */
import { join } from "node:path";
import { verifyAuditChain } from "../audit/auditChain.js";
import { configFromEnv } from "../config.js";
import { openDatabase } from "../persistence/database.js";
import { DataDirInUse } from "../persistence/dataDirLock.js";

const config = configFromEnv();
const db = await openDatabase({
  databaseUrl: config.databaseUrl,
  dataDir: config.databaseUrl ? undefined : join(config.dataDir, "pglite"),
}).catch((error: unknown) => {
  if (!(error instanceof DataDirInUse)) throw error;
  console.error(`npm run audit:verify refused: ${error.message}`);
  process.exit(2);
});
const result = await verifyAuditChain(db.sql);
await db.close();
if (result.ok) {
  console.log(`audit chain intact: ${result.rowsChecked} sealed rows verified, ${result.unsealedRows} not yet sealed`);
} else {
  console.log(
    `audit chain BROKEN at row seq=${result.firstBrokenSeq} (id ${result.firstBrokenId ?? "?"}): ${result.reason}; ` +
      `${result.rowsChecked} rows before it are intact`,
  );
  process.exit(1);
}
