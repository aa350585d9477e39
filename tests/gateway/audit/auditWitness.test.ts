/**
 * The audit trail as evidence that survives its own database: heads signed with the hub's SM2 key and kept by a
 * witness outside the database (an append-only file here; peer hubs in tests/capabilities/peering/auditHeads.test.ts),
 * against which `npm run audit:verify` names what a database administrator did: deleted the tail, rewrote a row and
 * re-hashed everything after it, replaced the head row, deleted a middle row with the trigger disabled. The trigger
 * itself refuses UPDATE and DELETE of sealed rows, and archiving under a signed checkpoint keeps the chain verifiable.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { archiveAuditRows } from "../../../gateway/audit/auditArchive.js";
import { chainHash, sealAuditBatch } from "../../../gateway/audit/auditChain.js";
import { appendAudit } from "../../../gateway/audit/auditEvent.js";
import { canonicalJson } from "../../../gateway/audit/sm3.js";
import { type SignedAuditHead, signAuditHead, signCheckpoint, verifyAuditHead } from "../../../gateway/audit/auditHead.js";
import { verifyAgainstWitnesses } from "../../../gateway/audit/auditVerification.js";
import { AuditWitness, FileWitness, readWitnessFile } from "../../../gateway/audit/auditWitness.js";
import { createLogger } from "../../../gateway/logger.js";
import { type Database, openDatabase } from "../../../gateway/persistence/database.js";
import { sm2PrivateKey } from "../../../gateway/signing/sm2.js";
import { generateSm2KeyPair } from "../../../gateway/signing/sm2Keys.js";
import { asSuperuser, runAuditVerify } from "../../support/auditTampering.js";
import { opensslVerifies } from "../../support/independentSm2.js";
import { createTestDatabase } from "../../support/testDatabase.js";
import { startTestHub } from "../../support/testHub.js";

const HUB_ID = "hub-henan";
const ROWS = 6;
const keys = generateSm2KeyPair();
const key = sm2PrivateKey(keys.privateKeyPem);
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

interface WitnessedChain {
  db: Database;
  /** The CLI's environment: this database, the hub's key and the witness file. */
  env: Record<string, string>;
  witnessFile: string;
  dir: string;
  /** Closes the database (once), so that on PGlite the CLI may open its folder. */
  close(): Promise<void>;
}

/**
 * A database of its own with `rows` sealed audit rows, the head signed and appended to the witness file after
 * each seal, as a hub witnessing often would. On PGlite it is in memory unless `forCli` (a folder the CLI opens
 * once it is closed; slower to create).
 */
async function witnessedChain(rows = ROWS, forCli = false): Promise<WitnessedChain> {
  const database = await createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), "hub-audit-witness-"));
  const keyFile = join(dir, "hub-sm2.pem");
  writeFileSync(keyFile, keys.privateKeyPem);
  const witnessFile = join(dir, "audit-heads.jsonl");
  const db = await openDatabase(database.url ? { databaseUrl: database.url } : { dataDir: forCli ? join(dir, "pglite") : undefined });
  const witness = new AuditWitness({
    sql: db.sql,
    key,
    hubId: HUB_ID,
    witnesses: [new FileWitness(witnessFile)],
    log: createLogger("silent"),
    seal: () => sealAuditBatch(db.sql),
  });
  for (let i = 1; i <= rows; i++) {
    await appendAudit(db.sql, {
      actorOrg: "豫0225",
      actorOfficer: "书记员-王",
      action: "INQUIRY_REQUESTED",
      purpose: "查询财产",
      detail: { i },
    });
    await sealAuditBatch(db.sql);
    await witness.witnessNow();
  }
  const env: Record<string, string> = {
    ...(database.url ? { DATABASE_URL: database.url } : { DATABASE_URL: "", HUB_DATA_DIR: dir }),
    HUB_SM2_KEY_FILE: keyFile,
    HUB_AUDIT_WITNESS_FILE: witnessFile,
    HUB_ID: HUB_ID,
  };
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await db.close();
  };
  cleanups.push(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
    await database.drop();
  });
  return { db, env, witnessFile, dir, close };
}

