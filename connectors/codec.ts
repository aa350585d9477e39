/**
 * Strict decoding of agency replies, shared by every connector. A reply either
 * decodes completely into its wire type or the connector throws an
 * AgencyProtocolError carrying the raw body, so a half-understood answer can
 * never reach a case file. Unknown extra fields are tolerated: agencies add
 * fields without notice, and ignoring them loses nothing we map.
 */
import { AgencyProtocolError, type AgencyKind } from "./connector.js";
import type { AgencyResponse } from "./transport.js";

/** Thrown by decoders; turned into an AgencyProtocolError (with the raw body) by decodeWith. */
class WireViolation extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

export type Decoder<T> = (value: unknown, path: string) => T;
export type Decoded<D> = D extends Decoder<infer T> ? T : never;

function fail(path: string, message: string): never {
  throw new WireViolation(path, message);
}

function show(value: unknown): string {
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** A non-blank string: every text field the protocols define carries information. */
export const text: Decoder<string> = (value, path) =>
  typeof value === "string" && value.trim() !== "" ? value : fail(path, `expected non-empty text, got ${show(value)}`);

export const bool: Decoder<boolean> = (value, path) =>
  typeof value === "boolean" ? value : fail(path, `expected boolean, got ${show(value)}`);

export const positiveNumber: Decoder<number> = (value, path) =>
  typeof value === "number" && Number.isFinite(value) && value > 0 ? value : fail(path, `expected positive number, got ${show(value)}`);

export const nonNegativeInteger: Decoder<number> = (value, path) =>
  Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : fail(path, `expected non-negative integer, got ${show(value)}`);

export const positiveInteger: Decoder<number> = (value, path) =>
  Number.isSafeInteger(value) && (value as number) > 0 ? (value as number) : fail(path, `expected positive integer, got ${show(value)}`);

export function literal<const V extends string | number | boolean>(expected: V): Decoder<V> {
  return (value, path) => (value === expected ? expected : fail(path, `expected ${show(expected)}, got ${show(value)}`));
}

export function oneOf<const V extends readonly string[]>(...allowed: V): Decoder<V[number]> {
  return (value, path) =>
    typeof value === "string" && allowed.includes(value) ? value : fail(path, `expected one of ${allowed.join("|")}, got ${show(value)}`);
}

export function matching(pattern: RegExp, what: string): Decoder<string> {
  return (value, path) => (typeof value === "string" && pattern.test(value) ? value : fail(path, `expected ${what}, got ${show(value)}`));
}

/**
 * Yuan as a decimal string with at most two decimals (fen), no sign, no
 * exponent, no leading zeros: it fits the DECIMAL(18,2) columns and is kept
 * verbatim, never passed through a float.
 */
export const yuan: Decoder<string> = matching(/^(?:0|[1-9]\d{0,15})(?:\.\d{1,2})?$/, "a yuan amount like 1234.50");

/** Validated by the regex above, so any non-zero digit means the amount is above zero. */
export function isPositiveYuan(amount: string): boolean {
  return /[1-9]/.test(amount);
}

/** A real calendar date: the regex alone would let 2023-02-30 through. */
export const isoDate: Decoder<string> = (value, path) => {
  const date = matching(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD")(value, path);
  const [year, month, day] = date.split("-").map(Number);
  const parsed = new Date(Date.UTC(year, month - 1, day));
  const exists = parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
  return exists ? date : fail(path, `no such date ${date}`);
};

export const isoDateTime: Decoder<string> = (value, path) => {
  const at = matching(
    /^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?$/,
    "an ISO-8601 date-time",
  )(value, path);
  isoDate(at.slice(0, 10), path);
  return at;
};

/** Absent and null both mean "not given"; anything present must decode. */
export function optional<T>(decoder: Decoder<T>): Decoder<T | undefined> {
  return (value, path) => (value === undefined || value === null ? undefined : decoder(value, path));
}

export function list<T>(item: Decoder<T>): Decoder<T[]> {
  return (value, path) =>
    Array.isArray(value) ? value.map((entry, index) => item(entry, `${path}[${index}]`)) : fail(path, `expected array, got ${show(value)}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function record<S extends Record<string, Decoder<unknown>>>(shape: S): Decoder<{ [K in keyof S]: Decoded<S[K]> }> {
  return (value, path) => {
    if (!isPlainObject(value)) fail(path, `expected object, got ${show(value)}`);
    const out: Record<string, unknown> = {};
    for (const [key, decoder] of Object.entries(shape)) out[key] = decoder(value[key], `${path}.${key}`);
    return out as { [K in keyof S]: Decoded<S[K]> };
  };
}

/**
 * A reply whose shape depends on one field (status, state, code). Each variant
 * decoder should re-check the tag as a literal so the decoded type narrows.
 */
export function tagged<M extends Record<string, Decoder<unknown>>>(tag: string, variants: M): Decoder<Decoded<M[keyof M]>> {
  return (value, path) => {
    if (!isPlainObject(value)) fail(path, `expected object, got ${show(value)}`);
    const key = String(value[tag]);
    if (!Object.hasOwn(variants, key)) fail(`${path}.${tag}`, `expected one of ${Object.keys(variants).join("|")}, got ${show(value[tag])}`);
    return variants[key](value, path) as Decoded<M[keyof M]>;
  };
}

/** Decode an already parsed reply; any violation becomes an AgencyProtocolError with the raw body. */
export function decodeWith<T>(agency: AgencyKind, raw: string, parsed: unknown, decoder: Decoder<T>): T {
  try {
    return decoder(parsed, "$");
  } catch (error) {
    if (error instanceof WireViolation) throw new AgencyProtocolError(`${agency} reply violates the protocol at ${error.path}: ${error.message}`, raw);
    throw error;
  }
}

export function decodeJson<T>(agency: AgencyKind, raw: string, decoder: Decoder<T>): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new AgencyProtocolError(`${agency} reply is not JSON`, raw);
  }
  return decodeWith(agency, raw, parsed, decoder);
}

/** Fail a check the decoders cannot express (e.g. a field must echo our request), keeping the raw body. */
export function protocolCheck(condition: boolean, agency: AgencyKind, raw: string, message: string): asserts condition {
  if (!condition) throw new AgencyProtocolError(`${agency} reply ${message}`, raw);
}

/**
 * 5xx, 408 and 429 never get here (the transport throws TransientAgencyError);
 * any other status the protocol does not define is a request the agency
 * rejected, which retrying with the same body cannot fix.
 */
export function expectStatus(agency: AgencyKind, reply: Pick<AgencyResponse, "status" | "body">, ...allowed: number[]): void {
  protocolCheck(allowed.includes(reply.status), agency, reply.body, `has unexpected HTTP status ${reply.status}`);
}

const MIN_POLL_MS = 250;
const MAX_POLL_MS = 5 * 60_000;

/**
 * An agency's retry hint, bounded: 0 would make the dispatcher spin, and a
 * hint of hours would leave a request unwatched past the command centre's
 * overdue checks.
 */
export function pollDelay(hintMs: number): number {
  return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, hintMs));
}
