/**
 * Receives peers' messages at POST /peer-messages. A message is checked before
 * anything is written (shape, known peer, with mutual TLS the client
 * certificate pinned for that peer, addressed here, SM2 signature,
 * freshness, the peer's access to its type, a handler for it); a refusal is
 * answered with its typed code and recorded in the audit trail. An accepted
 * message is recorded in the inbox, its conversation advanced and its handler
 * run in one transaction, and the hub's signed acknowledgement stored with it:
 * the same message again (a resend whose acknowledgement was lost) changes
 * nothing and gets that same acknowledgement back.
 */
import type { AuditEntry } from "../../gateway/audit/auditEvent.js";
import { dataCipher } from "../../gateway/persistence/dataCipher.js";
import { appendAudit } from "../../gateway/audit/auditEvent.js";
import { canonicalJson, sm3 } from "../../gateway/audit/sm3.js";
import type { Sm2PrivateKey } from "../../gateway/signing/sm2.js";
import type { Logger } from "../../gateway/logger.js";
import type { Sql } from "../../gateway/persistence/database.js";
import {
  contentDigest,
  isFresh,
  parseMessageEnvelope,
  signEnvelope,
  verifyEnvelope,
  type PeerAcknowledgement,
  type PeerMessage,
  type Signed,
} from "./peerEnvelope.js";
import { certificateMatchesPeer, describeCertificate, type PresentedCertificate } from "./peerCertificate.js";
import { PeerRefusal } from "./peerRefusal.js";
import type { PeerRegistry } from "./peerRegistry.js";

/** A peer's message as its handler sees it, already verified. */
export type ReceivedPeerMessage<B = unknown> = Omit<PeerMessage, "body" | "to"> & { body: B };

/**
 * Applies one message type. It runs in the inbox's transaction (`tx`): what it
 * writes commits together with the receipt, or not at all. Throwing
 * PeerRefusal("REJECTED", why) refuses the message for good; any other error
 * rolls back and the sender tries again later. What it returns runs once the
 * receipt has committed (announcing the change), never for a receipt rolled back.
 */
export type PeerMessageHandler<B = unknown> = (message: ReceivedPeerMessage<B>, tx: Pick<Sql, "query">) => Promise<void | (() => void)>;

export interface PeerReply {
  status: number;
  body: string;
}

export class PeerInbox {
  constructor(
    private readonly deps: {
      sql: Sql;
      registry: PeerRegistry;
      hubId: string;
      privateKey: Sm2PrivateKey;
      handlers: ReadonlyMap<string, PeerMessageHandler>;
      log: Logger;
      /** How far a message's sentAt may be from this hub's time. */
      freshnessWindowMs: number;
      /** Peers connect over mutual TLS: each message must come with the client certificate pinned for the peer it names. */
      mutualTls: boolean;
    },
  ) {}

  /** `certificate`: the TLS client certificate of the connection the message came on (gateway/http/peerServer.ts). */
  async receive(raw: string, certificate?: PresentedCertificate): Promise<PeerReply> {
    const envelope = parseMessageEnvelope(raw);
    try {
      if (!envelope) throw new PeerRefusal("MALFORMED", "not a signed peer message");
      const acknowledgement = await this.accept(envelope, certificate);
      return { status: 200, body: JSON.stringify(acknowledgement) };
    } catch (error) {
      if (!(error instanceof PeerRefusal)) throw error;
      await this.recordRefusal(raw, envelope?.signed, error, certificate);
      return { status: error.status, body: error.reply };
    }
  }

