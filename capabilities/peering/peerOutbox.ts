/**
 * The outbox: messages to peer hubs, recorded in the transaction of the change
 * that causes them and delivered afterwards by PeerDelivery. Each conversation
 * with a peer numbers its messages under a row lock on its counter, so numbers
 * follow commit order, and only the oldest pending message of a conversation is
 * ever handed out: a conversation is delivered in order even by several
 * instances. Every transition is one statement guarded on status, with its audit row.
 */
import { randomUUID } from "node:crypto";
import { dataCipher } from "../../gateway/persistence/dataCipher.js";
import { AUDIT_COLUMNS, auditParams, auditValuesSql, type AuditEntry } from "../../gateway/audit/auditEvent.js";
import type { Sql } from "../../gateway/persistence/database.js";

export interface OutgoingPeerMessage {
  /** The peer hub's id. */
  to: string;
  type: string;
  conversation: string;
  body: unknown;
}

export interface QueuedPeerMessage {
  id: string;
  to: string;
  sequence: number;
}

export interface LeasedPeerMessage {
  id: string;
  to_hub: string;
  type: string;
  conversation: string;
  sequence: number;
  body: unknown;
  attempts: number;
}

/** Who caused a message, for its audit row. */
export interface PeerMessageCause {
  actorOrg: string;
  actorOfficer?: string | null;
  caseId?: string | null;
}

export async function recordPeerMessage(
  tx: Pick<Sql, "query">,
  message: OutgoingPeerMessage,
  cause: PeerMessageCause,
): Promise<QueuedPeerMessage> {
  const id = randomUUID();
  const audit: AuditEntry = {
    ...cause,
    action: "PEER_MESSAGE_QUEUED",
    subjectId: id,
    detail: { to: message.to, type: message.type, conversation: message.conversation },
  };
  const [row] = await tx.query<{ sequence: number }>(
    `WITH seq AS (
       INSERT INTO peer_conversation (peer_hub, direction, conversation, last_sequence) VALUES ($2, 'OUT', $4, 1)
       ON CONFLICT (peer_hub, direction, conversation) DO UPDATE SET last_sequence = peer_conversation.last_sequence + 1
       RETURNING last_sequence),
     msg AS (
       INSERT INTO peer_outbox (id, to_hub, type, conversation, sequence, body)
       SELECT $1::uuid, $2, $3, $4, last_sequence, $5::jsonb FROM seq RETURNING sequence),
     audit AS (INSERT INTO audit_event (${AUDIT_COLUMNS}) VALUES ${auditValuesSql(6)})
     SELECT sequence FROM msg`,
    // The body names the debtor (a delegated task): sealed at rest like the debtor's row, opened when sent.
    [
      id,
      message.to,
      message.type,
      message.conversation,
      JSON.stringify(dataCipher().sealJson(message.body ?? null)),
      ...auditParams(audit),
    ],
  );
  return { id, to: message.to, sequence: row.sequence };
}

export class PeerOutbox {
  constructor(private readonly sql: Sql) {}

  /**
   * Leases the oldest pending message of each conversation that is due and not
   * held, counting the attempt. A later message of a conversation waits until
   * the one before it is delivered or refused for good.
   */
  async claimDue(owner: string, leaseMs: number, limit: number): Promise<LeasedPeerMessage[]> {
    const claimed = await this.sql.query<LeasedPeerMessage>(
      `UPDATE peer_outbox SET lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond', attempts = attempts + 1
        WHERE id IN (
          SELECT o.id FROM peer_outbox o
           WHERE o.status = 'PENDING' AND o.next_attempt_at <= now() AND (o.lease_until IS NULL OR o.lease_until < now())
             AND NOT EXISTS (SELECT 1 FROM peer_outbox e
                              WHERE e.to_hub = o.to_hub AND e.conversation = o.conversation
                                AND e.sequence < o.sequence AND e.status = 'PENDING')
           ORDER BY o.next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING id::text AS id, to_hub, type, conversation, sequence, body, attempts`,
      [owner, leaseMs, limit],
    );
    return claimed.map((message) => ({ ...message, body: dataCipher().openJson(message.body as string) }));
  }

  /** The peer's signed acknowledgement arrived; returns false if the message had been finished meanwhile. */
  delivered(message: LeasedPeerMessage, acknowledgement: unknown, audit: AuditEntry): Promise<boolean> {
    return this.finish(message.id, "DELIVERED", { acknowledgement: JSON.stringify(acknowledgement), error: null }, audit);
  }

  /**
   * The peer refused the message for good (peerRefusal.ts); it stays in the outbox with the reason. The
   * sending service's `consequence` of the refusal commits with it, and runs only if this call finished it.
   */
  async failed<R>(
    message: LeasedPeerMessage,
    error: string,
    audit: AuditEntry,
    consequence?: (tx: Pick<Sql, "query">) => Promise<R>,
  ): Promise<{ finished: boolean; consequence?: R }> {
    if (!consequence) return { finished: await this.finish(message.id, "FAILED", { acknowledgement: null, error }, audit) };
    return this.sql.transaction(async (tx) => {
      const finished = await this.finish(message.id, "FAILED", { acknowledgement: null, error }, audit, tx);
      return finished ? { finished, consequence: await consequence(tx) } : { finished };
    });
  }

  /** Gives the message back to the schedule after a failed attempt; only the lease holder may. */
  async reschedule(message: LeasedPeerMessage, owner: string, delayMs: number, error: string): Promise<void> {
    await this.sql.query(
      `UPDATE peer_outbox SET next_attempt_at = now() + $3 * interval '1 millisecond',
         lease_owner = NULL, lease_until = NULL, last_error = $4
        WHERE id = $1 AND status = 'PENDING' AND lease_owner = $2`,
      [message.id, owner, delayMs, error],
    );
  }

  private async finish(
    id: string,
    status: "DELIVERED" | "FAILED",
    outcome: { acknowledgement: string | null; error: string | null },
    audit: AuditEntry,
    tx: Pick<Sql, "query"> = this.sql,
  ): Promise<boolean> {
    const [row] = await tx.query<{ finished: number }>(
      `WITH msg AS (
         UPDATE peer_outbox SET status = $2::"PeerOutboxStatus", acknowledgement = $3::jsonb, last_error = coalesce($4, last_error),
                finished_at = now(), lease_owner = NULL, lease_until = NULL
          WHERE id = $1 AND status = 'PENDING' RETURNING id),
       audit AS (
         INSERT INTO audit_event (${AUDIT_COLUMNS})
         SELECT * FROM (VALUES ${auditValuesSql(5)}) AS v WHERE EXISTS (SELECT 1 FROM msg))
       SELECT count(*)::int AS finished FROM msg`,
      [id, status, outcome.acknowledgement, outcome.error, ...auditParams(audit)],
    );
    return row.finished > 0;
  }
}
