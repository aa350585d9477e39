/** 不动产登记 wire format (docs/AGENCY_PROTOCOLS.md, PROPERTY_REGISTRY). */
import {
  isoDate,
  list,
  literal,
  oneOf,
  optional,
  positiveInteger,
  positiveNumber,
  record,
  tagged,
  text,
  yuan,
  type Decoded,
} from "../codec.js";

export interface PropertyInquiryRequest {
  requestId: string;
  caseNumber: string;
  court: string;
  subject: { type: "PERSON" | "ORG"; idNumber: string; name: string };
  purpose: string;
  officer: string;
}

const encumbrance = record({
  type: oneOf("MORTGAGE", "SEAL"),
  authority: text,
  docNo: optional(text),
  since: optional(isoDate),
  rank: optional(positiveInteger),
  /** A mortgage's secured claim, yuan, where the register records it. */
  amount: optional(yuan),
});

const propertyRecord = record({
  certNo: text,
  location: text,
  area: positiveNumber,
  use: text,
  share: text,
  appraisal: optional(yuan),
  encumbrances: list(encumbrance),
});

export const propertyReply = tagged("status", {
  OK: record({ status: literal("OK"), requestId: text, records: list(propertyRecord) }),
  REJECTED: record({ status: literal("REJECTED"), requestId: text, message: text }),
});

export type PropertyRecord = Decoded<typeof propertyRecord>;
