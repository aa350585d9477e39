/**
 * Retention of finished hub-to-hub exchanges: outbox messages the peer
 * acknowledged, and inbox messages this hub applied, are deleted once older
 * than the retention (HUB_EXCHANGE_RETENTION_DAYS, local policy). The audit
 * trail keeps each exchange for good (SM3 digests of message and
 * acknowledgement); what goes is the body and the signed acknowledgement.
 *
 * What stays: pending outbox messages (not yet delivered, whatever their age),
 * failed ones (refused for good: an operator's to read), and every
 * conversation's counter (peer_conversation). The counter is what keeps a
 * pruned message from being applied twice: a sender resends only a message it
 * holds no acknowledgement for, and if the receiver had applied it and pruned
 * it since, the resend's sequence is not after the conversation's last applied
 * one, so the inbox refuses it (OUT_OF_ORDER) instead of running it again.
 *
 * Deletes go in small batches, each one short statement, rows picked with
 * FOR UPDATE SKIP LOCKED: several instances on one database share the work
 * without waiting on each other, and no batch holds locks for long. Each batch
 * leaves one audit row saying what went, so a gap is policy, not loss.
 *
 * Raw agency replies go the same way past their own retention (HUB_REPLY_RETENTION_DAYS): personal data
 * kept no longer than its purpose needs (个人信息保护法 art. 19). The request row, its findings and the assets
 * stay; the reply's SM3 digest is in its AGENCY_EXCHANGE audit row and again in the batch's audit row.
 */
import { AUDIT_COLUMNS } from "../../gateway/audit/auditEvent.js";
import type { Logger } from "../../gateway/logger.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { CoalescingWake } from "../../gateway/workers/coalescingWake.js";
import type { Worker } from "../../gateway/workers/worker.js";

/** Local policy, not law: long enough for any inquiry into an exchange, and far beyond the longest outage a sender rides out. */
export const DEFAULT_EXCHANGE_RETENTION_DAYS = 180;

/** Local policy as well: a year covers the objections and reviews an inquiry's result can meet. */
export const DEFAULT_REPLY_RETENTION_DAYS = 365;

/** How long finished exchanges with peer hubs are kept, and how they are pruned. */
export interface ExchangeRetentionOptions {
  /**
   * Days a finished exchange is kept (HUB_EXCHANGE_RETENTION_DAYS).
   * @default DEFAULT_EXCHANGE_RETENTION_DAYS (180)
   */
  retentionDays: number;
  /**
   * Days a raw agency reply is kept after its request finished (HUB_REPLY_RETENTION_DAYS).
   * @default DEFAULT_REPLY_RETENTION_DAYS (365)
   */
  replyRetentionDays: number;
  /**
   * Rows per delete statement.
   * @default 500
   */
  batchSize: number;
  /**
   * How often the hub prunes.
   * @default 3_600_000 (an hour)
   */
  intervalMs: number;
}

export const DEFAULT_EXCHANGE_RETENTION: ExchangeRetentionOptions = {
  retentionDays: DEFAULT_EXCHANGE_RETENTION_DAYS,
  replyRetentionDays: DEFAULT_REPLY_RETENTION_DAYS,
  batchSize: 500,
  intervalMs: 60 * 60_000,
};

const DAY_MS = 24 * 60 * 60_000;

/** Per table: the rows finished before $1, oldest first by `age` (both indexed, migration 0009). */
const TABLES = {
  outbox: { table: "peer_outbox", age: "finished_at", due: "status = 'DELIVERED' AND finished_at < $1", action: "PEER_OUTBOX_PRUNED" },
  inbox: { table: "peer_inbox", age: "received_at", due: "received_at < $1", action: "PEER_INBOX_PRUNED" },
} as const;

export interface PrunedExchanges {
  outbox: number;
  inbox: number;
  replies: number;
}

export class ExchangeRetention implements Worker {
  private readonly loop: CoalescingWake;

  constructor(
    private readonly deps: { sql: Sql; clock: () => Date; log: Logger },
    private readonly options: ExchangeRetentionOptions,
  ) {
    this.loop = new CoalescingWake(
      () => this.runOnce(),
      (error) => this.deps.log.error({ err: error }, "pruning exchanges with peer hubs failed; will retry"),
    );
  }

  /** Deletes every finished exchange older than the retention at the hub's clock, batch by batch. */
  async runOnce(): Promise<PrunedExchanges> {
    const before = new Date(this.deps.clock().getTime() - this.options.retentionDays * DAY_MS);
    const pruned: PrunedExchanges = { outbox: 0, inbox: 0, replies: 0 };
    for (const side of Object.keys(TABLES) as (keyof typeof TABLES)[]) {
      for (;;) {
        const batch = await this.pruneBatch(side, before);
        pruned[side] += batch;
        if (batch < this.options.batchSize) break;
      }
    }
    const repliesBefore = new Date(this.deps.clock().getTime() - this.options.replyRetentionDays * DAY_MS);
    for (;;) {
      const batch = await this.pruneReplies(repliesBefore);
      pruned.replies += batch;
      if (batch < this.options.batchSize) break;
    }
    if (pruned.outbox + pruned.inbox + pruned.replies > 0)
      this.deps.log.info({ ...pruned, before: before.toISOString() }, "pruned exchanges with peer hubs past retention");
    return pruned;
  }

  start(): void {
    this.loop.start(this.options.intervalMs);
    // A pass at start as well as on schedule: restarted more often than the interval, an instance would never run one.
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async pruneBatch(side: keyof typeof TABLES, before: Date): Promise<number> {
    const { table, age, due, action } = TABLES[side];
    const [row] = await this.deps.sql.query<{ pruned: number }>(
      `WITH pruned AS (
         DELETE FROM ${table} WHERE id IN (
           SELECT id FROM ${table} WHERE ${due} ORDER BY ${age} LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING ${age} AS at),
       audit AS (
         INSERT INTO audit_event (${AUDIT_COLUMNS})
         SELECT 'HUB', NULL, $3, NULL, NULL, NULL, NULL, NULL, NULL,
                jsonb_build_object('rows', count(*), 'oldest', min(at), 'newest', max(at), 'retentionDays', $4::int)
           FROM pruned HAVING count(*) > 0)
       SELECT count(*)::int AS pruned FROM pruned`,
      [before, this.options.batchSize, action, this.options.retentionDays],
    );
    return row.pruned;
  }

  private async pruneReplies(before: Date): Promise<number> {
    const [row] = await this.deps.sql.query<{ pruned: number }>(
      `WITH due AS (
         SELECT id FROM agency_request WHERE finished_at < $1 AND raw_reply IS NOT NULL ORDER BY finished_at LIMIT $2
           FOR UPDATE SKIP LOCKED),
       pruned AS (
         UPDATE agency_request AS r SET raw_reply = NULL FROM due WHERE r.id = due.id
         RETURNING r.id, r.finished_at AS at, r.reply_digest),
       audit AS (
         INSERT INTO audit_event (${AUDIT_COLUMNS})
         SELECT 'HUB', NULL, 'AGENCY_REPLIES_PRUNED', NULL, NULL, NULL, NULL, NULL, NULL,
                jsonb_build_object('rows', count(*), 'oldest', min(at), 'newest', max(at), 'retentionDays', $3::int,
                  'replyDigests', jsonb_object_agg(id::text, reply_digest))
           FROM pruned HAVING count(*) > 0)
       SELECT count(*)::int AS pruned FROM pruned`,
      [before, this.options.batchSize, this.options.replyRetentionDays],
    );
    return row.pruned;
  }
}
