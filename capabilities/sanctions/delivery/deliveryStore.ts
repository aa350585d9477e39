/**
 * Push delivery by cursor. Each push partner reads the change log (sanction_change) by its own position, as a
 * Kafka consumer group does (sanction_push_cursor), so the hub writes per batch, not per change and partner:
 * cost grows with changes plus partners. One batch per partner is out at a time, on the partner's cursor row
 * with its lease, so several instances share the partners without sending a batch twice, and a debtor's
 * changes reach a partner in order. Each claim takes, first that applies:
 *
 * 1. the batch already out, again, when its lease ended or its retry fell due;
 * 2. held-back changes (sanction_delivery rows, PENDING) of debtors with nothing dead, in seq order;
 * 3. removals ahead of routine traffic: the next removals after the removal cursor, each with its debtor's
 *    changes between the main cursor and it (and, while a snapshot runs, its debtor's snapshot entries), so
 *    that the debtor's order holds; the main cursor later skips a change that some removal of its debtor up to
 *    the removal cursor carried, which is exactly what the removal step sent ahead;
 * 4. a new partner's snapshot page (the entries in force as of its registration, listSnapshot.ts);
 * 5. the next changes after the main cursor.
 *
 * A change whose debtor has a held-back or dead change is not sent but held back (a PENDING row), so a dead
 * change blocks only its own debtor. A batch refused `maxAttempts` times is dead-lettered: its changes become
 * DEAD rows, the only rows failures leave. Which status each statement may find and leave is
 * domain/sanctions/deliveryLifecycle.ts's.
 */
import { deliveryTransition, type DeliveryEvent } from "../../../domain/sanctions/deliveryLifecycle.js";
import { AUDIT_COLUMNS } from "../../../gateway/audit/auditEvent.js";
import type { Sql } from "../../../gateway/persistence/database.js";
import type { SanctionPartner } from "../partners/sanctionPartner.js";
import { SANCTION_CHANGE_CHANNEL } from "../sanctionStore.js";
import { CHANGE_ROW_COLUMNS, type ChangeRow } from "./changeMessage.js";
import { ENQUEUED_STATUS_SQL, statusAllowsSql, statusSql } from "./deliveryStatusSql.js";
import { snapshotRows } from "./listSnapshot.js";

const DEAD = statusSql("DEAD");
const REPLAY = deliveryTransition("REPLAY");

export interface DeadLetter {
  partner_code: string;
  batch_id: string;
  changes: number;
  first_seq: string;
  last_seq: string;
  attempts: number;
  last_error: string | null;
  since: Date;
}

export interface PushBacklog {
  partner_code: string;
  backlog: number;
  dead: number;
  oldest: Date | null;
}

interface Cursor {
  seq: string;
  removal_seq: string;
  snapshot_cut: string | null;
  /** The lookup digest of the snapshot position's debtor (migration 0022 named the column; 0018 seals the numbers). */
  snapshot_id_number: string | null;
  snapshot_debtor_seq: number | null;
  batch_seqs: string[];
}

/** A change a step would send: held back instead when its debtor has a held-back or dead change. */
interface Candidate {
  seq: string;
  id_digest: string;
  operation: string;
}

type Tx = Pick<Sql, "query">;

const CURSOR_COLUMNS = `seq::text AS seq, removal_seq::text AS removal_seq, snapshot_cut::text AS snapshot_cut,
  snapshot_id_number, snapshot_debtor_seq, batch_seqs::text[] AS batch_seqs`;

/** A change carried ahead by a removal of its debtor after it, up to `upTo` (a parameter), is not read again. */
const CARRIED_AHEAD = (change: string, lists: string, upTo: string) =>
  `EXISTS (SELECT 1 FROM sanction_change o WHERE o.id_digest = ${change}.id_digest AND o.operation = 'REMOVE'
     AND o.list::text = ANY (${lists}) AND o.seq >= ${change}.seq AND o.seq <= ${upTo})`;

function later(a: string, b: string): string {
  return BigInt(a) >= BigInt(b) ? a : b;
}

/**
 * A debtor with a removal among its held-back or dead changes has all of them at priority 0, so that taking
 * held-back changes by (priority, seq) never takes a later change of a debtor without its earlier ones.
 */
async function hurry(tx: Tx, partner: string): Promise<void> {
  await tx.query(
    `UPDATE sanction_delivery SET priority = 0
      WHERE partner_code = $1 AND priority <> 0
        AND id_digest IN (SELECT id_digest FROM sanction_delivery WHERE partner_code = $1 AND priority = 0)`,
    [partner],
  );
}

