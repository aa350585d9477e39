/**
 * This hub's SM2 key pair (GB/T 32918; 密码法 art. 27): it signs messages to peer
 * hubs and list batches to partners, who hold its public half. Production
 * deployments point HUB_SM2_KEY_FILE at it (every instance of one hub shares it);
 * the embedded default keeps a pair in the data folder, created at first start
 * like the token keys.
 *
 * The keys sign and verify through sm2.ts, with the standard signer ID.
 */
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Sm2PublicKey, sm2PrivateKey, sm2PublicKey } from "./sm2.js";

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

/**
 * The public half of the hub's key, for checking its signed audit heads and checkpoints: from `keyFile`, or the
 * pair under `<dataDir>/keys`; undefined when neither exists (nothing is created: the verifier only reads).
 */
export function readHubSm2PublicKey(dataDir: string, keyFile?: string, signerId?: string): Sm2PublicKey | undefined {
  if (keyFile) {
    const { publicKeyHex } = sm2PrivateKey(readFileSync(keyFile, "utf8"), signerId);
    return sm2PublicKey(publicKeyHex, signerId);
  }
  const publicPath = join(dataDir, "keys", "hub-sm2-public.pem");
  return existsSync(publicPath) ? sm2PublicKey(readFileSync(publicPath, "utf8"), signerId) : undefined;
}
