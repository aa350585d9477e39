/**
 * The keys that sign and verify bearer tokens. Production deployments point the hub at the
 * court network's identity provider: a JWKS URL (keys picked by `kid`, refetched when an
 * unknown `kid` arrives, so the provider can rotate), a JWKS file, or one public key file.
 * The embedded default keeps an Ed25519 pair in the data folder so that `npm run token`
 * (another process) can mint tokens the running hub accepts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fetch } from "undici";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  importPKCS8,
  importSPKI,
  type CryptoKey,
  type FetchImplementation,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from "jose";

import { outboundAgent } from "../outbound/outboundAgent.js";
import type { OutboundPolicy } from "../outbound/outboundPolicy.js";

export const TOKEN_ALGORITHM = "EdDSA";

export interface TokenKeys {
  /** One key, or a key set choosing by the token's `kid`. */
  publicKey: CryptoKey | JWTVerifyGetKey;
  privateKey?: CryptoKey;
}

/** Where verification keys come from; the first given wins, none = the data folder's own pair. */
export interface TokenKeySource {
  /** HUB_JWT_JWKS_URL: the identity provider's key set. @default none */
  jwksUrl?: string;
  /** HUB_JWT_JWKS_FILE: a key set on disk. @default none */
  jwksFile?: string;
  /** HUB_JWT_PUBLIC_KEY_FILE: one SPKI PEM public key. @default none */
  publicKeyFile?: string;
  /**
   * Where the hub may connect (HUB_OUTBOUND_ALLOW): the key set is fetched through the outbound agent, which checks
   * every address the provider's name resolves to. @default development's rule (loopback and private allowed)
   */
  outbound?: OutboundPolicy;
}

export async function loadOrCreateTokenKeys(dataDir: string, source: TokenKeySource = {}): Promise<TokenKeys> {
  if (source.jwksUrl) {
    const agent = outboundAgent(source.outbound ?? { development: true, allow: [] });
    const fetchKeys: FetchImplementation = (url, options) =>
      fetch(url, {
        method: options.method,
        headers: Object.fromEntries(options.headers.entries()),
        redirect: options.redirect,
        signal: options.signal,
        dispatcher: agent,
      }) as unknown as ReturnType<FetchImplementation>;
    return { publicKey: createRemoteJWKSet(new URL(source.jwksUrl), { [customFetch]: fetchKeys }) };
  }
  if (source.jwksFile) return { publicKey: createLocalJWKSet(JSON.parse(readFileSync(source.jwksFile, "utf8")) as JSONWebKeySet) };
  if (source.publicKeyFile) {
    return { publicKey: await importSPKI(readFileSync(source.publicKeyFile, "utf8"), TOKEN_ALGORITHM) };
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
