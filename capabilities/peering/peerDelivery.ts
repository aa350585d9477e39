/**
 * Delivers the outbox to peer hubs. Like the dispatcher for agencies, it leases
 * due messages (FOR UPDATE SKIP LOCKED, so several instances share the work),
 * retries an exchange quickly in memory (p-retry), then durably with backoff
 * and jitter while the link or the peer is down, for as long as it takes: the
 * message is marked delivered only on the peer's acknowledgement, verified
 * against the peer's SM2 key, and the peer's inbox makes a resend harmless.
 */
import pRetry from "p-retry";
import { sm3 } from "../../gateway/audit/sm3.js";
import type { Sm2PrivateKey } from "../../gateway/signing/sm2.js";
import { retryDelayMs } from "../../gateway/dispatch/retryDelay.js";
import type { Logger } from "../../gateway/logger.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { contentDigest, signEnvelope, verifyEnvelope, type PeerAcknowledgement, type PeerMessage, type Signed } from "./peerEnvelope.js";
import type { LeasedPeerMessage, PeerOutbox } from "./peerOutbox.js";
import { isFinalRefusal } from "./peerRefusal.js";
import type { Peer, PeerRegistry } from "./peerRegistry.js";
import type { PeerAgents } from "./peerTls.js";
import { CoalescingWake } from "../../gateway/workers/coalescingWake.js";
import type { Worker } from "../../gateway/workers/worker.js";

/** How messages are delivered to peers; every field but instanceId has its default in DEFAULT_PEER_DELIVERY. */
export interface PeerDeliveryOptions {
  /** This instance, as the owner of the messages it leases. */
  instanceId: string;
  /**
   * How long this instance holds a message it is delivering.
   * @default 60_000
   */
  leaseMs: number;
  /**
   * How often to look for due messages no commit here announced (retries, other instances' messages).
   * @default 500
   */
  sweepIntervalMs: number;
  /** @default 10_000 */
  requestTimeoutMs: number;
  /**
   * Quick retries of one exchange, in memory, before it waits for its next durable attempt.
   * @default 1
   */
  quickRetries: number;
  /** @default 200 */
  quickRetryMinMs: number;
  /**
   * Messages handed out per sweep (each is the head of its own conversation).
   * @default 64
   */
  batchSize: number;
  /**
   * Wait before attempt n+1 after n failed.
   * @default retryDelayMs (1 s doubling to 5 min, jittered)
   */
  retryDelayMs?: (attempt: number) => number;
}

export const DEFAULT_PEER_DELIVERY: Omit<PeerDeliveryOptions, "instanceId"> = {
  leaseMs: 60_000,
  sweepIntervalMs: 500,
  requestTimeoutMs: 10_000,
  quickRetries: 1,
  quickRetryMinMs: 200,
  batchSize: 64,
};

class DeliveryError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

/**
 * What the service that sent a message does when the peer refuses it for good, in the transaction that
 * records the refusal (so a state waiting for the peer's answer is not left waiting); returns what to do
 * once that commits.
 */
export type PeerRefusalHandler = (message: LeasedPeerMessage, reason: string, tx: Pick<Sql, "query">) => Promise<void | (() => void)>;

export class PeerDelivery implements Worker {
  private readonly loop: CoalescingWake;
  private stopped = true;

  constructor(
    private readonly deps: {
      outbox: PeerOutbox;
      registry: PeerRegistry;
      hubId: string;
      privateKey: Sm2PrivateKey;
      log: Logger;
      /** The connections to each peer (with mutual TLS when configured). */
      agents: PeerAgents;
      /** Per message type, what its sending service does when a peer refuses such a message for good. */
      refusalHandlers: ReadonlyMap<string, PeerRefusalHandler>;
    },
    private readonly options: PeerDeliveryOptions,
  ) {
    this.loop = new CoalescingWake(
      () => this.sweep(),
      (error) => this.deps.log.error({ err: error }, "peer delivery sweep failed; will retry"),
    );
  }