  private async accept(envelope: Signed<PeerMessage>, certificate: PresentedCertificate | undefined): Promise<Signed<PeerAcknowledgement>> {
    const { registry, hubId, handlers } = this.deps;
    const message = envelope.signed;
    const peer = registry.peer(message.from);
    if (!peer) throw new PeerRefusal("UNKNOWN_PEER", `no peer ${message.from} is configured here`);
    if (this.deps.mutualTls && !(certificate && certificateMatchesPeer(peer, certificate))) {
      const presented = certificate ? describeCertificate(certificate) : undefined;
      throw new PeerRefusal(
        "CERTIFICATE_MISMATCH",
        presented
          ? `the client certificate (CN ${presented.commonName}, SHA-256 ${presented.sha256}) is not the one of ${peer.hubId}`
          : "no client certificate",
      );
    }
    if (message.to !== hubId) throw new PeerRefusal("NOT_ADDRESSED_HERE", `this is hub ${hubId}, not ${message.to}`);
    if (!verifyEnvelope(envelope, peer.publicKey))
      throw new PeerRefusal("BAD_SIGNATURE", `the signature does not verify with ${peer.hubId}'s SM2 key`);
    const now = new Date();
    if (!isFresh(message.sentAt, now, this.deps.freshnessWindowMs)) {
      throw new PeerRefusal(
        "STALE_MESSAGE",
        `sent at ${message.sentAt}, outside ${this.deps.freshnessWindowMs} ms of ${now.toISOString()}`,
      );
    }
    if (!registry.mayReceive(peer, message.type))
      throw new PeerRefusal("TYPE_NOT_ALLOWED", `${peer.hubId} may not send ${message.type} here`);
    const handler = handlers.get(message.type);
    if (!handler) throw new PeerRefusal("NO_HANDLER", `this hub does not handle ${message.type}`);

    const digest = contentDigest(message);
    const acknowledgement = signEnvelope<PeerAcknowledgement>(
      { messageId: message.id, from: hubId, to: peer.hubId, digest, receivedAt: now.toISOString() },
      this.deps.privateKey,
    );
    const committed: { announce?: () => void } = {};
    const reply = await this.deps.sql.transaction(async (tx) => {
      const [inserted] = await tx.query<{ id: string }>(
        `INSERT INTO peer_inbox (id, from_hub, type, conversation, sequence, body, digest, acknowledgement)
         VALUES ($1::uuid, $2, $3, $4, $5, $6::jsonb, $7, $8::jsonb) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          message.id,
          message.from,
          message.type,
          message.conversation,
          message.sequence,
          JSON.stringify(dataCipher().sealJson(message.body)),
          digest,
          JSON.stringify(acknowledgement),
        ],
      );
      if (!inserted) {
        // Waits for a concurrent first receipt of the same id to commit (its row lock), then answers as it did.
        const [held] = await tx.query<{ from_hub: string; digest: string; acknowledgement: Signed<PeerAcknowledgement> }>(
          `SELECT from_hub, digest, acknowledgement FROM peer_inbox WHERE id = $1::uuid`,
          [message.id],
        );
        // Retention deleted it between the insert and this read: the sender's next attempt meets the conversation's counter.
        if (!held) throw new Error(`message ${message.id} was pruned while being received again`);
        if (held.from_hub !== message.from || held.digest !== digest) {
          throw new PeerRefusal("ID_REUSED", `message id ${message.id} was already received with other content`);
        }
        // Nothing changes, but every exchange is on record (X-Road keeps one log entry per exchange).
        await appendAudit(tx, receiptAudit("PEER_MESSAGE_RECEIVED_AGAIN", message, digest, held.acknowledgement));
        return held.acknowledgement;
      }
      const [advanced] = await tx.query(
        `INSERT INTO peer_conversation (peer_hub, direction, conversation, last_sequence) VALUES ($1, 'IN', $2, $3)
         ON CONFLICT (peer_hub, direction, conversation) DO UPDATE SET last_sequence = excluded.last_sequence
          WHERE peer_conversation.last_sequence < excluded.last_sequence
         RETURNING last_sequence`,
        [message.from, message.conversation, message.sequence],
      );
      // Also what a resend of a message applied and since pruned (exchangeRetention.ts) meets: refused, never applied twice.
      if (!advanced) {
        throw new PeerRefusal(
          "OUT_OF_ORDER",
          `message ${message.sequence} of ${message.conversation} is not after the last one applied (or was applied, and pruned since)`,
        );
      }
      const { to: _to, ...received } = message;
      committed.announce = (await handler(received, tx)) ?? undefined;
      await appendAudit(tx, receiptAudit("PEER_MESSAGE_RECEIVED", message, digest, acknowledgement));
      return acknowledgement;
    });
    committed.announce?.();
    return reply;
  }

  /** A refusal changes nothing but is still an exchange: it goes in the audit trail with what was claimed. */
  private async recordRefusal(
    raw: string,
    claimed: PeerMessage | undefined,
    refusal: PeerRefusal,
    certificate: PresentedCertificate | undefined,
  ): Promise<void> {
    // Over mutual TLS, who really sent it is the certificate, whatever the message claims.
    const presented = certificate && { certificate: describeCertificate(certificate) };
    this.deps.log.warn(
      { code: refusal.code, reason: refusal.message, from: claimed?.from, messageId: claimed?.id, ...presented },
      "peer message refused",
    );
    const entry: AuditEntry = {
      actorOrg: `hub:${claimed?.from ?? "unknown"}`,
      action: "PEER_MESSAGE_REFUSED",
      subjectId: claimed?.id ?? null,
      sentDigest: sm3(raw),
      detail: {
        code: refusal.code,
        reason: refusal.message,
        type: claimed?.type ?? null,
        conversation: claimed?.conversation ?? null,
        ...presented,
      },
    };
    await appendAudit(this.deps.sql, entry);
  }
}

function receiptAudit(action: string, message: PeerMessage, digest: string, acknowledgement: Signed<PeerAcknowledgement>): AuditEntry {
  return {
    actorOrg: `hub:${message.from}`,
    action,
    subjectId: message.id,
    sentDigest: digest,
    replyDigest: sm3(canonicalJson(acknowledgement)),
    detail: { from: message.from, type: message.type, conversation: message.conversation, sequence: message.sequence },
  };
}
