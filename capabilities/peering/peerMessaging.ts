/**
 * Hub-to-hub messaging, for services whose work crosses into a province that
 * another hub serves (delegated tasks and their status changes). A service
 * registers a handler per message type it receives, and sends by recording a
 * message in its own transaction; delivery, signing, retries, ordering and
 * idempotent receipt are this layer's. See docs/ARCHITECTURE.md, "Hub to hub".
 */
import { HubError } from "../../gateway/errors.js";
import type { Logger } from "../../gateway/logger.js";
import type { OutboundPolicy } from "../../gateway/outbound/outboundPolicy.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { DEFAULT_PEER_DELIVERY, PeerDelivery, type PeerDeliveryOptions, type PeerRefusalHandler } from "./peerDelivery.js";
import { PeerInbox, type PeerMessageHandler, type PeerReply } from "./peerInbox.js";
import { sm2PrivateKey } from "../../gateway/signing/sm2.js";
import { PeerOutbox, recordPeerMessage, type PeerMessageCause, type QueuedPeerMessage } from "./peerOutbox.js";
import type { PresentedCertificate } from "./peerCertificate.js";
import { PeerRegistry, type Peer, type PeerConfig } from "./peerRegistry.js";
import { PeerAgents, type PeerTlsConfig } from "./peerTls.js";
import type { Worker } from "../../gateway/workers/worker.js";
import type { HeadWitness } from "../../gateway/audit/auditWitness.js";
import { peerHeadWitnesses, WitnessedHeads } from "./auditHeadWitness.js";

export interface PeeringConfig {
  /** This hub's SM2 key: PKCS#8 PEM or 64 hex digits (gateway/signing/sm2Keys.ts). */
  privateKeyPem: string;
  /** The signer ID this hub signs with (HUB_SM2_SIGNER_ID); @default "1234567812345678" (GB/T 35276) */
  signerId?: string;
  peers: PeerConfig[];
  /** How far a message's time may be from ours (default 5 minutes). */
  freshnessWindowMs?: number;
  delivery?: Partial<Omit<PeerDeliveryOptions, "instanceId">>;
  /** Mutual TLS between hubs (HUB_PEER_TLS_*): peers are then received on their own HTTPS port only (gateway/http/peerServer.ts). */
  tls?: PeerTlsConfig;
}

/** A message to send: to a peer by id, or to whichever peer serves a division code's province. */
export type PeerMessageToSend = ({ to: string } | { divisionCode: string }) & { type: string; conversation: string; body: unknown };

export class PeerMessaging implements Worker {
  readonly hubId: string;
  readonly registry: PeerRegistry;
  private readonly handlers = new Map<string, PeerMessageHandler>();
  private readonly refusalHandlers = new Map<string, PeerRefusalHandler>();
  private readonly delivery: PeerDelivery;
  private readonly inbox: PeerInbox;
  private readonly agents: PeerAgents;
  /** The audit heads peers handed here as their witness (auditHeadWitness.ts). */
  readonly witnessedHeads: WitnessedHeads;

  /** `deps.hubId`: this hub's id, as its peers know it (HubConfig.hubId). */
  /** `deps.outbound`: where peers may be (gateway/outbound/outboundPolicy.ts), checked as each connection is made. */
  constructor(deps: { sql: Sql; log: Logger; instanceId: string; hubId: string; outbound: OutboundPolicy }, config: PeeringConfig) {
    const privateKey = sm2PrivateKey(config.privateKeyPem, config.signerId);
    const hubId = (this.hubId = deps.hubId);
    this.registry = new PeerRegistry(config.peers);
    const log = deps.log.child({ component: "peering", hubId });
    this.agents = new PeerAgents(config.tls, this.registry.all(), deps.outbound);
    this.delivery = new PeerDelivery(
      {
        outbox: new PeerOutbox(deps.sql),
        registry: this.registry,
        hubId,
        privateKey,
        log,
        agents: this.agents,
        refusalHandlers: this.refusalHandlers,
      },
      { ...DEFAULT_PEER_DELIVERY, ...config.delivery, instanceId: deps.instanceId },
    );
    this.inbox = new PeerInbox({
      sql: deps.sql,
      registry: this.registry,
      hubId,
      privateKey,
      handlers: this.handlers,
      log,
      freshnessWindowMs: config.freshnessWindowMs ?? 5 * 60_000,
      mutualTls: config.tls !== undefined,
    });
    this.witnessedHeads = new WitnessedHeads({ sql: deps.sql, registry: this.registry, log, mutualTls: config.tls !== undefined });
  }

  /** Each peer as a witness of this hub's audit head (gateway/audit/auditWitness.ts). */
  headWitnesses(): HeadWitness[] {
    return peerHeadWitnesses(this.registry, this.agents);
  }

  /** Registers what to do with a message type received from a peer (that the peer is also allowed to send, per its `accepts`). */
  handle<B>(type: string, handler: PeerMessageHandler<B>): void {
    if (this.handlers.has(type)) throw new Error(`peer message type ${type} already has a handler`);
    this.handlers.set(type, handler as PeerMessageHandler);
  }

  /** Registers what to do when a peer refuses a message of this type, sent from here, for good. */
  onRefused(type: string, handler: PeerRefusalHandler): void {
    if (this.refusalHandlers.has(type)) throw new Error(`peer message type ${type} already has a refusal handler`);
    this.refusalHandlers.set(type, handler);
  }

  /** The peer serving a division code's province, or undefined when this hub (or nobody configured) serves it. */
  peerFor(divisionCode: string): Peer | undefined {
    return this.registry.forDivision(divisionCode);
  }

  /**
   * Records a message in the caller's transaction, so it leaves if and only if
   * the change that caused it commits. Call `deliverNow()` after the commit to
   * send at once; otherwise the next sweep sends it.
   */
  async send(tx: Pick<Sql, "query">, message: PeerMessageToSend, cause: PeerMessageCause): Promise<QueuedPeerMessage> {
    const peer = "to" in message ? this.registry.peer(message.to) : this.registry.forDivision(message.divisionCode);
    if (!peer) {
      const target = "to" in message ? `hub ${message.to}` : `division ${message.divisionCode}`;
      throw new HubError("NO_ROUTE", `no peer hub is configured for ${target}`);
    }
    return recordPeerMessage(tx, { to: peer.hubId, type: message.type, conversation: message.conversation, body: message.body }, cause);
  }

  deliverNow(): void {
    this.delivery.kick();
  }

  /**
   * A POST /peer-messages body, answered with the signed acknowledgement or a typed refusal;
   * with mutual TLS, `certificate` is the client certificate of the connection it came on.
   */
  accept(body: string, certificate?: PresentedCertificate): Promise<PeerReply> {
    return this.inbox.receive(body, certificate);
  }

  start(): void {
    this.delivery.start();
  }

  stop(): Promise<void> {
    return this.delivery.stop();
  }
}
