/**
 * The SM3 hash chain over the audit trail. Each sealed row's hash covers its
 * content and the previous row's hash, so altering, removing or reordering a
 * row breaks every hash after it. Sealing runs in batches behind the request
 * path; on PostgreSQL the chain head row lock lets one instance seal at a time.
 */
import type { Sql } from "../persistence/database.js";
import type { Sm2PublicKey } from "../signing/sm2.js";
import { type AuditCheckpoint, verifyCheckpoint } from "./auditHead.js";
import { canonicalJson, sm3 } from "./sm3.js";

export const GENESIS_HASH = "0".repeat(64);

interface AuditRow {
  id: string;
  seq: string | null;
  at: Date;
  actor_org: string;
  actor_officer: string | null;
  action: string;
  case_id: string | null;
  debtor_id: string | null;
  subject_id: string | null;
  purpose: string | null;
  sent_digest: string | null;
  reply_digest: string | null;
  detail: unknown;
  prev_hash: string | null;
  hash: string | null;
}

// The text aliases id and seq shadow the bigint columns in ORDER BY (an output column name wins there),
// which would order "10" before "2": ORDER BY must name the table's columns, audit_event.id / audit_event.seq.
const ROW_COLUMNS = `id::text AS id, seq::text AS seq, at, actor_org, actor_officer, action, case_id::text AS case_id,
  debtor_id::text AS debtor_id, subject_id, purpose, sent_digest, reply_digest, detail, prev_hash, hash`;

export function chainHash(prevHash: string, seq: number, row: AuditRow): string {
  const content = canonicalJson({
    seq,
    at: new Date(row.at).toISOString(),
    actorOrg: row.actor_org,
    actorOfficer: row.actor_officer,
    action: row.action,
    caseId: row.case_id,
    debtorId: row.debtor_id,
    subjectId: row.subject_id,
    purpose: row.purpose,
    sentDigest: row.sent_digest,
    replyDigest: row.reply_digest,
    detail: row.detail,
  });
  return sm3(`${prevHash}\n${content}`);
}

/** Seals up to `limit` unsealed rows; returns how many it sealed. */
export async function sealAuditBatch(sql: Sql, limit = 2000): Promise<number> {
  return sql.transaction(async (tx) => {
    await tx.query(`INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, $1) ON CONFLICT (id) DO NOTHING`, [GENESIS_HASH]);
    const [head] = await tx.query<{ seq: string; hash: string }>(
      `SELECT seq::text AS seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE`,
    );
    const rows = await tx.query<AuditRow>(`SELECT ${ROW_COLUMNS} FROM audit_event WHERE seq IS NULL ORDER BY audit_event.id LIMIT $1`, [
      limit,
    ]);
    if (rows.length === 0) return 0;
    let seq = Number(head.seq);
    let prev = head.hash;
    const ids: string[] = [];
    const seqs: string[] = [];
    const prevs: string[] = [];
    const hashes: string[] = [];
    for (const row of rows) {
      seq += 1;
      const hash = chainHash(prev, seq, row);
      ids.push(row.id);
      seqs.push(String(seq));
      prevs.push(prev);
      hashes.push(hash);
      prev = hash;
    }
    await tx.query(
      `UPDATE audit_event AS a SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
         FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS v(id, seq, prev_hash, hash)
        WHERE a.id = v.id`,
      [ids, seqs, prevs, hashes],
    );
    await tx.query(`UPDATE audit_chain_head SET seq = $1, hash = $2 WHERE id = 1`, [String(seq), prev]);
    return rows.length;
  });
}

export interface ChainVerification {
  ok: boolean;
  rowsChecked: number;
  /** The first sealed row whose content, link or position does not fit the chain. */
  firstBrokenSeq?: number;
  firstBrokenId?: string;
  reason?: string;
  /** What kind of break: ROW_MISSING, ROW_ALTERED, LINK_BROKEN, CHAIN_HEAD_MISMATCH, CHECKPOINT_FORGED. */
  code?: string;
  unsealedRows: number;
  /** The signed checkpoint the chain was checked from (archived rows before it, auditArchive.ts); none = from genesis. */
  checkpoint?: AuditCheckpoint;
  /** The last sealed seq checked (the checkpoint's when no row follows it), up to the first break. */
  lastSeq: number;
  /** The hashes recomputed from the rows at the seqs asked for (`hashesAt`), up to the first break. */
  hashesAt: Map<number, string>;
}