  start(): void {
    this.stopped = false;
    this.loop.start(this.options.sweepIntervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop.stop();
    await this.deps.agents.close();
  }

  /** Looks for due messages now (after a commit that queued one), instead of at the next sweep. */
  kick(): void {
    this.loop.wake();
  }

  private async sweep(): Promise<void> {
    const { instanceId, leaseMs, batchSize } = this.options;
    for (;;) {
      const due = await this.deps.outbox.claimDue(instanceId, leaseMs, batchSize);
      if (due.length === 0 || this.stopped) return;
      const outcomes = await Promise.all(due.map((message) => this.deliver(message)));
      // A delivery lets the next message of its conversation go at once; otherwise wait for the next sweep.
      if (!outcomes.includes(true)) return;
    }
  }

  /** One message, to its peer; true when it left the outbox. */
  private async deliver(leased: LeasedPeerMessage): Promise<boolean> {
    const { outbox, registry, hubId, log } = this.deps;
    const peer = registry.peer(leased.to_hub);
    const cause = { actorOrg: `hub:${hubId}`, subjectId: leased.id };
    try {
      if (!peer) throw new DeliveryError(`no peer ${leased.to_hub} is configured`, true);
      const exchange = await pRetry(() => this.exchange(peer, leased), {
        retries: this.options.quickRetries,
        minTimeout: this.options.quickRetryMinMs,
        factor: 2,
        randomize: true,
        shouldRetry: ({ error }) => (error as DeliveryError).transient === true,
      });
      await outbox.delivered(leased, exchange.acknowledgement, {
        ...cause,
        action: "PEER_MESSAGE_DELIVERED",
        sentDigest: exchange.digest,
        replyDigest: sm3(exchange.reply),
        detail: {
          to: leased.to_hub,
          type: leased.type,
          conversation: leased.conversation,
          sequence: leased.sequence,
          attempts: leased.attempts,
        },
      });
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof DeliveryError && !error.transient) {
        log.warn({ messageId: leased.id, peer: leased.to_hub, reason }, "peer refused the message for good");
        const onRefused = this.deps.refusalHandlers.get(leased.type);
        const { consequence } = await outbox.failed(
          leased,
          reason,
          {
            ...cause,
            action: "PEER_MESSAGE_FAILED",
            detail: { to: leased.to_hub, type: leased.type, conversation: leased.conversation, sequence: leased.sequence, reason },
          },
          onRefused && ((tx) => onRefused(leased, reason, tx)),
        );
        if (consequence) consequence();
        return true;
      }
      const delay = (this.options.retryDelayMs ?? retryDelayMs)(leased.attempts);
      log.info(
        { messageId: leased.id, peer: leased.to_hub, attempts: leased.attempts, retryInMs: delay, reason },
        "peer message will be resent",
      );
      await outbox.reschedule(leased, this.options.instanceId, delay, reason);
      return false;
    }
  }

  private async exchange(
    peer: Peer,
    leased: LeasedPeerMessage,
  ): Promise<{ acknowledgement: Signed<PeerAcknowledgement>; digest: string; reply: string }> {
    const message: PeerMessage = {
      id: leased.id,
      from: this.deps.hubId,
      to: peer.hubId,
      type: leased.type,
      conversation: leased.conversation,
      sequence: leased.sequence,
      sentAt: new Date().toISOString(),
      body: leased.body,
    };
    let response: Response;
    let reply: string;
    try {
      response = await fetch(`${peer.baseUrl}/peer-messages`, {
        // @ts-expect-error undici's dispatcher option is not in the DOM fetch types
        dispatcher: this.deps.agents.for(peer),
        // A redirect is not followed (the message is for the peer, not wherever it points): it fails as any non-2xx.
        redirect: "manual",
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(signEnvelope(message, this.deps.privateKey)),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      reply = await response.text();
    } catch (error) {
      // fetch says only "fetch failed"; why (refused, a certificate not the peer's, a timeout) is in its cause.
      const cause = (error as Error).cause as Error | undefined;
      throw new DeliveryError(
        `peer ${peer.hubId} unreachable: ${(error as Error).message}${cause?.message ? `: ${cause.message}` : ""}`,
        true,
      );
    }
    if (!response.ok) {
      const code = (parseJson(reply) as { error?: { code?: string; message?: string } } | undefined)?.error;
      const reason = `peer ${peer.hubId} answered ${response.status} ${code?.code ?? ""}: ${code?.message ?? reply.slice(0, 200)}`;
      throw new DeliveryError(reason, !(code?.code && isFinalRefusal(code.code)));
    }
    const digest = contentDigest(message);
    const acknowledgement = parseJson(reply) as Signed<PeerAcknowledgement> | undefined;
    const ack = acknowledgement?.signed;
    // Only the peer's own signature over this very message proves it was received; anything else is retried.
    if (
      !ack ||
      typeof acknowledgement.signature !== "string" ||
      ack.messageId !== message.id ||
      ack.from !== peer.hubId ||
      ack.to !== this.deps.hubId ||
      ack.digest !== digest ||
      !verifyEnvelope(acknowledgement, peer.publicKey)
    ) {
      throw new DeliveryError(`peer ${peer.hubId} answered without a valid signed acknowledgement`, true);
    }
    return { acknowledgement, digest, reply };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