export class DeliveryStore {
  constructor(private readonly sql: Sql) {}

  /** A new push partner's cursors: at the end of the log, after a snapshot of what is in force when `snapshot`. */
  static async open(tx: Tx, partner: string, snapshot: boolean): Promise<void> {
    await tx.query(
      `INSERT INTO sanction_push_cursor (partner_code, seq, removal_seq, snapshot_cut, snapshot_id_number, snapshot_debtor_seq)
       SELECT $1, last, last, CASE WHEN $2::boolean THEN last END, CASE WHEN $2::boolean THEN '' END, CASE WHEN $2::boolean THEN 0 END
         FROM (SELECT coalesce(max(seq), 0) AS last FROM sanction_change) l
       ON CONFLICT (partner_code) DO NOTHING`,
      [partner, snapshot],
    );
  }

  /** The partner's next batch, leased to `owner` as `batchId`; empty when there is nothing to send or another instance has it. */
  async claim(partner: SanctionPartner, batchId: string, owner: string, leaseMs: number, limit: number): Promise<ChangeRow[]> {
    return this.changes(await this.claimSeqs(partner, batchId, owner, leaseMs, limit));
  }

  /** The changes at `seqs`, in log order. */
  async changes(seqs: readonly string[]): Promise<ChangeRow[]> {
    if (seqs.length === 0) return [];
    return this.sql.query<ChangeRow>(
      `SELECT ${CHANGE_ROW_COLUMNS} FROM sanction_change WHERE seq = ANY ($1::bigint[]) ORDER BY sanction_change.seq`,
      [seqs],
    );
  }

  /** As `claim`, the seqs only: push delivery reads the changes themselves through its cache (changeCache.ts). */
  async claimSeqs(partner: SanctionPartner, batchId: string, owner: string, leaseMs: number, limit: number): Promise<string[]> {
    return this.sql.transaction(async (tx) => {
      const [cursor] = await tx.query<Cursor>(
        `SELECT ${CURSOR_COLUMNS} FROM sanction_push_cursor
          WHERE partner_code = $1 AND (lease_until IS NULL OR lease_until < now()) AND next_attempt_at <= now()
          FOR UPDATE SKIP LOCKED`,
        [partner.code],
      );
      if (!cursor) return [];
      let seqs = cursor.batch_seqs;
      // Steps that only held changes back or skipped what was carried ahead moved a cursor: read on.
      for (let round = 0; seqs.length === 0 && round < 8; round++) {
        const moved = await this.next(tx, partner, cursor, limit);
        if (moved === null) break;
        seqs = moved;
      }
      await tx.query(
        `UPDATE sanction_push_cursor SET seq = $2::bigint, removal_seq = $3::bigint, snapshot_cut = $4::bigint,
                snapshot_id_number = $5, snapshot_debtor_seq = $6::int, batch_seqs = $7::bigint[],
                batch_id = CASE WHEN cardinality($7::bigint[]) > 0 THEN $8::uuid END,
                lease_owner = $9, lease_until = now() + $10 * interval '1 millisecond'
          WHERE partner_code = $1`,
        [
          partner.code,
          cursor.seq,
          cursor.removal_seq,
          cursor.snapshot_cut,
          cursor.snapshot_id_number,
          cursor.snapshot_debtor_seq,
          seqs,
          batchId,
          owner,
          seqs.length > 0 ? leaseMs : 0,
        ],
      );
      return seqs;
    });
  }