const ROW_COLUMNS = `id::text AS id, seq::text AS seq, at, actor_org, actor_officer, action, case_id::text AS case_id,
  debtor_id::text AS debtor_id, subject_id, purpose, sent_digest, reply_digest, detail, prev_hash, hash`;

/** Rewrites row `seq` with `change` and recomputes every hash after it and the chain head: a consistent chain again. */
async function rewriteAndRehash(db: Database, seq: number, change: Record<string, unknown>): Promise<void> {
  await asSuperuser(db.sql, async () => {
    const rows = await db.sql.query<any>(`SELECT ${ROW_COLUMNS} FROM audit_event WHERE seq >= $1 ORDER BY audit_event.seq`, [seq]);
    let prev = rows[0].prev_hash as string;
    for (const row of rows) {
      const forged = Number(row.seq) === seq ? { ...row, ...change } : row;
      const hash = chainHash(prev, Number(row.seq), forged);
      await db.sql.query(`UPDATE audit_event SET actor_officer = $1, purpose = $2, prev_hash = $3, hash = $4 WHERE seq = $5`, [
        forged.actor_officer,
        forged.purpose,
        prev,
        hash,
        row.seq,
      ]);
      prev = hash;
    }
    await db.sql.query(`UPDATE audit_chain_head SET hash = $1 WHERE id = 1`, [prev]);
  });
}

/** An HTTP server answering GET /audit-heads/<HUB_ID> with `heads`, as a peer hub does. */
async function servePeerHeads(heads: SignedAuditHead[]): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.url !== `/audit-heads/${HUB_ID}`) response.writeHead(404).end();
    else response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ hubId: HUB_ID, heads }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function verifyInProcess(chain: WitnessedChain) {
  const { heads } = await readWitnessFile(chain.witnessFile);
  return verifyAgainstWitnesses(chain.db.sql, {
    publicKey: key,
    hubId: HUB_ID,
    heads: heads.map((head) => ({ source: `file ${chain.witnessFile}`, head })),
  });
}

