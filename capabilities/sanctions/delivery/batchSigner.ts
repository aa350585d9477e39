/**
 * Signs a push batch so that the partner can tell it came from the hub: SM2 with SM3
 * (GB/T 32918, the national algorithm; 密码法 art. 27) with the hub's key, or HMAC-SM3
 * with a secret shared with a partner whose systems cannot verify SM2. The signature
 * covers the exact bytes POSTed. The partner signs its acknowledgement the same way, with its
 * own SM2 key or the same secret (batchAcknowledgement.ts).
 */
import { createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { signHmacSm3, verifyHmacSm3 } from "../../../connectors/signature.js";
import { sm2PrivateKey } from "../../../gateway/signing/sm2Keys.js";

export type SigningMethod = "SM2" | "HMAC_SM3";

export const SIGNATURE_HEADER = "x-hub-signature";
export const SIGNATURE_METHOD_HEADER = "x-hub-signature-method";

export interface HubSigningKey {
  privateKey: KeyObject;
  /** PEM (SPKI), what partners are given to verify with. */
  publicKeyPem: string;
}

/** The hub's SM2 key from its PEM (PKCS#8): read from PEM so that it signs standard SM2 (gateway/signing/sm2Keys.ts). */
export function hubSigningKey(privateKeyPem: string): HubSigningKey {
  const privateKey = sm2PrivateKey(privateKeyPem);
  return { privateKey, publicKeyPem: createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString() };
}

export function signBatch(method: SigningMethod, body: string, key: HubSigningKey, secret: string | null): string {
  return signText(method, body, { privateKey: key.privateKey, secret });
}

/** SM2 (base64 DER) with the signer's private key, or HMAC-SM3 (hex) with the shared secret, over the exact text. */
export function signText(method: SigningMethod, text: string, signer: { privateKey?: KeyObject; secret?: string | null }): string {
  if (method === "SM2") {
    if (!signer.privateKey) throw new Error("SM2 signing needs a private key");
    return sign("sm3", Buffer.from(text, "utf8"), signer.privateKey).toString("base64");
  }
  if (!signer.secret) throw new Error("an HMAC-SM3 partner needs a shared secret");
  return signHmacSm3(signer.secret, text);
}

/** Does this signature fit these bytes? (The partner checking a batch, the hub checking an acknowledgement.) */
export function verifySignature(
  method: string | undefined,
  body: string,
  signature: string | undefined,
  trust: { publicKeyPem?: string; secret?: string },
): boolean {
  if (!signature) return false;
  if (method === "SM2" && trust.publicKeyPem) {
    try {
      return verify("sm3", Buffer.from(body, "utf8"), createPublicKey(trust.publicKeyPem), Buffer.from(signature, "base64"));
    } catch {
      return false;
    }
  }
  if (method === "HMAC_SM3" && trust.secret) return verifyHmacSm3(trust.secret, body, signature);
  return false;
}
