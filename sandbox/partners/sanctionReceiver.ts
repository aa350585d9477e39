/**
 * What a partner agency keeps of the lists it receives, as a real partner would: the entries in
 * force, by entry, within its data profile; and, per debtor, the last debtorSeq applied. A change
 * at or below it is a repeat and has no second effect; a change that arrives after a later one of
 * the same debtor, never seen before, is recorded as a violation (the hub broke per-debtor order).
 * Push batches are verified (SM2 with the hub's public key, or HMAC-SM3) before anything is applied,
 * and acknowledged signed by the same method: SM2 with the partner's own key (its public half is
 * what the hub registers it with), or HMAC-SM3 with the shared secret.
 */
import { acknowledgeBatch } from "../../capabilities/sanctions/delivery/batchAcknowledgement.js";
import {
  SIGNATURE_HEADER,
  SIGNATURE_METHOD_HEADER,
  verifySignature,
  type SigningMethod,
} from "../../capabilities/sanctions/delivery/batchSigner.js";
import type { ChangeMessage, PushBatch } from "../../capabilities/sanctions/delivery/changeMessage.js";
import { type Sm2PrivateKey, sm2PrivateKey } from "../../gateway/signing/sm2.js";
import { generateSm2KeyPair, type Sm2KeyPairPem } from "../../gateway/signing/sm2Keys.js";
import { jsonReply, textOf, type AgencyReply, type AgencyRequest } from "../agencyServer.js";

export interface HeldEntry {
  entryId: string;
  list: string;
  idNumber: string;
  fields: Record<string, unknown>;
}

export interface PartnerTrust {
  /** The hub's SM2 public key (PEM), for SM2-signed batches. */
  publicKeyPem?: string;
  /** The HMAC-SM3 secret shared with the hub. */
  secret?: string;
}

export class SanctionReceiver {
  private readonly entries = new Map<string, HeldEntry>();
  private readonly lastSeq = new Map<string, number>();
  private readonly seen = new Map<string, Set<number>>();
  readonly violations: string[] = [];
  applied = 0;
  duplicates = 0;
  batches = 0;
  badSignatures = 0;
  /** Answer every batch 422 (a partner that refuses what it is sent), for dead-letter tests. */
  refuseBatches = false;
  /** How batches are acknowledged: signed (a real partner), unsigned, or signed with a key the hub does not know. */
  acknowledgements: "SIGNED" | "UNSIGNED" | "FORGED" = "SIGNED";
  /** The partner's own SM2 key pair: its public half is given to the hub at registration. */
  readonly key: Sm2KeyPairPem;
  private readonly privateKey: Sm2PrivateKey;
  /**
   * Keep the entries in force (state(), entriesOf()); false keeps only what the order checks need, per debtor: a
   * benchmark's partner taking a snapshot of millions of entries in the benchmark's own process.
   */
  holdEntries = true;
  /** Called for each change applied, with when: lag measurements. */
  onApplied: ((change: ChangeMessage) => void) | undefined;

  constructor(
    readonly code: string,
    private readonly trust: PartnerTrust,
    key: Sm2KeyPairPem = generateSm2KeyPair(),
  ) {
    this.key = key;
    this.privateKey = sm2PrivateKey(key.privateKeyPem);
  }

  /** A POSTed batch: verified, applied change by change, acknowledged by its batch id. */
  receive(request: AgencyRequest): AgencyReply {
    const method = textOf(request.headers[SIGNATURE_METHOD_HEADER]);
    const signature = textOf(request.headers[SIGNATURE_HEADER]);
    if (!verifySignature(method, request.body, signature, this.trust)) {
      this.badSignatures++;
      return jsonReply(401, { error: "signature does not verify" });
    }
    if (this.refuseBatches) return jsonReply(422, { error: "batch refused (sandbox knob)" });
    let batch: PushBatch;
    try {
      batch = JSON.parse(request.body) as PushBatch;
    } catch {
      return jsonReply(400, { error: "body is not JSON" });
    }
    if (batch.partner !== this.code || !Array.isArray(batch.changes)) return jsonReply(400, { error: `not a batch for ${this.code}` });
    this.batches++;
    for (const change of batch.changes) this.apply(change);
    return jsonReply(200, this.acknowledge(method as SigningMethod, batch, request.body));
  }

  private acknowledge(method: SigningMethod, batch: PushBatch, body: string) {
    if (this.acknowledgements === "UNSIGNED") return { batchId: batch.batchId, lastSeq: batch.changes.at(-1)?.seq ?? "0" };
    const signer =
      this.acknowledgements === "FORGED"
        ? { privateKey: sm2PrivateKey(generateSm2KeyPair().privateKeyPem), secret: "not-the-shared-secret" }
        : { privateKey: this.privateKey, secret: this.trust.secret };
    return acknowledgeBatch(method, batch, body, signer);
  }

  apply(change: ChangeMessage): void {
    const last = this.lastSeq.get(change.idNumber) ?? 0;
    const seen = this.seen.get(change.idNumber) ?? new Set<number>();
    this.seen.set(change.idNumber, seen);
    if (change.debtorSeq <= last) {
      if (seen.has(change.debtorSeq)) this.duplicates++;
      else this.violations.push(`${change.idNumber}: change ${change.debtorSeq} arrived after ${last}`);
      return;
    }
    seen.add(change.debtorSeq);
    this.lastSeq.set(change.idNumber, change.debtorSeq);
    if (this.holdEntries && change.status === "LISTED") {
      this.entries.set(change.entryId, { entryId: change.entryId, list: change.list, idNumber: change.idNumber, fields: change.fields });
    } else {
      this.entries.delete(change.entryId);
    }
    this.applied++;
    this.onApplied?.(change);
  }

  /** The entries in force this partner holds, by entry id. */
  state(): HeldEntry[] {
    return [...this.entries.values()].sort((a, b) => a.entryId.localeCompare(b.entryId));
  }

  /** Entries in force naming this person or organisation. */
  entriesOf(idNumber: string): HeldEntry[] {
    return this.state().filter((entry) => entry.idNumber === idNumber);
  }

  reset(): void {
    this.entries.clear();
    this.lastSeq.clear();
    this.seen.clear();
    this.violations.length = 0;
    this.applied = this.duplicates = this.batches = this.badSignatures = 0;
    this.refuseBatches = false;
    this.acknowledgements = "SIGNED";
  }
}
