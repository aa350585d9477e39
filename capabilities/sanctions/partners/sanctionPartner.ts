/**
 * A partner agency (联合惩戒单位) in the partner registry: which lists it receives, which
 * published fields (its data profile: a partner that blocks air tickets needs who and until
 * when, not the claim), and how: PUSH to its endpoint, signed SM2 or HMAC-SM3, or PULL from
 * the GraphQL feed. An SM2 push partner gives its own SM2 public key, with which the hub checks
 * its signed batch acknowledgements (delivery/batchAcknowledgement.ts).
 */
import { isPublishedField, type PublishedField } from "../../../domain/sanctions/publishedFields.js";
import { dataCipher } from "../../../gateway/persistence/dataCipher.js";
import type { SigningMethod } from "../delivery/batchSigner.js";
import { invalidField } from "../../../gateway/errors.js";
import { secretWeakness } from "../../../gateway/configFile.js";
import { sm2PublicKey, sm2PublicKeyPem } from "../../../gateway/signing/sm2.js";
import type { ListName } from "../sanctionStore.js";

export type DeliveryMode = "PUSH" | "PULL";

export interface SanctionPartner {
  code: string;
  name: string;
  lists: ListName[];
  fields: PublishedField[];
  mode: DeliveryMode;
  endpoint: string | null;
  signing: SigningMethod;
  secret: string | null;
  /** The partner's SM2 public key (PEM), for its acknowledgements. */
  publicKey: string | null;
  /** The SM2 signer ID the partner signs with, when agreed with it; null = GB/T 35276's default. */
  signerId?: string | null;
}

export const PARTNER_COLUMNS = `code, name, lists, fields, mode, endpoint, signing, secret, public_key AS "publicKey",
  signer_id AS "signerId"`;

/** GB/T 35276 allows longer IDs; what partners agree on in practice is short text, like the default's 16 digits. */
const MAX_SIGNER_ID_LENGTH = 64;

/** A partner read with PARTNER_COLUMNS, its shared secret (sealed at rest, dataCipher.ts) opened for signing. */
export function openPartner<P extends SanctionPartner>(partner: P): P {
  return dataCipher().openFields(partner, ["secret"]);
}

/** A partner as the registry holds it: a supervisor may have deactivated it (partnerActivation.ts). */
export interface RegisteredPartner extends SanctionPartner {
  active: boolean;
  inactiveReason: string | null;
}

export const REGISTERED_PARTNER_COLUMNS = `${PARTNER_COLUMNS}, active, inactive_reason AS "inactiveReason"`;

const LISTS: readonly ListName[] = ["DISHONEST_DEBTOR", "CONSUMPTION_RESTRICTION"];

/** A partner as registered, or the field that makes it unusable. */
export function checkPartner(input: SanctionPartner): SanctionPartner {
  if (!/^[A-Z][A-Z0-9_]{1,39}$/.test(input.code)) throw invalidField("code", "upper-case letters, digits and _ (e.g. CIVIL_AVIATION)");
  if (!input.name.trim()) throw invalidField("name", "is required");
  if (input.lists.length === 0 || !input.lists.every((list) => LISTS.includes(list)))
    throw invalidField("lists", `one or more of ${LISTS.join(", ")}`);
  const unknown = input.fields.find((field) => !isPublishedField(field));
  if (unknown) throw invalidField("fields", `${unknown} is not a published field (失信规定 art. 6)`);
  if (input.mode === "PUSH") {
    if (!input.endpoint || !URL.canParse(input.endpoint) || !/^https?:$/.test(new URL(input.endpoint).protocol)) {
      throw invalidField("endpoint", "a push partner needs an http(s) endpoint");
    }
    if (input.signing === "HMAC_SM3" && !input.secret) throw invalidField("secret", "an HMAC-SM3 partner needs a shared secret");
    if (input.signing === "SM2" && !input.publicKey)
      throw invalidField("publicKey", "an SM2 partner gives its SM2 public key (PEM): its acknowledgements are verified with it");
  }
  const weakness = input.secret ? secretWeakness(input.secret) : undefined;
  if (weakness) throw invalidField("secret", weakness);
  if (input.signerId != null) {
    if (input.signing !== "SM2") throw invalidField("signerId", "a signer ID is for SM2 partners");
    if (input.signerId.length === 0 || input.signerId.length > MAX_SIGNER_ID_LENGTH)
      throw invalidField("signerId", `1 to ${MAX_SIGNER_ID_LENGTH} characters; omit it for GB/T 35276's default 1234567812345678`);
  }
  return {
    ...input,
    signerId: input.signerId ?? null,
    publicKey: input.publicKey && standardPublicKeyPem(input.publicKey),
    name: input.name.trim(),
    lists: [...new Set(input.lists)],
    fields: [...new Set(input.fields)],
  };
}

/** The partner's key as SPKI PEM, given as PEM or in the hex form (04‖x‖y) vendors ship. */
function standardPublicKeyPem(publicKey: string): string {
  try {
    return sm2PublicKeyPem(sm2PublicKey(publicKey));
  } catch {
    throw invalidField("publicKey", "not an SM2 public key in PEM (SPKI) or hex (04‖x‖y)");
  }
}
