/**
 * The push outbox (sanction_delivery): one row per change per push partner, each state change
 * one SQL statement. A row can be claimed only when no earlier row of the same partner and
 * debtor is left (waiting, in flight or dead), so each debtor's changes reach a partner in
 * order; among those, removals (priority 0) go first. Claims take a lease with
 * `FOR UPDATE SKIP LOCKED`, so several hub instances never send the same batch at once, and
 * a crashed instance's batches are taken over when the lease ends. Which status each statement
 * may find and leave is domain/sanctions/deliveryLifecycle.ts's.
 */
import { deliveryTransition, type DeliveryEvent } from "../../../domain/sanctions/deliveryLifecycle.js";
import { AUDIT_COLUMNS } from "../../../gateway/audit/auditEvent.js";
import type { Sql } from "../../../gateway/persistence/database.js";
import { SANCTION_CHANGE_CHANNEL } from "../sanctionStore.js";
import { CHANGE_ROW_COLUMNS, type ChangeRow } from "./changeMessage.js";
import { statusAllowsSql, statusSql } from "./deliveryStatusSql.js";

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

export class DeliveryStore {
  constructor(private readonly sql: Sql) {}

  async claim(partner: string, batchId: string, owner: string, leaseMs: number, limit: number): Promise<ChangeRow[]> {
    return this.sql.query<ChangeRow>(
      `WITH picked AS (
         SELECT partner_code, change_seq FROM sanction_delivery c
          WHERE c.partner_code = $1 AND ${statusAllowsSql("CLAIM", "c.status")} AND c.next_attempt_at <= now()
            -- A lease that has ended (LEASE_EXPIRY) leaves the row claimable again.
            AND (c.lease_until IS NULL OR c.lease_until < now())
            -- The debtor's earliest row for this partner. A scalar subquery, not NOT EXISTS: the planner would
            -- turn that into an anti-join over the whole outbox, where this is one index probe per candidate.
            AND c.change_seq = (SELECT min(p.change_seq) FROM sanction_delivery p
              WHERE p.id_digest = c.id_digest AND p.partner_code = c.partner_code)
          ORDER BY c.priority, c.change_seq
          LIMIT $5 FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE sanction_delivery d SET lease_owner = $3, lease_until = now() + $4 * interval '1 millisecond', batch_id = $2::uuid
           FROM picked WHERE d.partner_code = picked.partner_code AND d.change_seq = picked.change_seq
         RETURNING d.change_seq)
       SELECT ${CHANGE_ROW_COLUMNS} FROM sanction_change WHERE seq IN (SELECT change_seq FROM claimed) ORDER BY sanction_change.seq`,
      [partner, batchId, owner, leaseMs, limit],
    );
  }

  /** The partner acknowledged the batch: its rows are done, and the audit trail says so. */
  async acknowledge(partner: string, batchId: string, sentDigest: string, replyDigest: string): Promise<void> {
    await this.sql.query(
      `WITH done AS (
         DELETE FROM sanction_delivery WHERE partner_code = $1 AND batch_id = $2::uuid AND ${statusAllowsSql("ACKNOWLEDGE")}
         RETURNING change_seq)
       INSERT INTO audit_event (${AUDIT_COLUMNS})
       SELECT 'HUB', NULL, 'SANCTION_BATCH_ACKNOWLEDGED', NULL, NULL, $2, NULL, $3, $4,
              jsonb_build_object('partner', $1::text, 'changes', count(*),
                'firstSeq', min(change_seq)::text, 'lastSeq', max(change_seq)::text)
         FROM done HAVING count(*) > 0`,
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
   * The batch goes back to wait `delayMs`: the partner was unreachable (the attempt does not count:
   * it catches up by itself when it returns) or answered and refused (it counts). Rows whose counted
   * attempts reach `maxAttempts` are dead-lettered; the number of them is returned.
   */
  async fail(
    partner: string,
    batchId: string,
    error: string,
    failure: Extract<DeliveryEvent, "UNREACHABLE" | "REFUSE">,
    maxAttempts: number,
    delayMs: number,
  ): Promise<number> {
    const { to, exhausted = to, attempt = 0 } = deliveryTransition(failure);
    const [row] = await this.sql.query<{ dead: number }>(
      `WITH failed AS (
         UPDATE sanction_delivery
            SET lease_owner = NULL, lease_until = NULL, last_error = $3, attempts = attempts + $4::int,
                status = CASE WHEN attempts + $4::int >= $5 THEN ${statusSql(exhausted)} ELSE ${statusSql(to)} END,
                next_attempt_at = now() + $6 * interval '1 millisecond'
          WHERE partner_code = $1 AND batch_id = $2::uuid AND ${statusAllowsSql(failure)}
          RETURNING status, change_seq),
       audit AS (
         INSERT INTO audit_event (${AUDIT_COLUMNS})
         SELECT 'HUB', NULL, 'SANCTION_BATCH_DEAD_LETTERED', NULL, NULL, $2, NULL, NULL, NULL,
                jsonb_build_object('partner', $1::text, 'changes', count(*), 'error', $3::text)
           FROM failed WHERE status = ${DEAD} HAVING count(*) > 0)
       SELECT count(*) FILTER (WHERE status = ${DEAD})::int AS dead FROM failed`,
      [partner, batchId, error.slice(0, 500), attempt, maxAttempts, Math.round(delayMs)],
    );
    return row.dead;
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

  /** A supervisor sends a dead batch again; its rows wait their turn as new. */
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

  backlog(): Promise<PushBacklog[]> {
    return this.sql.query<PushBacklog>(
      `SELECT partner_code, count(*)::int AS backlog, count(*) FILTER (WHERE status = ${DEAD})::int AS dead, min(created_at) AS oldest
         FROM sanction_delivery GROUP BY partner_code`,
    );
  }
}