export interface ChainCheckOptions {
  /** The hub's public key: a checkpoint not signed with it is refused as the chain's start. */
  publicKey?: Sm2PublicKey;
  /** Seqs whose recomputed hash to answer (those of witnessed heads). */
  hashesAt?: ReadonlySet<number>;
  pageSize?: number;
}

/**
 * Recomputes the chain from the latest checkpoint (or genesis) and names the first row that does not fit. The
 * hashes are recomputed from each row's content, not read from it, so they are what a witness's hash must equal.
 */
export async function verifyAuditChain(sql: Pick<Sql, "query">, options: ChainCheckOptions = {}): Promise<ChainVerification> {
  const pageSize = options.pageSize ?? 5000;
  const [checkpoint] = await sql.query<AuditCheckpoint>(
    `SELECT seq::int AS seq, hash, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, signature
       FROM audit_checkpoint ORDER BY seq DESC LIMIT 1`,
  );
  const hashesAt = new Map<number, string>();
  const result = (fields: Partial<ChainVerification> & { ok: boolean; rowsChecked: number; lastSeq: number }): ChainVerification => ({
    unsealedRows: 0,
    ...(checkpoint && { checkpoint }),
    hashesAt,
    ...fields,
  });
  if (checkpoint && options.publicKey && !verifyCheckpoint(checkpoint, options.publicKey)) {
    return result({
      ok: false,
      rowsChecked: 0,
      lastSeq: 0,
      firstBrokenSeq: checkpoint.seq,
      code: "CHECKPOINT_FORGED",
      reason: `the checkpoint at seq ${checkpoint.seq} is not signed with this hub's SM2 key`,
    });
  }
  let prev = checkpoint?.hash ?? GENESIS_HASH;
  let expectedSeq = (checkpoint?.seq ?? 0) + 1;
  if (checkpoint) hashesAt.set(checkpoint.seq, checkpoint.hash);
  let checked = 0;
  for (;;) {
    const rows = await sql.query<AuditRow>(`SELECT ${ROW_COLUMNS} FROM audit_event WHERE seq >= $1 ORDER BY audit_event.seq LIMIT $2`, [
      expectedSeq,
      pageSize,
    ]);
    for (const row of rows) {
      const seq = Number(row.seq);
      const broken = (code: string, reason: string) =>
        result({ ok: false, rowsChecked: checked, lastSeq: expectedSeq - 1, firstBrokenSeq: seq, firstBrokenId: row.id, code, reason });
      if (seq !== expectedSeq) return { ...broken("ROW_MISSING", `row ${expectedSeq} is missing`), firstBrokenSeq: expectedSeq };
      const hash = chainHash(prev, seq, row);
      if (row.prev_hash !== prev) return broken("LINK_BROKEN", "its link to the previous row does not match");
      if (hash !== row.hash) return broken("ROW_ALTERED", "its content does not match its hash");
      if (options.hashesAt?.has(seq)) hashesAt.set(seq, hash);
      prev = hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < pageSize) break;
  }
  const lastSeq = expectedSeq - 1;
  const [head] = await sql.query<{ seq: string; hash: string }>(`SELECT seq::text AS seq, hash FROM audit_chain_head WHERE id = 1`);
  if (head && (Number(head.seq) !== lastSeq || head.hash !== prev)) {
    const from = checkpoint ? `the checkpoint at ${checkpoint.seq}` : "genesis";
    return result({
      ok: false,
      rowsChecked: checked,
      lastSeq,
      firstBrokenSeq: lastSeq + 1,
      code: "CHAIN_HEAD_MISMATCH",
      reason: `the chain head says ${head.seq} rows but ${lastSeq} follow from ${from}`,
    });
  }
  const [{ count }] = await sql.query<{ count: number }>(`SELECT count(*)::int AS count FROM audit_event WHERE seq IS NULL`);
  return result({ ok: true, rowsChecked: checked, lastSeq, unsealedRows: count });
}
