/**
 * Personal data and secrets at rest: debtors' ID numbers and names, agency replies, partner secrets. Each
 * value is sealed with SM4 in GCM mode (GB/T 32907; 密码法 art. 27, GB/T 39786-2021 ask for the national
 * algorithms on personal data as on messages), so a flipped byte fails authentication instead of reading
 * as other data. A sealed value names its key version, `sm4gcm:<version>:<base64 of nonce ‖ ciphertext ‖
 * tag>`: reads accept every configured version, writes use the newest one, and rotation (dataAtRest.ts)
 * re-seals old rows. Since sealing is randomised, equality on an ID number goes through its lookup digest,
 * HMAC-SM3 under a key of its own, which is stable across data key versions.
 *
 * The keys are the process's (`useDataKeys`, called by startHub), as one process runs one hub; the stores
 * seal and open at their boundary with `dataCipher()`, so nothing above a store sees ciphertext.
 */
import { createHmac, randomFillSync } from "node:crypto";
import { sm3 } from "sm-crypto-v2";
import { Sm4Gcm } from "./sm4Gcm.js";

export interface DataKeys {
  /** The version new values are sealed with. */
  write: number;
  /** SM4 keys (16 bytes) by version; reads accept all of them. */
  keys: ReadonlyMap<number, Uint8Array>;
  /** The HMAC-SM3 key of lookup digests (32 bytes). */
  lookup: Uint8Array;
}

const PREFIX = "sm4gcm";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** The prefix of every value sealed under `version`, for SQL that finds rows still under another one. */
export const sealedPrefix = (version?: number): string => (version === undefined ? `${PREFIX}:` : `${PREFIX}:${version}:`);

/** A stored value that cannot be opened: an internal fault (altered row, missing key), never a client's. */
export class DataSealError extends Error {
  override readonly name = "DataSealError";
}

export class DataCipher {
  /** Each key version's cipher, its key schedule and GHASH table computed once. */
  private readonly ciphers = new Map<number, Sm4Gcm>();

  constructor(readonly keys: DataKeys) {
    if (!keys.keys.has(keys.write)) throw new Error(`data key version ${keys.write} is not among the configured keys`);
    for (const [version, key] of keys.keys) this.ciphers.set(version, new Sm4Gcm(key));
  }

  seal(plain: string): string {
    const nonce = freshNonce();
    const version = this.keys.write;
    const { output, tag } = this.key(version).encrypt(Buffer.from(plain, "utf8"), nonce, associated(version));
    return `${PREFIX}:${version}:${Buffer.concat([nonce, output, tag]).toString("base64")}`;
  }

  /** The plain text of a sealed value; a value altered, sealed under an unknown version or never sealed is refused. */
  open(sealed: string): string {
    const match = /^sm4gcm:(\d+):([A-Za-z0-9+/=]+)$/.exec(sealed);
    if (!match) throw new DataSealError("a stored value is not sealed");
    const version = Number(match[1]);
    const bytes = Buffer.from(match[2], "base64");
    if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new DataSealError(`a value sealed under key version ${version} is truncated`);
    const key = this.key(version);
    try {
      const plain = key.decrypt(
        bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES),
        bytes.subarray(0, NONCE_BYTES),
        bytes.subarray(bytes.length - TAG_BYTES),
        associated(version),
      );
      return UTF8.decode(plain);
    } catch {
      throw new DataSealError(`a value sealed under key version ${version} fails authentication`);
    }
  }

  sealJson(value: unknown): string {
    return this.seal(JSON.stringify(value));
  }

  openJson<T>(sealed: string): T {
    return JSON.parse(this.open(sealed)) as T;
  }

  /** A sealed value's plain text, or the value itself while it is plain (rows written before migration 0018). */
  openOrPlain(value: string): string {
    return value.startsWith(sealedPrefix()) ? this.open(value) : value;
  }

  /** `row` with the sealed text `fields` opened (null stays null). */
  openFields<T extends object, K extends keyof T>(row: T, fields: readonly K[]): T {
    const opened = { ...row };
    for (const field of fields) {
      const value = row[field];
      if (typeof value === "string") opened[field] = this.open(value) as T[K];
    }
    return opened;
  }

  /** The lookup digest of an ID number (or any value searched by equality): hex HMAC-SM3. */
  lookup(value: string): string {
    return createHmac("sm3", this.keys.lookup).update(value, "utf8").digest("hex");
  }

  private key(version: number): Sm4Gcm {
    const key = this.ciphers.get(version);
    if (!key) throw new DataSealError(`data key version ${version} is not configured`);
    return key;
  }
}

/** Nonces drawn from the system's random source a few hundred at a time: one draw per value cost more than sealing it. */
const nonces = Buffer.alloc(NONCE_BYTES * 512);
let noncesUsed = nonces.length;
function freshNonce(): Buffer {
  if (noncesUsed === nonces.length) {
    randomFillSync(nonces);
    noncesUsed = 0;
  }
  noncesUsed += NONCE_BYTES;
  return Buffer.from(nonces.subarray(noncesUsed - NONCE_BYTES, noncesUsed));
}

// The version is authenticated with the data, so a value cannot be passed off as sealed under another key.
const associated = (version: number) => Buffer.from(`hub-data:${version}`);
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Keys derived from fixed labels, for development and tests only (`npm start`, startHub without keys): every
 * instance on one database then agrees without configuration. Production refuses to start without its own
 * (gateway/persistence/dataKeys.ts).
 */
export function developmentDataKeys(): DataKeys {
  const derive = (label: string, bytes: number) => Buffer.from(sm3(`hub development data key: ${label}`), "hex").subarray(0, bytes);
  return { write: 1, keys: new Map([[1, derive("sm4 v1", 16)]]), lookup: derive("lookup", 32) };
}

let current = new DataCipher(developmentDataKeys());

/** The keys this process's hub seals and opens with (startHub). */
export function useDataKeys(keys: DataKeys): DataCipher {
  current = new DataCipher(keys);
  return current;
}

export function dataCipher(): DataCipher {
  return current;
}
