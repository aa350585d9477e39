/**
 * A partner's acknowledgement of a push batch, signed so that the hub counts a batch as
 * delivered only on the word of the partner itself: an answer forged or altered on the way
 * (a proxy that replies 200, a misrouted endpoint) must not make the hub stop sending a
 * listing or a removal. The partner signs, with its own SM2 key (the public half given at
 * registration) or with the HMAC-SM3 secret it shares with the hub, the text
 *
 *     SANCTION-BATCH-ACK\n<batchId>\n<lastSeq>\n<SM3 of the exact batch body, hex>
 *
 * so the signature names the batch, the last change it held and the very bytes it received.
 * Reply body: `{ "batchId", "lastSeq", "signature" }`; the method is the partner's registered one.
 */
import { sm3 } from "../../../gateway/audit/sm3.js";
import type { Sm2PrivateKey } from "../../../gateway/signing/sm2.js";
import type { SanctionPartner } from "../partners/sanctionPartner.js";
import { signText, verifySignature, type SigningMethod } from "./batchSigner.js";
import type { PushBatch } from "./changeMessage.js";

export interface BatchAcknowledgement {
  batchId: string;
  /** The seq of the batch's last change. */
  lastSeq: string;
  /** SM2 (base64 DER) or HMAC-SM3 (hex) over acknowledgementText. */
  signature: string;
}

/** `bodyDigest`: SM3 of `body`, when the caller has it already (a batch body is a few hundred KB). */
export function acknowledgementText(batchId: string, lastSeq: string, body: string, bodyDigest = sm3(body)): string {
  return `SANCTION-BATCH-ACK\n${batchId}\n${lastSeq}\n${bodyDigest}`;
}

/** The partner's side: the acknowledgement of the batch it received as `body`. */
export function acknowledgeBatch(
  method: SigningMethod,
  batch: Pick<PushBatch, "batchId" | "changes">,
  body: string,
  signer: { privateKey?: Sm2PrivateKey; secret?: string | null },
): BatchAcknowledgement {
  const lastSeq = batch.changes.at(-1)?.seq ?? "0";
  return { batchId: batch.batchId, lastSeq, signature: signText(method, acknowledgementText(batch.batchId, lastSeq, body), signer) };
}

/**
 * The hub's side: why `reply` does not acknowledge the batch sent as `body`, or null when it does.
 * An SM2 partner without a registered public key cannot acknowledge at all (pushDelivery does not
 * send to it: see canVerifyAcknowledgements).
 */
export function acknowledgementRefusal(
  partner: Pick<SanctionPartner, "signing" | "secret" | "publicKey" | "signerId">,
  batch: Pick<PushBatch, "batchId" | "changes">,
  body: string,
  reply: string,
  bodyDigest = sm3(body),
): string | null {
  let ack: Partial<BatchAcknowledgement> | null;
  try {
    ack = JSON.parse(reply) as Partial<BatchAcknowledgement> | null;
  } catch {
    return `the acknowledgement is not JSON: ${reply.slice(0, 200)}`;
  }
  if (ack?.batchId !== batch.batchId) return `the acknowledgement names batch ${String(ack?.batchId)}, not the one sent`;
  const lastSeq = batch.changes.at(-1)?.seq ?? "0";
  if (ack.lastSeq !== lastSeq) return `the acknowledgement names last change ${String(ack.lastSeq)}, not ${lastSeq}`;
  if (typeof ack.signature !== "string" || ack.signature === "") return "the acknowledgement is not signed";
  const trust = {
    publicKeyPem: partner.publicKey ?? undefined,
    signerId: partner.signerId ?? undefined,
    secret: partner.secret ?? undefined,
  };
  if (!verifySignature(partner.signing, acknowledgementText(batch.batchId, lastSeq, body, bodyDigest), ack.signature, trust)) {
    return `the acknowledgement's ${partner.signing} signature does not verify`;
  }
  return null;
}

/** Whether the hub can verify this partner's acknowledgements: an SM2 partner registered before they were signed has no key. */
export function canVerifyAcknowledgements(partner: Pick<SanctionPartner, "signing" | "secret" | "publicKey">): boolean {
  return partner.signing === "SM2" ? partner.publicKey !== null : partner.secret !== null;
}