  /** One step of the claim (see the file's comment): the seqs to send, moving `cursor`; null when nothing is left to read. */
  private async next(tx: Tx, partner: SanctionPartner, cursor: Cursor, limit: number): Promise<string[] | null> {
    const held = await tx.query<{ seq: string }>(
      `SELECT d.change_seq::text AS seq FROM sanction_delivery d
        WHERE d.partner_code = $1 AND ${statusAllowsSql("CLAIM", "d.status")}
          AND NOT EXISTS (SELECT 1 FROM sanction_delivery x WHERE x.partner_code = d.partner_code AND x.id_digest = d.id_digest
                            AND x.status = ${DEAD})
        ORDER BY d.priority, d.change_seq LIMIT $2`,
      [partner.code, limit],
    );
    if (held.length > 0) return held.map((row) => row.seq);

    const removalFrom = later(cursor.removal_seq, cursor.seq);
    const removals = await tx.query<Candidate & { removal: string }>(
      `WITH removals AS (
         SELECT seq, id_digest FROM sanction_change
          WHERE operation = 'REMOVE' AND seq > $1::bigint AND list::text = ANY ($2::text[]) ORDER BY seq LIMIT $3)
       SELECT DISTINCT c.seq::text AS seq, c.seq AS n, c.id_digest, c.operation, (SELECT max(seq) FROM removals)::text AS removal
         FROM removals r JOIN sanction_change c ON c.id_digest = r.id_digest AND c.seq > $4::bigint AND c.seq <= r.seq
        WHERE c.list::text = ANY ($2::text[]) AND NOT ${CARRIED_AHEAD("c", "$2::text[]", "$1::bigint")}
        ORDER BY n`,
      [removalFrom, partner.lists, limit, cursor.seq],
    );
    if (removals.length > 0) {
      cursor.removal_seq = removals[0].removal;
      const debtors = [...new Set(removals.map((row) => row.id_digest))];
      const snapshot =
        cursor.snapshot_cut === null
          ? []
          : await snapshotRows(
              tx,
              cursor.snapshot_cut,
              partner.lists,
              { idDigest: cursor.snapshot_id_number!, debtorSeq: cursor.snapshot_debtor_seq! },
              null,
              debtors,
            );
      return this.sendable(tx, partner.code, [...snapshot, ...removals]);
    }

    if (cursor.snapshot_cut !== null) {
      const page = await snapshotRows(
        tx,
        cursor.snapshot_cut,
        partner.lists,
        { idDigest: cursor.snapshot_id_number!, debtorSeq: cursor.snapshot_debtor_seq! },
        limit,
      );
      if (page.length < limit) {
        cursor.snapshot_cut = cursor.snapshot_id_number = cursor.snapshot_debtor_seq = null;
      } else {
        cursor.snapshot_id_number = page.at(-1)!.id_digest;
        cursor.snapshot_debtor_seq = page.at(-1)!.debtor_seq;
      }
      return this.sendable(tx, partner.code, page);
    }

    const changes = await tx.query<Candidate & { carried: boolean }>(
      `SELECT c.seq::text AS seq, c.id_digest, c.operation,
              ($3::bigint > $1::bigint AND ${CARRIED_AHEAD("c", "$2::text[]", "$3::bigint")}) AS carried
         FROM sanction_change c WHERE c.seq > $1::bigint AND c.list::text = ANY ($2::text[]) ORDER BY c.seq LIMIT $4`,
      [cursor.seq, partner.lists, cursor.removal_seq, limit],
    );
    if (changes.length === 0) return null;
    cursor.seq = changes.at(-1)!.seq;
    return this.sendable(
      tx,
      partner.code,
      changes.filter((change) => !change.carried),
    );
  }

  /**
   * The candidates' seqs in log order, less those of debtors with a held-back or dead change, which are held
   * back too.
   */
  private async sendable(tx: Tx, partner: string, candidates: Candidate[]): Promise<string[]> {
    const debtors = [...new Set(candidates.map((candidate) => candidate.id_digest))];
    const blocked = new Set(
      (
        await tx.query<{ id_digest: string }>(
          `SELECT DISTINCT id_digest FROM sanction_delivery WHERE partner_code = $1 AND id_digest = ANY ($2::text[])`,
          [partner, debtors],
        )
      ).map((row) => row.id_digest),
    );
    const unique = [...new Map(candidates.map((candidate) => [candidate.seq, candidate])).values()].sort((a, b) =>
      BigInt(a.seq) < BigInt(b.seq) ? -1 : 1,
    );
    const holding = unique.filter((candidate) => blocked.has(candidate.id_digest));
    if (holding.length > 0) {
      await tx.query(
        `INSERT INTO sanction_delivery (partner_code, change_seq, id_digest, priority, status)
         SELECT $1, seq, id_digest, CASE WHEN operation = 'REMOVE' THEN 0 ELSE 1 END, ${ENQUEUED_STATUS_SQL}
           FROM sanction_change WHERE seq = ANY ($2::bigint[])
         ON CONFLICT (partner_code, change_seq) DO NOTHING`,
        [partner, holding.map((candidate) => candidate.seq)],
      );
      await hurry(tx, partner);
    }
    return unique.filter((candidate) => !blocked.has(candidate.id_digest)).map((candidate) => candidate.seq);
  }

