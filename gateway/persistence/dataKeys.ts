/**
 * Where the data keys come from (dataCipher.ts): HUB_DATA_KEY_FILE names a JSON file, or HUB_DATA_KEYS holds
 * the same JSON, never the database, so a copy of the database alone reads nothing:
 *
 *     { "write": 2, "keys": { "1": "<32 hex digits>", "2": "<32 hex digits>" }, "lookup": "<64 hex digits>" }
 *
 * `keys` are SM4 keys by version (reads accept all, writes use `write`); `lookup` keys the digests ID numbers
 * are found by. In production one of the two is required; in development and tests the derived development
 * keys serve, like the other development secrets.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { ConfigError, readConfigFile } from "../configFile.js";
import type { DataKeys } from "./dataCipher.js";

/** Hex digits of `bytes` random bytes: a key with most bytes repeated (all zeros, a short pattern) is refused. */
const hexKey = (bytes: number) =>
  z
    .string({ error: "must be text" })
    .regex(new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`), { error: `must be ${bytes * 2} hex digits (${bytes} random bytes)` })
    .refine((hex) => new Set(hex.toLowerCase().match(/../g)).size >= bytes / 2, {
      error: `is too weak: fewer than ${bytes / 2} distinct bytes, not a random key`,
    });

const dataKeysSchema = z
  .strictObject({
    write: z.number({ error: "must be the version number new values are sealed with" }).int().positive(),
    keys: z.record(z.string().regex(/^[1-9]\d*$/, { error: "a key version must be a positive whole number" }), hexKey(16)),
    lookup: hexKey(32),
  })
  .refine((file) => String(file.write) in file.keys, { error: "names a version that is not among keys", path: ["write"] });

/** The keys given, checked; undefined when neither variable is set (`requireDataKeys` decides whether that may start). */
export function dataKeysFromEnv(env: NodeJS.ProcessEnv): DataKeys | undefined {
  const file = env.HUB_DATA_KEY_FILE;
  const inline = env.HUB_DATA_KEYS;
  if (file && inline) throw new ConfigError("environment: HUB_DATA_KEY_FILE, HUB_DATA_KEYS: set one of them, not both");
  if (file) return toDataKeys(readConfigFile(file, dataKeysSchema));
  if (inline) return toDataKeys(parseInline(inline));
  return undefined;
}

/**
 * A hub serving in production needs keys of its own: the development keys are derived from labels anyone can
 * read in this file. Checked where a hub starts (serveFromEnv.ts), not by the command-line tools.
 */
export function requireDataKeys(keys: DataKeys | undefined, production: boolean): DataKeys | undefined {
  if (production && !keys)
    throw new ConfigError(
      "environment: HUB_DATA_KEY_FILE or HUB_DATA_KEYS: is missing: production needs its own data keys (docs/CONFIGURATION.md)",
    );
  return keys;
}

function parseInline(text: string): z.infer<typeof dataKeysSchema> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError("environment: HUB_DATA_KEYS: cannot be read as JSON");
  }
  const parsed = dataKeysSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  // Never echo the value: it is a secret. A misspelt key is the likeliest cause of the other faults: named first.
  const issue = parsed.error.issues.find((i) => i.code === "unrecognized_keys") ?? parsed.error.issues[0];
  const rule = issue.code === "unrecognized_keys" ? `${issue.keys.join(", ")}: unknown key` : issue.message;
  const at = issue.path.map(String).join(".");
  throw new ConfigError(`environment: HUB_DATA_KEYS: ${at ? `${at}: ` : ""}${rule}`);
}

function toDataKeys(file: z.infer<typeof dataKeysSchema>): DataKeys {
  return {
    write: file.write,
    keys: new Map(Object.entries(file.keys).map(([version, hex]) => [Number(version), Buffer.from(hex, "hex")])),
    lookup: Buffer.from(file.lookup, "hex"),
  };
}

/** A fresh key file's content (`npm run data:keys`), or `previous`'s keys with a new version that writes. */
export function newDataKeyFile(previous?: string): string {
  const random = (bytes: number) => randomBytes(bytes).toString("hex");
  if (!previous) return `${JSON.stringify({ write: 1, keys: { "1": random(16) }, lookup: random(32) }, null, 2)}\n`;
  const file = readConfigFile(previous, dataKeysSchema);
  const write = Math.max(...Object.keys(file.keys).map(Number)) + 1;
  return `${JSON.stringify({ ...file, write, keys: { ...file.keys, [write]: random(16) } }, null, 2)}\n`;
}