describe("the witness file", () => {
  it("holds one signed JSON line per head, appended", async () => {
    const chain = await witnessedChain(3);
    const lines = readFileSync(chain.witnessFile, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((head) => head.seq)).toEqual([1, 2, 3]);
    expect(lines[2]).toMatchObject({ hubId: HUB_ID, seq: 3, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const [head] = await chain.db.sql.query<{ hash: string }>(`SELECT hash FROM audit_chain_head`);
    expect(lines[2].hash).toBe(head.hash);
    expect(await verifyInProcess(chain)).toMatchObject({ ok: true, findings: [], witnessedSeq: 3, headsCompared: 3 });
    // Anyone holding the hub's public key checks a head with their own software: the signed text is the head's canonical JSON.
    const { signature, ...signed } = lines[2];
    expect(opensslVerifies(keys.publicKeyPem, canonicalJson({ kind: "AUDIT_HEAD", ...signed }), signature)).toBe(true);
  });
});

describe("a hub witnessing its head", () => {
  it("appends the head signed with its key to the witness file at shutdown, after sealing what was recorded", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hub-audit-witness-"));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const witnessFile = join(dir, "audit-heads.jsonl");
    const t = await startTestHub({ auditWitness: { file: witnessFile, intervalMs: 3_600_000 } });
    try {
      for (let i = 0; i < 3; i++) await appendAudit(t.hub.db.sql, { actorOrg: "豫0225", action: "CASE_REGISTERED", detail: { i } });
    } finally {
      await t.close();
    }
    const { heads, badLines } = await readWitnessFile(witnessFile);
    expect(badLines).toEqual([]);
    // The witness's interval is an hour: what covers the three rows reached the file when the hub stopped.
    expect(heads.at(-1)).toMatchObject({ hubId: null, seq: expect.any(Number) });
    expect(heads.at(-1)!.seq).toBeGreaterThanOrEqual(3);
    expect(verifyAuditHead(heads.at(-1)!, sm2PrivateKey(t.sanctionKey.privateKeyPem))).toBe(true);
  });
});

describe("the trigger on sealed rows (migration 0017)", () => {
  it("refuses UPDATE, DELETE and TRUNCATE of sealed rows, and lets the sealer fill in unsealed ones", async () => {
    const { db } = await witnessedChain(2);
    await expect(db.sql.query(`UPDATE audit_event SET purpose = 'x' WHERE seq = 1`)).rejects.toThrow(/seq 1 is sealed: UPDATE is refused/);
    await expect(db.sql.query(`DELETE FROM audit_event WHERE seq = 2`)).rejects.toThrow(/seq 2 is sealed: DELETE is refused/);
    await expect(db.sql.query(`TRUNCATE audit_event`)).rejects.toThrow(/TRUNCATE on audit_event is refused/);
    // Setting the archiver's flag by hand does not open rows that no checkpoint covers.
    await expect(
      db.sql.transaction(async (tx) => {
        await tx.query(`SELECT set_config('hub.audit_archiving', 'on', true)`);
        await tx.query(`DELETE FROM audit_event WHERE seq = 2`);
      }),
    ).rejects.toThrow(/is sealed: DELETE is refused/);
    await expect(db.sql.query(`SELECT audit_archive(2)`)).rejects.toThrow(/no audit checkpoint at seq 2/);
    await appendAudit(db.sql, { actorOrg: "豫0225", action: "CASE_REGISTERED", detail: {} });
    expect(await sealAuditBatch(db.sql)).toBe(1);
    const [{ count }] = await db.sql.query<{ count: number }>(`SELECT count(*)::int AS count FROM audit_event WHERE seq IS NOT NULL`);
    expect(count).toBe(3);
  });
});

describe("npm run audit:verify against the witnessed heads", () => {
  it("detects and names each tampering: tail deleted, row rewritten and re-hashed, head replaced, middle row deleted", async () => {
    const [intact, tail, rewritten, head, middle] = await Promise.all([1, 2, 3, 4, 5].map(() => witnessedChain(ROWS, true)));

    // The last two rows deleted and the chain head moved back to the row before them.
    await asSuperuser(tail.db.sql, async () => {
      await tail.db.sql.query(`DELETE FROM audit_event WHERE seq > 4`);
      await tail.db.sql.query(`UPDATE audit_chain_head SET seq = 4, hash = (SELECT hash FROM audit_event WHERE seq = 4) WHERE id = 1`);
    });
    // Row 2's officer changed and every hash after it recomputed: the chain alone is consistent again.
    await rewriteAndRehash(rewritten.db, 2, { actor_officer: "无关人员" });
    // The last row replaced by another, hashed in its place.
    await rewriteAndRehash(head.db, ROWS, { purpose: "伪造的用途" });
    // A superuser disables the trigger and deletes a row in the middle.
    await asSuperuser(middle.db.sql, () => middle.db.sql.query(`DELETE FROM audit_event WHERE seq = 3`));

    // The chain alone no longer shows the first three; the witnessed heads do.
    for (const chain of [tail, rewritten, head]) {
      const result = await verifyInProcess(chain);
      expect(result.chain.ok).toBe(true);
      expect(result.ok).toBe(false);
    }

    await Promise.all([intact, tail, rewritten, head, middle].map((chain) => chain.close()));
    // The tail's witness is a peer instead of the file: what GET /audit-heads/<hubId> answers (auditHeadWitness.ts), served
    // from the heads the file holds, newest first (a peer hub holding them: tests/capabilities/peering/auditHeads.test.ts).
    const peer = await servePeerHeads((await readWitnessFile(tail.witnessFile)).heads.reverse());
    const [intactRun, tailRun, rewrittenRun, headRun, middleRun] = await Promise.all([
      runAuditVerify(intact.env),
      runAuditVerify({ ...tail.env, HUB_AUDIT_WITNESS_FILE: "" }, ["--peer", peer.url]).finally(() => peer.close()),
      ...[rewritten, head, middle].map((chain) => runAuditVerify(chain.env)),
    ]);
    expect(intactRun).toMatchObject({ code: 0 });
    expect(intactRun.stdout).toContain(
      `audit chain intact: ${ROWS} sealed rows verified from genesis, 0 not yet sealed; ${ROWS} witnessed heads match`,
    );

    expect(tailRun.code).toBe(1);
    expect(tailRun.stdout).toMatch(
      /^TAIL_DELETED at seq 5: peer http:\/\/127\.0\.0\.1:\d+ holds the head at seq 6 .* last sealed row is seq 4: rows 5…6 were deleted$/m,
    );

    expect(rewrittenRun.code).toBe(1);
    expect(rewrittenRun.stdout).toMatch(
      /^ROW_REWRITTEN at seq 2: the rows no longer reach the hash file .* witnessed at seq 2 .*: row 2 was rewritten/m,
    );

    expect(headRun.code).toBe(1);
    expect(headRun.stdout).toMatch(/^HEAD_REPLACED at seq 6: the head row seq 6 is not the one file .* witnessed .*: row 6 was replaced/m);

    expect(middleRun.code).toBe(1);
    expect(middleRun.stdout).toMatch(/^ROW_MISSING at seq 3: row seq 3 .*: row 3 is missing; 2 rows before it are intact$/m);
    // One line per finding, each named.
    for (const run of [tailRun, rewrittenRun, headRun, middleRun])
      expect(
        run.stdout
          .trim()
          .split("\n")
          .every((line) => /^[A-Z_]+ at seq \d+: /.test(line)),
      ).toBe(true);
  }, 180_000);

  it("a forged head in the witness file is named, not trusted", async () => {
    const chain = await witnessedChain(2);
    const forger = sm2PrivateKey(generateSm2KeyPair().privateKeyPem);
    writeFileSync(
      chain.witnessFile,
      `${JSON.stringify(signAuditHead({ hubId: HUB_ID, seq: 9, hash: "a".repeat(64), at: new Date().toISOString() }, forger))}\n`,
      {
        flag: "a",
      },
    );
    const result = await verifyInProcess(chain);
    expect(result.findings).toEqual([expect.objectContaining({ code: "WITNESS_FORGED", seq: 9 })]);
    expect(result.witnessedSeq).toBe(2);
  });
});

describe("archiving under a signed checkpoint", () => {
  it("replaces the archived rows by a checkpoint the chain is then verified from, with the witnessed heads", async () => {
    const chain = await witnessedChain();
    const archiveDir = join(chain.dir, "archive");
    const archived = await archiveAuditRows(chain.db.sql, { key, before: new Date(Date.now() + 60_000), archiveDir });
    expect(archived).toMatchObject({ archivedRows: ROWS, checkpoint: { seq: ROWS } });
    expect(readFileSync(archived.file!, "utf8").trim().split("\n")).toHaveLength(ROWS);
    const [{ count }] = await chain.db.sql.query<{ count: number }>(`SELECT count(*)::int AS count FROM audit_event`);
    expect(count).toBe(0);
    // The checkpoint is as fixed as the rows it replaced.
    await expect(chain.db.sql.query(`DELETE FROM audit_checkpoint`)).rejects.toThrow(/DELETE on audit_checkpoint is refused/);

    await appendAudit(chain.db.sql, { actorOrg: "豫0225", action: "CASE_REGISTERED", detail: { after: "checkpoint" } });
    await sealAuditBatch(chain.db.sql);
    const after = await verifyInProcess(chain);
    expect(after).toMatchObject({ ok: true, findings: [], chain: { ok: true, rowsChecked: 1, lastSeq: ROWS + 1 } });
    expect(after.headsCompared).toBe(1); // the head at the checkpoint's seq; those before it went with the archived rows

    // A checkpoint not signed with the hub's key is not a start the chain is verified from.
    await chain.db.sql.query(
      `INSERT INTO audit_checkpoint (seq, hash, at, signature, archived_rows, archive) VALUES ($1, $2, $3, $4, 0, 'none')`,
      [
        ROWS + 1,
        "b".repeat(64),
        new Date().toISOString(),
        signCheckpoint(
          { seq: ROWS + 1, hash: "b".repeat(64), at: new Date().toISOString() },
          sm2PrivateKey(generateSm2KeyPair().privateKeyPem),
        ).signature,
      ],
    );
    expect((await verifyInProcess(chain)).findings).toEqual([expect.objectContaining({ code: "CHECKPOINT_FORGED", seq: ROWS + 1 })]);
  });
});
