/**
 * Standard SM2 signatures (GB/T 32918.2) on both sides: the hub signing list batches and peer
 * messages, and the hub verifying partners' acknowledgements and peers' messages. The digest
 * signed is e = SM3(Z ‖ M), where Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA) binds the
 * signer's identifier ID; GB/T 35276 art. 7.3 fixes ID = "1234567812345678" unless both
 * sides agree on another, and GmSSL, BouncyCastle, sm-crypto and `openssl … -pkeyopt distid:`
 * all use it. Node's crypto (OpenSSL 3) signs with an empty ID and cannot be given one, so the
 * arithmetic is sm-crypto-v2's (on @noble/curves); the digest e is Node's SM3 (sm-crypto-v2's, in
 * JavaScript and through hex, took about 100 ms for a list batch of a few hundred KB). Signatures travel as base64 DER
 * SEQUENCE { r, s } (GB/T 35276 art. 7.2).
 *
 * Keys load from PEM (PKCS#8 / SPKI, as OpenSSL writes them) or from the hex forms Chinese
 * vendors ship: a 64-hex private key and an uncompressed 04‖x‖y public key.
 */
import { createHash, createPrivateKey, createPublicKey } from "node:crypto";
import { sm2 } from "sm-crypto-v2";

/** GB/T 35276 art. 7.3: the signer ID both sides use unless they agree on another. */
export const DEFAULT_SM2_SIGNER_ID = "1234567812345678";

/** Whom a signature is checked against: the public key and the ID its owner signs with. */
export interface Sm2PublicKey {
  /** Uncompressed point 04‖x‖y, hex. */
  readonly publicKeyHex: string;
  readonly signerId: string;
}

/** A key that signs, under its owner's signer ID. */
export interface Sm2PrivateKey extends Sm2PublicKey {
  readonly privateKeyHex: string;
}

/** The SPKI prefix of an SM2 public key (id-ecPublicKey, curve 1.2.156.10197.1.301, 66-byte bit string). */
const SPKI_PREFIX = Buffer.from("3059301306072a8648ce3d020106082a811ccf5501822d034200", "hex");
/** In PKCS#8, the ECPrivateKey (RFC 5915) version 1 and the 32-byte key's OCTET STRING header. */
const EC_PRIVATE_KEY_HEADER = Buffer.from("0201010420", "hex");

export function sm2PrivateKey(pemOrHex: string, signerId = DEFAULT_SM2_SIGNER_ID): Sm2PrivateKey {
  const privateKeyHex = isPem(pemOrHex) ? privateHexFromPem(pemOrHex) : pemOrHex.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(privateKeyHex)) throw new Error("an SM2 private key is PKCS#8 PEM or 64 hex digits");
  return { privateKeyHex, publicKeyHex: sm2.getPublicKeyFromPrivateKey(privateKeyHex), signerId };
}

export function sm2PublicKey(pemOrHex: string, signerId = DEFAULT_SM2_SIGNER_ID): Sm2PublicKey {
  let publicKeyHex = isPem(pemOrHex) ? publicHexFromPem(pemOrHex) : pemOrHex.trim().toLowerCase();
  // Some vendors ship x‖y without the uncompressed-point marker.
  if (/^[0-9a-f]{128}$/.test(publicKeyHex)) publicKeyHex = `04${publicKeyHex}`;
  if (!/^04[0-9a-f]{128}$/.test(publicKeyHex) || !onCurve(publicKeyHex))
    throw new Error("an SM2 public key is SPKI PEM or an uncompressed point 04‖x‖y in hex on the SM2 curve");
  return { publicKeyHex, signerId };
}

/** The public key as SPKI PEM, the form partners and peers are given. */
export function sm2PublicKeyPem(key: Sm2PublicKey): string {
  const der = Buffer.concat([SPKI_PREFIX, Buffer.from(key.publicKeyHex, "hex")]);
  return createPublicKey({ key: der, format: "der", type: "spki" }).export({ type: "spki", format: "pem" }).toString();
}

/** Base64 DER signature of `data` (UTF-8 when text) under the key's signer ID. */
export function sm2Sign(data: string | Uint8Array, key: Sm2PrivateKey): string {
  const signature = sm2.doSignature(digest(data, key), key.privateKeyHex, { der: true, hash: false });
  return Buffer.from(signature, "hex").toString("base64");
}

/** Whether `signature` (base64 DER) is the key owner's, under its signer ID, over `data`. */
export function sm2Verify(data: string | Uint8Array, signature: string, key: Sm2PublicKey): boolean {
  const der = Buffer.from(signature, "base64");
  // A DER SEQUENCE of two 256-bit integers; anything else is not a signature (and base64 decoding never throws).
  if (der.length < 8 || der.length > 72 || der[0] !== 0x30 || der.toString("base64") !== signature) return false;
  try {
    return sm2.doVerifySignature(digest(data, key), der.toString("hex"), key.publicKeyHex, { der: true, hash: false });
  } catch {
    return false;
  }
}

function onCurve(publicKeyHex: string): boolean {
  try {
    return sm2.verifyPublicKey(publicKeyHex);
  } catch {
    return false;
  }
}

const isPem = (text: string): boolean => text.includes("-----BEGIN");

/** Z (GB/T 32918.2 art. 5.5) by public key and signer ID: it depends on nothing else, and a hub signs with one key. */
const zValues = new Map<string, Uint8Array>();

/** e = SM3(Z ‖ M), the digest GB/T 32918.2 signs. */
function digest(data: string | Uint8Array, key: Sm2PublicKey): Uint8Array {
  const id = `${key.publicKeyHex}:${key.signerId}`;
  let z = zValues.get(id);
  if (!z) {
    z = sm2.getZ(key.publicKeyHex, key.signerId);
    if (zValues.size >= 1_000) zValues.clear();
    zValues.set(id, z);
  }
  return createHash("sm3").update(z).update(data).digest();
}

function privateHexFromPem(pem: string): string {
  const der = createPrivateKey(pem).export({ type: "pkcs8", format: "der" });
  const at = der.indexOf(EC_PRIVATE_KEY_HEADER);
  if (at < 0 || !der.includes(SPKI_PREFIX.subarray(4, 23))) throw new Error("not an SM2 private key");
  return der.subarray(at + EC_PRIVATE_KEY_HEADER.length, at + EC_PRIVATE_KEY_HEADER.length + 32).toString("hex");
}

function publicHexFromPem(pem: string): string {
  const der = createPublicKey(pem).export({ type: "spki", format: "der" });
  if (der.length !== SPKI_PREFIX.length + 65 || !der.subarray(0, SPKI_PREFIX.length).equals(SPKI_PREFIX))
    throw new Error("not an SM2 public key");
  return der.subarray(SPKI_PREFIX.length).toString("hex");
}
