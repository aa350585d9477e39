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
export const SOAP_ACTION = `"${NS}#PersonInquiry"`;
export const STATUS_ACTION = `"${NS}#RequestStatus"`;

function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos" }[c]};`);
}

function requestEnvelope(element: string, fields: Record<string, string>): string {
  const content = Object.entries(fields)
    .map(([name, value]) => `<ga:${name}>${escapeXml(value)}</ga:${name}>`)
    .join("");
  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ga="${NS}">` +
    `<soap:Body><ga:${element}>${content}</ga:${element}></soap:Body></soap:Envelope>`
  );
}

export function personInquiryEnvelope(call: InquiryCall): string {
  return requestEnvelope("PersonInquiryRequest", {
    RequestId: call.idempotencyKey,
    CaseNumber: call.caseNumber,
    Court: call.courtCode,
    IdNumber: call.debtor.idNumber,
    Name: call.debtor.name,
    Purpose: call.purpose,
  });
}

/** Asks what became of an earlier request: answered with its original reply, or a Client.UnknownRequest fault. */
export function requestStatusEnvelope(idempotencyKey: string): string {
  return requestEnvelope("RequestStatusRequest", { RequestId: idempotencyKey });
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

const envelope = record({
  Envelope: record({
    Body: record({
      Fault: optional(record({ faultcode: text, faultstring: text })),
      PersonInquiryResponse: optional(inquiryResponse),
    }),
  }),
});

type PersonInquiryResponse = Decoded<typeof inquiryResponse>;
export interface SoapFault {
  kind: "FAULT";
  /** Local part of the faultcode QName up to the first dot: Client, Server, VersionMismatch, MustUnderstand. */
  code: string;
  /** What follows that dot, e.g. UnknownRequest in Client.UnknownRequest. */
  subcode?: string;
  reason: string;
}
type SoapReply = SoapFault | { kind: "RESPONSE"; response: PersonInquiryResponse };

export function readSoapReply(raw: string): SoapReply {
  // SOAP 1.1 forbids a DTD in a message, and refusing it shuts out entity-expansion attacks.
  if (/<!DOCTYPE/i.test(raw)) throw new AgencyProtocolError(`${KIND} reply carries a DTD`, raw);
  const valid = XMLValidator.validate(raw);
  if (valid !== true) throw new AgencyProtocolError(`${KIND} reply is not well-formed XML: ${valid.err.msg}`, raw);
  const body = decodeWith(KIND, raw, parser.parse(raw), envelope).Envelope.Body;
  if (body.Fault && !body.PersonInquiryResponse) {
    const qname = body.Fault.faultcode.trim();
    const [code, ...subcode] = qname.slice(qname.indexOf(":") + 1).split(".");
    return { kind: "FAULT", code, subcode: subcode.length > 0 ? subcode.join(".") : undefined, reason: body.Fault.faultstring };
  }
  if (body.PersonInquiryResponse && !body.Fault) return { kind: "RESPONSE", response: body.PersonInquiryResponse };
  throw new AgencyProtocolError(`${KIND} reply body must hold exactly one of Fault or PersonInquiryResponse`, raw);
}

/** For bodies that came with an error status: a fault if there is a well-formed one, else nothing. */
export function faultIn(raw: string): SoapFault | undefined {
  try {
    const reply = readSoapReply(raw);
    return reply.kind === "FAULT" ? reply : undefined;
  } catch {
    return undefined;
  }
}
