/**
 * Pushes list changes to the partners that receive them by POST: batches read from the change
 * log by each partner's cursor (deliveryStore), one batch per partner out at a time, minimised
 * to the partner's data profile, signed, and acknowledged by the partner with a signed
 * acknowledgement (batchAcknowledgement.ts); an acknowledgement that does not verify counts as a
 * refusal, and is audited. At least once: a batch whose acknowledgement is lost is sent again,
 * and the partner's debtorSeq check makes the repeat harmless.
 *
 * Failures are of two kinds. An unreachable partner (refused connection, timeout, 503) is
 * paused with backoff and jitter; its batches wait without counting toward dead-lettering, so
 * it catches up by itself when it comes back. A partner that answers but refuses or garbles
 * the acknowledgement fails that batch; after `maxAttempts` such failures the batch is
 * dead-lettered for supervisors to see and replay. Connections keep to the outbound rule
 * (gateway/outbound/outboundPolicy.ts), and a redirect is a refusal: it is not followed.
 */
import { randomUUID } from "node:crypto";
import type { Agent } from "undici";
import type { PublishedField } from "../../../domain/sanctions/publishedFields.js";
import { sm3 } from "../../../gateway/audit/sm3.js";
import { retryDelayMs } from "../../../gateway/dispatch/retryDelay.js";
import type { Logger } from "../../../gateway/logger.js";
import { outboundAgent } from "../../../gateway/outbound/outboundAgent.js";
import type { OutboundPolicy } from "../../../gateway/outbound/outboundPolicy.js";
import type { Sql } from "../../../gateway/persistence/database.js";
import { openPartner, PARTNER_COLUMNS, type SanctionPartner } from "../partners/sanctionPartner.js";
import { SIGNATURE_HEADER, SIGNATURE_METHOD_HEADER, signBatch, type HubSigningKey } from "./batchSigner.js";
import { acknowledgementRefusal, canVerifyAcknowledgements } from "./batchAcknowledgement.js";
import type { PushBatch } from "./changeMessage.js";
import { ChangeCache } from "./changeCache.js";
import { DeliveryStore } from "./deliveryStore.js";
import { CoalescingWake } from "../../../gateway/workers/coalescingWake.js";
import type { Worker } from "../../../gateway/workers/worker.js";

/** How list changes are pushed; every field but instanceId has its default in DEFAULT_PUSH_OPTIONS. */
export interface PushDeliveryOptions {
  /** This instance, as the owner of the batches it claims. */
  instanceId: string;
  /**
   * How long this instance holds a batch it is sending (HUB_SANCTION_LEASE_MS).
   * @default 60_000
   */
  leaseMs: number;
  /**
   * Changes per POST (HUB_SANCTION_BATCH_SIZE).
   * @default 1000
   */
  batchSize: number;
  /**
   * Refused batches before one is dead-lettered.
   * @default 5
   */
  maxAttempts: number;
  /** @default 10_000 */
  requestTimeoutMs: number;
  /**
   * How often to look for work no NOTIFY announced (retries falling due, paused partners back).
   * @default 250
   */
  sweepIntervalMs: number;
  /**
   * Longest pause before trying an unreachable partner again.
   * @default 60_000
   */
  maxBackoffMs: number;
}

export const DEFAULT_PUSH_OPTIONS: Omit<PushDeliveryOptions, "instanceId"> = {
  leaseMs: 60_000,
  batchSize: 1000,
  maxAttempts: 5,
  requestTimeoutMs: 10_000,
  sweepIntervalMs: 250,
  maxBackoffMs: 60_000,
};

interface PartnerState {
  /** A batch of this instance's is out to the partner (or being claimed). */
  busy: boolean;
  /** Consecutive times the partner could not be reached. */
  outages: number;
  pausedUntil: number;
}

class Unreachable extends Error {}

export class PushDelivery implements Worker {
  private readonly store: DeliveryStore;
  private readonly cache = new ChangeCache();
  private readonly states = new Map<string, PartnerState>();
  /** SM2 partners already warned about for having no public key, so that the log says it once. */
  private readonly keyless = new Set<string>();
  private readonly loop: CoalescingWake;
  private readonly agent: Agent;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();
  /** Batches and changes this instance had acknowledged, for monitoring. */
  readonly delivered = { batches: 0, changes: 0 };

  constructor(
    private readonly deps: { sql: Sql; key: HubSigningKey; log: Logger; outbound: OutboundPolicy },
    private readonly options: PushDeliveryOptions,
  ) {
    this.store = new DeliveryStore(deps.sql);
    this.agent = outboundAgent(deps.outbound);
    this.loop = new CoalescingWake(
      () => this.sweep(),
      (error) => this.deps.log.error({ err: error }, "sanction delivery sweep failed; will retry"),
    );
  }

  start(): void {
    this.loop.start(this.options.sweepIntervalMs);
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop.stop();
    await Promise.allSettled([...this.inFlight]);
    await this.agent.close();
  }

  /** Something changed (a new change, a replay, a batch done): look for work now. */
  wake(): void {
    this.loop.wake();
  }