  /** The partner acknowledged the batch: the cursor's batch is done (and its held-back rows), and the audit trail says so. */
  async acknowledge(partner: string, batchId: string, sentDigest: string, replyDigest: string): Promise<void> {
    await this.sql.query(
      `WITH done AS (
         UPDATE sanction_push_cursor c SET batch_id = NULL, batch_seqs = '{}', attempts = 0, lease_owner = NULL, lease_until = NULL,
                                           last_error = NULL
           FROM (SELECT batch_seqs AS sent FROM sanction_push_cursor WHERE partner_code = $1 AND batch_id = $2::uuid FOR UPDATE) old
          WHERE c.partner_code = $1 AND c.batch_id = $2::uuid
         RETURNING old.sent),
       held AS (
         DELETE FROM sanction_delivery d USING done
          WHERE d.partner_code = $1 AND d.change_seq = ANY (done.sent) AND ${statusAllowsSql("ACKNOWLEDGE", "d.status")})
       INSERT INTO audit_event (${AUDIT_COLUMNS})
       SELECT 'HUB', NULL, 'SANCTION_BATCH_ACKNOWLEDGED', NULL, NULL, $2, NULL, $3, $4,
              jsonb_build_object('partner', $1::text, 'changes', cardinality(sent),
                'firstSeq', (SELECT min(s) FROM unnest(sent) s)::text, 'lastSeq', (SELECT max(s) FROM unnest(sent) s)::text)
         FROM done`,
      [partner, batchId, sentDigest, replyDigest],
    );
  }

  /** The partner answered, but its acknowledgement does not verify: on the audit trail, with what was sent and answered. */
  async refuseAcknowledgement(partner: string, batchId: string, sentDigest: string, replyDigest: string, refusal: string): Promise<void> {
    await this.sql.query(
      `INSERT INTO audit_event (${AUDIT_COLUMNS})
       VALUES ('HUB', NULL, 'SANCTION_BATCH_ACK_REFUSED', NULL, NULL, $2, NULL, $3, $4,
         jsonb_build_object('partner', $1::text, 'refusal', $5::text))`,
      [partner, batchId, sentDigest, replyDigest, refusal.slice(0, 500)],
    );
  }

  /**
   * The batch waits `delayMs` to go again: the partner was unreachable (the attempt does not count: it
   * catches up by itself when it returns) or answered and refused (it counts). A batch whose counted
   * attempts reach `maxAttempts` is dead-lettered, one DEAD row per change, and the partner's cursor moves
   * on; the number of dead changes is returned.
   */
  async fail(
    partner: string,
    batchId: string,
    error: string,
    failure: Extract<DeliveryEvent, "UNREACHABLE" | "REFUSE">,
    maxAttempts: number,
    delayMs: number,
  ): Promise<number> {
    const { exhausted, attempt = 0 } = deliveryTransition(failure);
    return this.sql.transaction(async (tx) => {
      const [batch] = await tx.query<{ attempts: number; seqs: string[] }>(
        `UPDATE sanction_push_cursor
            SET lease_owner = NULL, lease_until = NULL, last_error = $3, attempts = attempts + $4::int,
                next_attempt_at = now() + $5 * interval '1 millisecond'
          WHERE partner_code = $1 AND batch_id = $2::uuid
          RETURNING attempts, batch_seqs::text[] AS seqs`,
        [partner, batchId, error.slice(0, 500), attempt, Math.round(delayMs)],
      );
      if (!batch || exhausted !== "DEAD" || batch.attempts < maxAttempts) return 0;
      await tx.query(
        `WITH dead AS (
           INSERT INTO sanction_delivery (partner_code, change_seq, id_digest, priority, status, attempts, batch_id, last_error)
           SELECT $1, seq, id_digest, CASE WHEN operation = 'REMOVE' THEN 0 ELSE 1 END, ${DEAD}, $4::int, $2::uuid, $5
             FROM sanction_change WHERE seq = ANY ($3::bigint[])
           ON CONFLICT (partner_code, change_seq) DO UPDATE
             SET status = ${DEAD}, attempts = EXCLUDED.attempts, batch_id = EXCLUDED.batch_id, last_error = EXCLUDED.last_error
           RETURNING change_seq),
         cleared AS (
           UPDATE sanction_push_cursor SET batch_id = NULL, batch_seqs = '{}', attempts = 0, next_attempt_at = now()
            WHERE partner_code = $1)
         INSERT INTO audit_event (${AUDIT_COLUMNS})
         SELECT 'HUB', NULL, 'SANCTION_BATCH_DEAD_LETTERED', NULL, NULL, $2, NULL, NULL, NULL,
                jsonb_build_object('partner', $1::text, 'changes', count(*), 'error', $5::text)
           FROM dead HAVING count(*) > 0`,
        [partner, batchId, batch.seqs, batch.attempts, error.slice(0, 500)],
      );
      await hurry(tx, partner);
      return batch.seqs.length;
    });
  }

