/**
 * `npm run audit:verify [-- --witness-file PATH … --peer URL …]`: recomputes the SM3 audit chain from the latest
 * signed checkpoint and checks it against the heads its witnesses hold (gateway/audit/auditVerification.ts): the
 * append-only file (HUB_AUDIT_WITNESS_FILE by default) and peer hubs (GET <peer>/audit-heads/<HUB_ID>). Prints one
 * line per finding, naming it (TAIL_DELETED, ROW_REWRITTEN, HEAD_REPLACED, ROW_MISSING, …), and exits 1; exits 0
 * when intact, 2 when it cannot check. On the embedded default the hub must be stopped (PGlite allows one process
 * per data folder, dataDirLock.ts): while one runs this refuses, and the running hub answers the
 * `verifyAuditTrail` query instead.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseSignedHead } from "../audit/auditHead.js";
import { verifyAgainstWitnesses, type WitnessedHead } from "../audit/auditVerification.js";
import { readWitnessFile } from "../audit/auditWitness.js";
import { configFromEnv } from "../config.js";
import { openDatabase } from "../persistence/database.js";
import { onOneSnapshot } from "../persistence/sql.js";
import { DataDirInUse } from "../persistence/dataDirLock.js";
import { readHubSm2PublicKey } from "../signing/sm2Keys.js";

const refuse = (why: string): never => {
  console.error(`npm run audit:verify refused: ${why}`);
  process.exit(2);
};

const { values } = parseArgs({
  options: { "witness-file": { type: "string", multiple: true }, peer: { type: "string", multiple: true } },
});
const config = configFromEnv();
const witnessFiles = values["witness-file"] ?? (config.auditWitness?.file ? [config.auditWitness.file] : []);
const peers = values.peer ?? [];
const publicKey = readHubSm2PublicKey(config.dataDir, config.sm2KeyFile, config.sm2SignerId);
if (!publicKey && witnessFiles.length + peers.length > 0)
  refuse(`no SM2 key to check the heads' signatures with: set HUB_SM2_KEY_FILE, or HUB_DATA_DIR to the hub's (keys/hub-sm2-public.pem)`);
if (peers.length > 0 && !config.hubId) refuse("--peer needs HUB_ID: peers keep the heads of each hub under its id");

const heads: WitnessedHead[] = [];
const notes: string[] = [];
for (const path of witnessFiles) {
  const read = await readWitnessFile(path).catch((error: Error) => refuse(`cannot read the witness file ${path}: ${error.message}`));
  heads.push(...read.heads.map((head) => ({ source: `file ${path}`, head })));
  for (const line of read.badLines) notes.push(`WITNESS_FILE_DAMAGED at line ${line} of ${path}: not a signed audit head`);
}
for (const peer of peers) {
  const url = `${peer.replace(/\/+$/, "")}/audit-heads/${encodeURIComponent(config.hubId!)}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(15_000) }).catch((error: Error) => refuse(`${url}: ${error.message}`));
  if (!response.ok) refuse(`${url} answered ${response.status}`);
  const body = (await response.json()) as { heads?: unknown[] };
  for (const value of body.heads ?? []) {
    const head = parseSignedHead(value);
    if (head) heads.push({ source: `peer ${peer}`, head });
  }
}

const db = await openDatabase({
  databaseUrl: config.databaseUrl,
  dataDir: config.databaseUrl ? undefined : join(config.dataDir, "pglite"),
}).catch((error: unknown) => {
  if (!(error instanceof DataDirInUse)) throw error;
  return refuse(error.message);
});
const result = await onOneSnapshot(db.sql, (tx) => verifyAgainstWitnesses(tx, { publicKey, hubId: config.hubId, heads })).finally(() =>
  db.close(),
);
const lines = [...result.findings.map((finding) => `${finding.code} at seq ${finding.seq ?? "?"}: ${finding.message}`), ...notes];
if (lines.length > 0) {
  for (const line of lines) console.log(line);
  process.exit(1);
}
const { chain } = result;
const from = chain.checkpoint ? `the signed checkpoint at seq ${chain.checkpoint.seq}` : "genesis";
console.log(
  `audit chain intact: ${chain.rowsChecked} sealed rows verified from ${from}, ${chain.unsealedRows} not yet sealed; ` +
    (heads.length > 0
      ? `${result.headsCompared} witnessed heads match (the latest at seq ${result.witnessedSeq})`
      : "no witnessed head given (--witness-file, --peer, HUB_AUDIT_WITNESS_FILE): " +
        "the chain alone cannot show a deleted tail or a re-hashed rewrite"),
);
