/**
 * Signs a push batch so that the partner can tell it came from the hub: SM2 with SM3
 * (GB/T 32918, the national algorithm; 密码法 art. 27, with the GB/T 35276 signer ID: see
 * gateway/signing/sm2.ts) with the hub's key, or HMAC-SM3
 * with a secret shared with a partner whose systems cannot verify SM2. The signature
 * covers the exact bytes POSTed. The partner signs its acknowledgement the same way, with its
 * own SM2 key or the same secret (batchAcknowledgement.ts).
 */
import { signHmacSm3, verifyHmacSm3 } from "../../../connectors/signature.js";
import { type Sm2PrivateKey, sm2PrivateKey, sm2PublicKey, sm2PublicKeyPem, sm2Sign, sm2Verify } from "../../../gateway/signing/sm2.js";

export type SigningMethod = "SM2" | "HMAC_SM3";

export const SIGNATURE_HEADER = "x-hub-signature";
export const SIGNATURE_METHOD_HEADER = "x-hub-signature-method";

export interface HubSigningKey {
  privateKey: Sm2PrivateKey;
  /** PEM (SPKI), what partners are given to verify with. */
  publicKeyPem: string;
}

/** The hub's SM2 key from PEM (PKCS#8) or 64 hex digits, signing under `signerId` (default GB/T 35276's). */
export function hubSigningKey(privateKey: string, signerId?: string): HubSigningKey {
  const key = sm2PrivateKey(privateKey, signerId);
  return { privateKey: key, publicKeyPem: sm2PublicKeyPem(key) };
}

export function signBatch(method: SigningMethod, body: string, key: HubSigningKey, secret: string | null): string {
  return signText(method, body, { privateKey: key.privateKey, secret });
}

/** SM2 (base64 DER) with the signer's private key, or HMAC-SM3 (hex) with the shared secret, over the exact text. */
export function signText(method: SigningMethod, text: string, signer: { privateKey?: Sm2PrivateKey; secret?: string | null }): string {
  if (method === "SM2") {
    if (!signer.privateKey) throw new Error("SM2 signing needs a private key");
    return sm2Sign(text, signer.privateKey);
  }
  if (!signer.secret) throw new Error("an HMAC-SM3 partner needs a shared secret");
  return signHmacSm3(signer.secret, text);
}

/** Does this signature fit these bytes? (The partner checking a batch, the hub checking an acknowledgement.) */
export function verifySignature(
  method: string | undefined,
  body: string,
  signature: string | undefined,
  trust: { publicKeyPem?: string; signerId?: string; secret?: string },
): boolean {
  if (!signature) return false;
  if (method === "SM2" && trust.publicKeyPem) {
    try {
      return sm2Verify(body, signature, sm2PublicKey(trust.publicKeyPem, trust.signerId));
    } catch {
      return false;
    }
  }
  if (method === "HMAC_SM3" && trust.secret) return verifyHmacSm3(trust.secret, body, signature);
  return false;
}