  deadLetters(partner?: string): Promise<DeadLetter[]> {
    return this.sql.query<DeadLetter>(
      `SELECT partner_code, batch_id::text AS batch_id, count(*)::int AS changes,
         min(change_seq)::text AS first_seq, max(change_seq)::text AS last_seq,
              max(attempts)::int AS attempts, max(last_error) AS last_error, min(created_at) AS since
         FROM sanction_delivery WHERE status = ${DEAD} AND ($1::text IS NULL OR partner_code = $1)
        GROUP BY partner_code, batch_id ORDER BY min(change_seq) LIMIT 500`,
      [partner ?? null],
    );
  }

  /** A supervisor sends a dead batch again; its changes wait their turn as held-back ones, ahead of new traffic. */
  async replay(batchId: string, actor: { org: string; officer: string }): Promise<number> {
    const [row] = await this.sql.query<{ replayed: number }>(
      `WITH replayed AS (
         UPDATE sanction_delivery
            SET status = ${statusSql(REPLAY.to)}, attempts = 0, next_attempt_at = now(), lease_owner = NULL, lease_until = NULL
          WHERE batch_id = $1::uuid AND ${statusAllowsSql("REPLAY")} RETURNING partner_code, change_seq),
       audit AS (
         INSERT INTO audit_event (${AUDIT_COLUMNS})
         SELECT $2, $3, 'SANCTION_BATCH_REPLAYED', NULL, NULL, $1, NULL, NULL, NULL,
                jsonb_build_object('partner', min(partner_code), 'changes', count(*))
           FROM replayed HAVING count(*) > 0)
       SELECT count(*)::int AS replayed, pg_notify($4, '') FROM replayed`,
      [batchId, actor.org, actor.officer, SANCTION_CHANGE_CHANNEL],
    );
    return row.replayed;
  }

  /**
   * Per push partner: changes not yet acknowledged (the batch out, held-back and dead rows, what its cursor has
   * still to read, a snapshot's remaining entries) and when the oldest of them was made; a snapshot under way
   * counts from its cut.
   */
  async backlog(partners: readonly SanctionPartner[]): Promise<PushBacklog[]> {
    return Promise.all(
      partners.map(async (partner) => {
        const [cursor] = await this.sql.query<Cursor>(`SELECT ${CURSOR_COLUMNS} FROM sanction_push_cursor WHERE partner_code = $1`, [
          partner.code,
        ]);
        if (!cursor) return { partner_code: partner.code, backlog: 0, dead: 0, oldest: null };
        const [row] = await this.sql.query<{ backlog: number; dead: number; oldest: Date | null }>(
          `WITH ahead AS (
             SELECT c.seq, c.created_at FROM sanction_change c
              WHERE c.seq > $2::bigint AND c.list::text = ANY ($4::text[])
                AND NOT ($3::bigint > $2::bigint AND ${CARRIED_AHEAD("c", "$4::text[]", "$3::bigint")})),
           out AS (
             SELECT seq, created_at FROM sanction_change WHERE seq = ANY ($5::bigint[])
              UNION SELECT d.change_seq, c.created_at FROM sanction_delivery d JOIN sanction_change c ON c.seq = d.change_seq
              WHERE d.partner_code = $1)
           SELECT ((SELECT count(*) FROM ahead) + (SELECT count(*) FROM out))::int AS backlog,
                  (SELECT count(*) FROM sanction_delivery WHERE partner_code = $1 AND status = ${DEAD})::int AS dead,
                  least((SELECT min(created_at) FROM ahead), (SELECT min(created_at) FROM out),
                        (SELECT created_at FROM sanction_change WHERE seq = $6::bigint)) AS oldest`,
          [partner.code, cursor.seq, cursor.removal_seq, partner.lists, cursor.batch_seqs, cursor.snapshot_cut],
        );
        const snapshot =
          cursor.snapshot_cut === null
            ? 0
            : (
                await snapshotRows(
                  this.sql,
                  cursor.snapshot_cut,
                  partner.lists,
                  { idDigest: cursor.snapshot_id_number!, debtorSeq: cursor.snapshot_debtor_seq! },
                  null,
                )
              ).length;
        return { partner_code: partner.code, backlog: row.backlog + snapshot, dead: row.dead, oldest: row.oldest };
      }),
    );
  }
}
