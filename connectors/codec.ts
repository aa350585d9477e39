/**
 * Strict decoding of agency replies, shared by every connector. A reply either
 * decodes completely into its wire type or the connector throws an
 * AgencyProtocolError carrying the raw body, so a half-understood answer can
 * never reach a case file. Unknown extra fields are tolerated: agencies add
 * fields without notice, and ignoring them loses nothing we map.
 */
import {
  AgencyProtocolError,
  type AgencyConnector,
  type AgencyKind,
  type ConnectorContext,
  type ConnectorOutcome,
  type ControlAction,
  type ControlCall,
  type ControlConnector,
  type ControlOutcome,
  type InquiryCall,
  type MeasureKind,
} from "./connector.js";
import type { AssetCategory } from "../domain/measures/measureKinds.js";
import { verifyHmacSm3 } from "./signature.js";
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
  Number.isSafeInteger(value) && (value as number) >= 0
    ? (value as number)
    : fail(path, `expected non-negative integer, got ${show(value)}`);

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
    if (!Object.hasOwn(variants, key))
      fail(`${path}.${tag}`, `expected one of ${Object.keys(variants).join("|")}, got ${show(value[tag])}`);
    return variants[key](value, path) as Decoded<M[keyof M]>;
  };
}

/** Decode an already parsed reply; any violation becomes an AgencyProtocolError with the raw body. */
export function decodeWith<T>(agency: AgencyKind, raw: string, parsed: unknown, decoder: Decoder<T>): T {
  try {
    return decoder(parsed, "$");
  } catch (error) {
    if (error instanceof WireViolation)
      throw new AgencyProtocolError(`${agency} reply violates the protocol at ${error.path}: ${error.message}`, raw);
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

/* ---------------------------------------------------------------- registry inquiries (查) */

/**
 * The property and vehicle registries, the market regulator and the civil-affairs register take an inquiry the same way: the request
 * POSTed under the hub's idempotency key in a header of their choosing, and the lookup of an earlier request
 * by that key (lookUpRegistryRequest) read like the original reply. Each connector describes its wire here and
 * gets its inquire and recall from registryInquiry(), as registryControl() gives the control half.
 */
export interface RegistryInquiryProtocol<T> {
  kind: AgencyKind;
  /** Below the endpoint's base URL, e.g. "/v1/property-inquiries". */
  path: string;
  /** The header carrying the idempotency key, e.g. "Idempotency-Key", "X-Request-No". */
  keyHeader: string;
  /** Where the registry answers lookups of earlier requests by key, e.g. "/v1/requests". */
  lookupPath: string;
  /** The HTTP statuses a reply may carry. @default [200] */
  statuses?: readonly number[];
  /** The wire body of the call: JSON, or a form (application/x-www-form-urlencoded) where `form` is set. */
  encode: (call: InquiryCall) => unknown;
  /** @default false */
  form?: boolean;
  decoder: Decoder<T>;
  /** The key the decoded reply says it answers, checked against the call's; omitted where a reply names no request. */
  answers?: (decoded: T) => string;
  /** What the decoded reply says about the call. */
  outcome: (decoded: T, raw: string) => ConnectorOutcome;
}

const FORM = "application/x-www-form-urlencoded";

export function registryInquiry<T>(protocol: RegistryInquiryProtocol<T>): Required<Pick<AgencyConnector, "inquire" | "recall">> {
  const { kind } = protocol;
  const read = (call: InquiryCall, reply: AgencyResponse): ConnectorOutcome => {
    expectStatus(kind, reply, ...(protocol.statuses ?? [200]));
    const decoded = decodeJson(kind, reply.body, protocol.decoder);
    if (protocol.answers) answersCall(protocol.answers(decoded), call.idempotencyKey, kind, reply.body);
    return protocol.outcome(decoded, reply.body);
  };
  return {
    async inquire(call, ctx) {
      const reply = await ctx.transport.send(protocol.path, {
        method: "POST",
        headers: { "Content-Type": protocol.form ? FORM : "application/json", [protocol.keyHeader]: call.idempotencyKey },
        body: protocol.form
          ? new URLSearchParams({ ...(protocol.encode(call) as Record<string, string>) }).toString()
          : JSON.stringify(protocol.encode(call)),
      });
      return read(call, reply);
    },
    async recall(call, ctx) {
      const reply = await lookUpRegistryRequest(kind, protocol.lookupPath, call.idempotencyKey, ctx);
      return reply && read(call, reply);
    },
  };
}

/** A reply naming another request than the one sent is someone else's answer, never this call's. */
export function answersCall(answered: string, sent: string, agency: AgencyKind, raw: string): void {
  protocolCheck(answered === sent, agency, raw, `answers request ${answered}, not ${sent}`);
}

/* ---------------------------------------------------------------- registry control measures (控) */

/**
 * The property and vehicle registries and the market regulator's enterprise register speak one control
 * protocol (docs/AGENCY_PROTOCOLS.md, "Control measures"): the same request body but for
 * the field naming the asset, the same synchronous replies, and the same signed
 * TOOK_EFFECT report when a queued measure takes effect. Each of the three
 * connectors describes its side here and gets its ControlConnector half from
 * registryControl(), so the protocol is encoded and checked in one place.
 */
export interface RegistryControlProtocol {
  kind: AgencyKind;
  /** Below the endpoint's base URL, e.g. "/v1/controls". */
  path: string;
  /** Where the registry answers lookups of earlier requests by key, e.g. "/v1/requests". */
  lookupPath: string;
  /** The request field naming the asset: a certificate number, a plate, a company's credit code (equity), a tax refund. */
  assetField: "certNo" | "plate" | "uscc" | "refundNo";
  /** The measures the registry carries out; each is sent as its own action (SEAL, SEIZE, FREEZE). */
  measureKinds: readonly MeasureKind[];
  /** The category of asset the register holds (REAL_ESTATE, MOVABLE, OTHER_PROPERTY_RIGHT for equity). */
  assetCategory: AssetCategory;
  /** For an agency that signs every exchange (the tax bureau): headers proving a request body is the hub's. */
  signature?: (body: string, ctx: ConnectorContext) => Record<string, string>;
  /** For an agency with its own lookup of earlier requests: its reply to the key, or undefined if never received. */
  lookUp?: (idempotencyKey: string, ctx: ConnectorContext) => Promise<AgencyResponse | undefined>;
}

export interface RegistryControlRequest {
  requestId: string;
  action: MeasureKind | "RELEASE" | "RENEW";
  caseNumber: string;
  court: string;
  certNo?: string;
  plate?: string;
  uscc?: string;
  refundNo?: string;
  /** DEDUCT: the yuan to transfer out of the freeze named by measureRef. */
  amount?: string;
  subject: { type: "PERSON" | "ORG"; idNumber: string; name: string };
  from?: string;
  to?: string;
  measureRef?: string;
  notice: { number: string; date: string };
  decision: { number: string; date: string; judges: string[] };
  officer: string;
  callbackUrl: string;
}

/** Rank 1 is the measure in effect, so a queued one ranks 2 or later. */
export const queuedRank: Decoder<number> = (value, path) => {
  const rank = positiveInteger(value, path);
  return rank >= 2 ? rank : fail(path, `expected a queue rank of 2 or more, got ${rank}`);
};

const registryControlReply = tagged("status", {
  EFFECTIVE: record({ status: literal("EFFECTIVE"), requestId: text, effectiveFrom: isoDateTime, registrationNo: text }),
  QUEUED: record({ status: literal("QUEUED"), requestId: text, rank: queuedRank }),
  RELEASED: record({ status: literal("RELEASED"), requestId: text, releasedAt: isoDateTime }),
  RENEWED: record({ status: literal("RENEWED"), requestId: text, to: isoDate }),
  REJECTED: record({ status: literal("REJECTED"), requestId: text, message: text }),
});

/** The statuses that answer each action; any other is a reply to some other request. */
const REPLIES_TO: Readonly<Record<ControlAction, readonly string[]>> = {
  APPLY: ["EFFECTIVE", "QUEUED", "REJECTED"],
  RELEASE: ["RELEASED", "REJECTED"],
  RENEW: ["RENEWED", "REJECTED"],
};

const registryMeasureReport = record({ event: literal("TOOK_EFFECT"), measureRef: text, effectiveFrom: isoDateTime, registrationNo: text });

export function registryControl(protocol: RegistryControlProtocol): ControlConnector {
  const { kind } = protocol;
  return {
    measureKinds: protocol.measureKinds,
    assetCategories: [protocol.assetCategory],

    async control(call, ctx) {
      const body = JSON.stringify(encodeRegistryControl(protocol, call));
      const reply = await ctx.transport.send(protocol.path, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": call.idempotencyKey, ...protocol.signature?.(body, ctx) },
        body,
      });
      return readControlReply(call, reply);
    },

    async recallControl(call, ctx) {
      const reply = protocol.lookUp
        ? await protocol.lookUp(call.idempotencyKey, ctx)
        : await lookUpRegistryRequest(kind, protocol.lookupPath, call.idempotencyKey, ctx);
      return reply && readControlReply(call, reply);
    },

    acceptMeasureReport(body, headers, ctx) {
      // Verify before parsing: nothing from an unauthenticated body may reach a case file.
      if (!verifyHmacSm3(ctx.secret, body, headerValue(headers, "x-signature"))) {
        throw new AgencyProtocolError(`${kind} measure report signature does not verify`, body);
      }
      const report = decodeJson(kind, body, registryMeasureReport);
      return { measureRef: report.measureRef, event: report.event, effectiveFrom: report.effectiveFrom, reference: report.registrationNo };
    },
  };

  function readControlReply(call: ControlCall, reply: AgencyResponse): ControlOutcome {
    expectStatus(kind, reply, 200);
    const decoded = decodeJson(kind, reply.body, registryControlReply);
    answersCall(decoded.requestId, call.idempotencyKey, kind, reply.body);
    protocolCheck(REPLIES_TO[call.action].includes(decoded.status), kind, reply.body, `answers ${call.action} with ${decoded.status}`);
    const raw = reply.body;
    switch (decoded.status) {
      case "EFFECTIVE":
        return { kind: "EFFECTIVE", effectiveFrom: decoded.effectiveFrom, reference: decoded.registrationNo, raw };
      case "QUEUED":
        return { kind: "QUEUED", rank: decoded.rank, raw };
      case "RELEASED":
        return { kind: "RELEASED", releasedAt: decoded.releasedAt, raw };
      case "RENEWED":
        return { kind: "RENEWED", to: decoded.to, raw };
      case "REJECTED":
        return { kind: "REFUSED", reason: decoded.message, raw };
    }
  }
}

/**
 * The registries' lookup of an earlier inquiry or control request by its key:
 * the reply the registry gave it, to be read like the original reply, or
 * undefined when the registry says it never received the key (404 UNKNOWN).
 */
export async function lookUpRegistryRequest(
  kind: AgencyKind,
  lookupPath: string,
  idempotencyKey: string,
  ctx: ConnectorContext,
): Promise<AgencyResponse | undefined> {
  const reply = await ctx.transport.send(`${lookupPath}/${encodeURIComponent(idempotencyKey)}`, { method: "GET" });
  if (reply.status !== 404) return reply;
  decodeJson(kind, reply.body, record({ requestId: literal(idempotencyKey), status: literal("UNKNOWN") }));
  return undefined;
}

/** The wire body for a control call; a call the protocol cannot carry fails here, before anything is sent. */
export function encodeRegistryControl(protocol: RegistryControlProtocol, call: ControlCall): RegistryControlRequest {
  const refuse = (message: string): never => {
    throw new AgencyProtocolError(`${protocol.kind} control request ${call.idempotencyKey} ${message}`);
  };
  const kinds: readonly MeasureKind[] = protocol.measureKinds;
  if (!kinds.includes(call.measureKind)) refuse(`asks for ${call.measureKind}; the registry carries out ${kinds.join(", ")} only`);
  const deduct = call.action === "APPLY" && call.measureKind === "DEDUCT";
  if (call.action === "APPLY" && !deduct && (!call.from || !call.to)) refuse("lacks the period (from, to) of the measure");
  if (deduct && (!call.amount || !call.measureRef)) refuse("lacks the amount or the freeze to deduct from (measureRef)");
  if (call.action !== "APPLY" && !call.measureRef)
    refuse(`lacks measureRef, the key of the request that applied the measure to ${call.action}`);
  if (call.action === "RENEW" && !call.to) refuse("lacks the new last day (to)");
  return {
    requestId: call.idempotencyKey,
    action: call.action === "APPLY" ? call.measureKind : call.action,
    caseNumber: call.caseNumber,
    court: call.courtCode,
    [protocol.assetField]: call.assetIdentifier,
    subject: { type: call.debtor.kind === "PERSON" ? "PERSON" : "ORG", idNumber: call.debtor.idNumber, name: call.debtor.name },
    from: deduct ? undefined : call.from,
    to: deduct ? undefined : call.to,
    measureRef: call.action === "APPLY" && !deduct ? undefined : call.measureRef,
    amount: deduct ? call.amount : undefined,
    notice: { number: call.notice.number, date: call.notice.date },
    decision: { number: call.decision.number, date: call.decision.date, judges: [...call.decision.judges] },
    officer: call.officer,
    callbackUrl: call.callbackUrl,
  };
}

/** HTTP servers hand over header names in whatever case they received. */
export function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}