  private async sweep(): Promise<void> {
    const partners = (
      await this.deps.sql.query<SanctionPartner>(`SELECT ${PARTNER_COLUMNS} FROM sanction_partner WHERE active AND mode = 'PUSH'`)
    ).map(openPartner);
    await Promise.all(partners.filter((partner) => this.canAcknowledge(partner)).map((partner) => this.fill(partner)));
  }

  /** The partner's next batch, unless this instance already has one out to it: one is out per partner at a time. */
  private async fill(partner: SanctionPartner): Promise<void> {
    const state = this.stateOf(partner.code);
    if (this.stopped || state.busy || Date.now() < state.pausedUntil) return;
    state.busy = true;
    const batchId = randomUUID();
    let batch: PushBatch;
    let body: string;
    try {
      const seqs = await this.store.claimSeqs(partner, batchId, this.options.instanceId, this.options.leaseMs, this.options.batchSize);
      if (seqs.length === 0) {
        state.busy = false;
        return;
      }
      // Log order: seqs are decimal strings without leading zeros, so the shorter is the smaller.
      seqs.sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
      const messages = await this.cache.messages(seqs, partner.fields as PublishedField[], (missing) => this.store.changes(missing));
      batch = { partner: partner.code, batchId, changes: messages.map((entry) => entry.message) };
      // JSON.stringify(batch), from each change's JSON as serialised once for every partner with this profile.
      body = `{"partner":${JSON.stringify(batch.partner)},"batchId":${JSON.stringify(batchId)},"changes":[${messages
        .map((entry) => entry.json)
        .join(",")}]}`;
    } catch (error) {
      // The batch, if claimed, goes again when its lease ends.
      state.busy = false;
      throw error;
    }
    const sending = this.send(partner, state, batch, body).finally(() => {
      state.busy = false;
      this.inFlight.delete(sending);
      this.wake();
    });
    this.inFlight.add(sending);
  }

  private async send(partner: SanctionPartner, state: PartnerState, batch: PushBatch, body: string): Promise<void> {
    try {
      const reply = await this.post(partner, body);
      state.outages = 0;
      const sent = sm3(body);
      const refusal = acknowledgementRefusal(partner, batch, body, reply, sent);
      if (refusal) {
        await this.store.refuseAcknowledgement(partner.code, batch.batchId, sent, sm3(reply), refusal);
        this.deps.log.warn(
          { partner: partner.code, batchId: batch.batchId, refusal },
          "sanction batch acknowledgement refused; the batch will be sent again",
        );
        throw new Error(`${partner.code}: ${refusal}`);
      }
      await this.store.acknowledge(partner.code, batch.batchId, sent, sm3(reply));
      this.delivered.batches++;
      this.delivered.changes += batch.changes.length;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof Unreachable) {
        state.outages++;
        const delay = Math.min(this.options.maxBackoffMs, retryDelayMs(state.outages));
        state.pausedUntil = Date.now() + delay;
        await this.store.fail(partner.code, batch.batchId, message, "UNREACHABLE", this.options.maxAttempts, delay);
      } else {
        const delay = Math.min(this.options.maxBackoffMs, retryDelayMs(1));
        const dead = await this.store.fail(partner.code, batch.batchId, message, "REFUSE", this.options.maxAttempts, delay);
        if (dead > 0)
          this.deps.log.warn(
            { partner: partner.code, batchId: batch.batchId, changes: dead, error: message },
            "sanction batch dead-lettered",
          );
      }
    }
  }

  /**
   * An SM2 partner registered before acknowledgements were signed has no public key to check them
   * with: nothing is sent to it (its cursor waits) until it is registered again with one.
   */
  private canAcknowledge(partner: SanctionPartner): boolean {
    if (canVerifyAcknowledgements(partner)) {
      this.keyless.delete(partner.code);
      return true;
    }
    if (!this.keyless.has(partner.code)) {
      this.keyless.add(partner.code);
      this.deps.log.warn(
        { partner: partner.code },
        "SM2 partner has no public key for its acknowledgements: nothing is pushed to it until it is registered again with publicKey",
      );
    }
    return false;
  }

  /** The partner's acknowledgement body, or why the batch did not get through. */
  private async post(partner: SanctionPartner, body: string): Promise<string> {
    let response: Response;
    try {
      response = await fetch(partner.endpoint!, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          [SIGNATURE_METHOD_HEADER]: partner.signing,
          [SIGNATURE_HEADER]: signBatch(partner.signing, body, this.deps.key, partner.secret),
        },
        body,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
        redirect: "manual",
        // @ts-expect-error undici's dispatcher option is not in the DOM fetch types
        dispatcher: this.agent,
      });
    } catch (error) {
      throw new Unreachable(`${partner.code} unreachable: ${(error as Error).cause ?? (error as Error).message}`);
    }
    const text = await response.text().catch(() => "");
    if (response.status === 503 || response.status === 502 || response.status === 504)
      throw new Unreachable(`${partner.code} answered ${response.status}`);
    if (response.status < 200 || response.status >= 300)
      throw new Error(`${partner.code} refused the batch: HTTP ${response.status} ${text.slice(0, 200)}`);
    return text;
  }

  private stateOf(code: string): PartnerState {
    let state = this.states.get(code);
    if (!state) this.states.set(code, (state = { busy: false, outages: 0, pausedUntil: 0 }));
    return state;
  }
}
