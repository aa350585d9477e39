/**
 * `npm run data:keys`: the keys personal data is sealed with at rest (gateway/persistence/dataKeys.ts).
 *
 *   npm run -s data:keys                      a new key file on stdout (version 1 and a lookup key)
 *   npm run -s data:keys -- --rotate FILE     FILE's keys with a new version that writes, on stdout
 *   npm run -s data:keys -- --status          how many stored values each key version sealed
 *
 * A rotation: write the rotated file where HUB_DATA_KEY_FILE points, restart the instances one by one (each seals
 * new values with the new version at once and re-seals old rows in the background), wait until `--status` shows
 * no value under the old version, then remove that version from the file. `--status` opens the database as
 * `audit:verify` does, so on the embedded PGlite the hub must be stopped.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { configFromEnv } from "../config.js";
import { exitOnConfigError } from "../configFile.js";
import { sealedVersions } from "../persistence/dataAtRest.js";
import { openDatabase } from "../persistence/database.js";
import { DataDirInUse } from "../persistence/dataDirLock.js";
import { newDataKeyFile } from "../persistence/dataKeys.js";

const { values } = parseArgs({ options: { rotate: { type: "string" }, status: { type: "boolean", default: false } } });

if (values.rotate) process.stdout.write(await exitOnConfigError(async () => newDataKeyFile(values.rotate)));
else if (!values.status) process.stdout.write(newDataKeyFile());
else {
  const config = await exitOnConfigError(async () => configFromEnv());
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : join(config.dataDir, "pglite"),
  }).catch((error: unknown) => {
    if (!(error instanceof DataDirInUse)) throw error;
    console.error(`npm run data:keys refused: ${error.message}`);
    process.exit(2);
  });
  const versions = await sealedVersions(db.sql);
  await db.close();
  const configured = config.dataKeys ? [...config.dataKeys.keys.keys()] : [];
  if (versions.size === 0) console.log("no sealed values yet");
  for (const [version, count] of [...versions].sort(([a], [b]) => a - b)) console.log(`key version ${version}: ${count} sealed values`);
  for (const version of configured.filter((v) => !versions.has(v) && v !== config.dataKeys?.write))
    console.log(`key version ${version}: no value left, it can be removed from the key file`);
}
