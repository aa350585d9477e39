/**
 * Where `npm start` finds the SM2 key that signs list batches: HUB_SANCTION_KEY_FILE (PKCS#8
 * PEM), shared by every instance of one hub; without it, a key kept in the data folder, made
 * on first start, so that partners given its public key (query hubSigningKey) keep verifying
 * across restarts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { newSigningKeyPem } from "./batchSigner.js";

export function loadOrCreateSigningKeyPem(dataDir: string, keyFile?: string): string {
  if (keyFile) return readFileSync(keyFile, "utf8");
  const path = join(dataDir, "sanction-signing-key.pem");
  if (existsSync(path)) return readFileSync(path, "utf8");
  mkdirSync(dataDir, { recursive: true });
  const { privateKeyPem } = newSigningKeyPem();
  writeFileSync(path, privateKeyPem, { mode: 0o600 });
  return privateKeyPem;
}
