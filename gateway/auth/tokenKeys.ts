/**
 * The key pair that signs and verifies bearer tokens. Production deployments
 * point HUB_JWT_PUBLIC_KEY_FILE at the court network's identity provider key;
 * the embedded default keeps an Ed25519 pair in the data folder so that
 * `npm run token` (another process) can mint tokens the running hub accepts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, importSPKI, type CryptoKey } from "jose";

export const TOKEN_ALGORITHM = "EdDSA";
export const TOKEN_ISSUER = "enforcement-linkage-hub";
export const TOKEN_AUDIENCE = "enforcement-linkage-hub";

export interface TokenKeys {
  publicKey: CryptoKey;
  privateKey?: CryptoKey;
}

export async function loadOrCreateTokenKeys(dataDir: string, publicKeyFile?: string): Promise<TokenKeys> {
  if (publicKeyFile) {
    return { publicKey: await importSPKI(readFileSync(publicKeyFile, "utf8"), TOKEN_ALGORITHM) };
  }
  const dir = join(dataDir, "keys");
  const privatePath = join(dir, "jwt-private.pem");
  const publicPath = join(dir, "jwt-public.pem");
  if (!existsSync(privatePath)) {
    mkdirSync(dir, { recursive: true });
    const pair = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
    writeFileSync(privatePath, await exportPKCS8(pair.privateKey), { mode: 0o600 });
    writeFileSync(publicPath, await exportSPKI(pair.publicKey));
  }
  return {
    privateKey: await importPKCS8(readFileSync(privatePath, "utf8"), TOKEN_ALGORITHM),
    publicKey: await importSPKI(readFileSync(publicPath, "utf8"), TOKEN_ALGORITHM),
  };
}
