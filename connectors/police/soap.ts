/** 公安 SOAP 1.1 wire format (docs/AGENCY_PROTOCOLS.md, POLICE). */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { AgencyProtocolError, type InquiryCall } from "../connector.js";
import {
  decodeWith,
  isoDate,
  isoDateTime,
  list,
  literal,
  oneOf,
  optional,
  record,
  tagged,
  text,
  type Decoded,
  type Decoder,
} from "../codec.js";

const KIND = "POLICE";
const NS = "urn:gongan:zxlk:v1";
/** The SOAPAction header of an operation of the service, quoted as SOAP 1.1 (§6.1.1) requires. */
export const soapAction = (operation: string) => `"${NS}#${operation}"`;

function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos" }[c]};`);
}

/** A SOAP 1.1 request holding one element of the service's namespace; fields left undefined are not sent. */
export function soapRequest(element: string, fields: readonly (readonly [string, string | undefined])[]): string {
  const body = fields
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `<ga:${name}>${escapeXml(value)}</ga:${name}>`)
    .join("");
  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ga="${NS}">` +
    `<soap:Body><ga:${element}>${body}</ga:${element}></soap:Body></soap:Envelope>`
  );
}

export function personInquiryEnvelope(call: InquiryCall): string {
  return soapRequest("PersonInquiryRequest", [
    ["RequestId", call.idempotencyKey],
    ["CaseNumber", call.caseNumber],
    ["Court", call.courtCode],
    ["IdNumber", call.debtor.idNumber],
    ["Name", call.debtor.name],
    ["Purpose", call.purpose],
  ]);
}

/** Asks what became of an earlier request: answered with its original reply, or a Client.UnknownRequest fault. */
export function requestStatusEnvelope(idempotencyKey: string): string {
  return soapRequest("RequestStatusRequest", [["RequestId", idempotencyKey]]);
}

const RECORD_PATH = "Envelope.Body.PersonInquiryResponse.Whereabouts.Record";

/**
 * Prefixes are dropped because an agency may bind the namespaces to any prefix;
 * tag values stay strings so ID numbers and dates are never turned into numbers.
 */
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  isArray: (_name, jpath) => jpath === RECORD_PATH,
});

/** An empty element (<ga:Sex/>) parses as "" and means the agency left the field out. */
function omissible<T>(decoder: Decoder<T>): Decoder<T | undefined> {
  return (value, path) => (value === "" ? undefined : optional(decoder)(value, path));
}

const whereabout = record({
  Time: isoDateTime,
  Place: text,
  Type: oneOf("HOTEL", "RAIL", "FLIGHT", "INTERNET_CAFE"),
});

const whereabouts: Decoder<Decoded<typeof whereabout>[]> = (value, path) =>
  value === undefined || value === "" ? [] : record({ Record: list(whereabout) })(value, path).Record;

const person = record({
  Name: text,
  Sex: omissible(oneOf("1", "2")),
  BirthDate: omissible(isoDate),
  HouseholdAddress: text,
  RegistrationAuthority: text,
});

const inquiryResponse = tagged("Result", {
  FOUND: record({ Result: literal("FOUND"), RequestId: text, Person: person, Whereabouts: whereabouts }),
  NOT_FOUND: record({ Result: literal("NOT_FOUND"), RequestId: text }),
  NOT_APPLICABLE: record({ Result: literal("NOT_APPLICABLE"), RequestId: text }),
});

const fault = record({ faultcode: text, faultstring: text });
const soapBody = record({ Envelope: record({ Body: record({ Fault: optional(fault) }) }) });

export const personInquiryResponse = inquiryResponse;
export interface SoapFault {
  kind: "FAULT";
  /** Local part of the faultcode QName up to the first dot: Client, Server, VersionMismatch, MustUnderstand. */
  code: string;
  /** What follows the first dot, e.g. UnknownRequest in Client.UnknownRequest. */
  subcode?: string;
  reason: string;
}
type SoapReply<T> = SoapFault | { kind: "RESPONSE"; response: T };

/** A reply holding either a fault or the operation's response element `responseName`, decoded. */
export function readSoapReply<T>(raw: string, responseName: string, response: Decoder<T>): SoapReply<T> {
  const { body, fault } = parseSoap(raw);
  const element = body[responseName];
  if (fault && element === undefined) return fault;
  if (element !== undefined && !fault) return { kind: "RESPONSE", response: decodeWith(KIND, raw, element, response) };
  throw new AgencyProtocolError(`${KIND} reply body must hold exactly one of Fault or ${responseName}`, raw);
}

/** For bodies that came with an error status: a fault if there is a well-formed one, else nothing. */
export function faultIn(raw: string): SoapFault | undefined {
  try {
    return parseSoap(raw).fault;
  } catch {
    return undefined;
  }
}

function parseSoap(raw: string): { body: Record<string, unknown>; fault?: SoapFault } {
  // SOAP 1.1 forbids a DTD in a message, and refusing it shuts out entity-expansion attacks.
  if (/<!DOCTYPE/i.test(raw)) throw new AgencyProtocolError(`${KIND} reply carries a DTD`, raw);
  const valid = XMLValidator.validate(raw);
  if (valid !== true) throw new AgencyProtocolError(`${KIND} reply is not well-formed XML: ${valid.err.msg}`, raw);
  const parsed = parser.parse(raw);
  const decoded = decodeWith(KIND, raw, parsed, soapBody).Envelope.Body.Fault;
  const body = parsed.Envelope.Body as Record<string, unknown>;
  if (!decoded) return { body };
  const [code, ...subcode] = decoded.faultcode
    .trim()
    .replace(/^[^:]*:/, "")
    .split(".");
  return { body, fault: { kind: "FAULT", code, subcode: subcode.length > 0 ? subcode.join(".") : undefined, reason: decoded.faultstring } };
}
