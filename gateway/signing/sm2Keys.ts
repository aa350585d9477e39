/**
 * This hub's SM2 key pair (GB/T 32918; 密码法 art. 27): it signs messages to peer
 * hubs and list batches to partners, who hold its public half. Production
 * deployments point HUB_SM2_KEY_FILE at it (every instance of one hub shares it);
 * the embedded default keeps a pair in the data folder, created at first start
 * like the token keys.
 *
 * Keys are always used as read from PEM: OpenSSL then loads them as SM2 keys and
 * `sign('sm3', …)` makes a standard SM2 signature (with the signer's ZA
 * identifier, verified by `openssl dgst -sm3 -verify`). A KeyObject fresh from
 * `generateKeyPairSync('ec', { namedCurve: 'SM2' })` is a plain EC key instead,
 * whose signatures (ECDSA over the SM2 curve) no key read from a file verifies.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Sm2KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

export function generateSm2KeyPair(): Sm2KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "SM2" });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

export const sm2PrivateKey = (pem: string): KeyObject => createPrivateKey(pem);
export const sm2PublicKey = (pem: string): KeyObject => createPublicKey(pem);

/** DER of the SM2 curve's OID (1.2.156.10197.1.301): Node reports no key type or curve for a key read as SM2. */
const SM2_CURVE_OID = Buffer.from("06082a811ccf5501822d", "hex");

/** Whether `pem` is an SM2 public key (SPKI PEM) that signatures can be verified with. */
export function isSm2PublicKeyPem(pem: string): boolean {
  try {
    const key = createPublicKey(pem);
    return key.type === "public" && key.export({ type: "spki", format: "der" }).includes(SM2_CURVE_OID);
  } catch {
    return false;
  }
}

/** The private key from `keyFile`, or the pair under `<dataDir>/keys`, created on first use. */
export function loadOrCreateHubSm2Key(dataDir: string, keyFile?: string): string {
  if (keyFile) return readFileSync(keyFile, "utf8");
  const dir = join(dataDir, "keys");
  const privatePath = join(dir, "hub-sm2-private.pem");
  if (!existsSync(privatePath)) {
    mkdirSync(dir, { recursive: true });
    const pair = generateSm2KeyPair();
    writeFileSync(privatePath, pair.privateKeyPem, { mode: 0o600 });
    writeFileSync(join(dir, "hub-sm2-public.pem"), pair.publicKeyPem);
  }
  return readFileSync(privatePath, "utf8");
}
