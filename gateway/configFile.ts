/**
 * Configuration is checked before the hub starts: a file or variable that breaks a rule stops the
 * start with one line naming the file (or variable), the key and the rule. Without it a typo such as
 * `"secrett"` started the hub with an empty HMAC key, accepting callbacks signed with that key.
 * The rules every file shares live here; each file's shape is a zod schema beside what reads it.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { endpointRefusal, invalidAllowEntry, type OutboundPolicy } from "./outbound/outboundPolicy.js";

/** A configuration that must not start the hub; `message` is the one line an operator reads. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Where the rules are strict: endpoints must then be https:// and public unless HUB_OUTBOUND_ALLOW says otherwise. */
export const isProduction = (env: NodeJS.ProcessEnv): boolean => env.NODE_ENV === "production";

/** The least length of a shared secret: 256 bits, the strength of the SM3 digest it keys. */
export const MIN_SECRET_BYTES = 32;

/** The least number of different characters in a shared secret: "aaaa…" or "abab…" of any length guesses in no time. */
export const MIN_SECRET_DISTINCT_CHARACTERS = 8;

/**
 * Why a shared secret (an HMAC-SM3 key) is too weak, naming the rule it breaks, or undefined when it is not:
 * at least 32 bytes, at least 8 different characters, and not one short pattern repeated.
 */
export function secretWeakness(secret: string): string | undefined {
  if (Buffer.byteLength(secret, "utf8") < MIN_SECRET_BYTES) return `a shared secret needs at least ${MIN_SECRET_BYTES} bytes`;
  const characters = [...secret];
  if (new Set(characters).size < MIN_SECRET_DISTINCT_CHARACTERS)
    return `a shared secret needs at least ${MIN_SECRET_DISTINCT_CHARACTERS} different characters`;
  for (let period = 1; period <= characters.length / 2; period++) {
    if (characters.every((character, i) => character === characters[i % period]))
      return "a shared secret must not be one short pattern repeated";
  }
  return undefined;
}

export const sharedSecret = z
  .string({ error: (issue) => (issue.input === undefined ? "is missing: a shared secret is required" : "must be text") })
  .superRefine((secret, context) => {
    const weakness = secretWeakness(secret);
    if (weakness) context.addIssue({ code: "custom", message: `is too weak: ${weakness}` });
  });

export const positiveInteger = z.number().int().positive();

/** An endpoint's URL, held to the outbound rule (https outside development, no address the hub must not reach). */
export function endpointUrl(policy: OutboundPolicy) {
  return z.string().superRefine((text, context) => {
    const refused = endpointRefusal(text, policy);
    if (refused) context.addIssue({ code: "custom", message: `${refused.reason} (${refused.rule})` });
  });
}

/** HUB_OUTBOUND_ALLOW: comma-separated host names, addresses and CIDR ranges. */
export function outboundAllowFromEnv(env: NodeJS.ProcessEnv): string[] {
  const entries = (env.HUB_OUTBOUND_ALLOW ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const invalid = invalidAllowEntry(entries);
  if (invalid !== undefined)
    throw new ConfigError(`environment: HUB_OUTBOUND_ALLOW: ${JSON.stringify(invalid)} is not a host name, an IP address or a CIDR range`);
  return entries;
}

/** The outbound rule of this environment: development's unless NODE_ENV=production. */
export const outboundPolicyFromEnv = (env: NodeJS.ProcessEnv): OutboundPolicy => ({
  development: !isProduction(env),
  allow: outboundAllowFromEnv(env),
});

/** The JSON file at `path`, checked against `schema`; any fault is one ConfigError line naming file, key and rule. */
export function readConfigFile<T>(path: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`${path}: cannot be read as JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  // A misspelt key is the likeliest cause of the other faults (a "secrett" leaves "secret" missing): name it first.
  const issues = parsed.error.issues;
  throw new ConfigError(`${path}: ${describeIssue(issues.find((issue) => issue.code === "unrecognized_keys") ?? issues[0])}`);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const at = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((key) => (at ? `${at}.${key}` : key)).join(", ");
    return `${keys}: unknown key${issue.keys.length > 1 ? "s" : ""}`;
  }
  const message = issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  return `${at || "(top level)"}: ${message}`;
}

/**
 * HUB_* variables this hub reads; any other HUB_* name is a typo (HUB_AGENCY_FILE for HUB_AGENCIES_FILE)
 * that would leave a setting silently at its default.
 */
export function checkHubVariableNames(env: NodeJS.ProcessEnv, known: readonly string[]): void {
  const unknown = Object.keys(env).find((name) => name.startsWith("HUB_") && !known.includes(name));
  if (unknown) throw new ConfigError(`environment: ${unknown}: unknown variable (docs/CONFIGURATION.md lists the HUB_* ones)`);
}

/** Runs an entry's start; a ConfigError ends the process with its one line on stderr and exit status 1. */
export async function exitOnConfigError<T>(start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`configuration refused: ${error.message}\n`);
    process.exit(1);
  }
}
