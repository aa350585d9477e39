/** 车管所 wire format (docs/AGENCY_PROTOCOLS.md, VEHICLE_REGISTRY). */
import {
  isoDate,
  list,
  literal,
  matching,
  nonNegativeInteger,
  oneOf,
  optional,
  positiveInteger,
  record,
  tagged,
  text,
  yuan,
  type Decoded,
} from "../codec.js";

export interface VehicleQueryRequest {
  reqId: string;
  case: string;
  court: string;
  owner: { idType: "RESIDENT_ID" | "CREDIT_CODE"; idNo: string; name: string };
}

/** The prefix keeps another agency's ticket from being polled here by mistake. */
const ticket = matching(/^VQ-\S+$/, "a vehicle ticket VQ-…");

/** ISO 3779: 17 characters, never I, O or Q. */
const vin = matching(/^[A-HJ-NPR-Z0-9]{17}$/, "a 17-character VIN");

export const ticketReply = record({ ticket, retryAfterMs: nonNegativeInteger });

const restriction = record({
  kind: oneOf("SEAL", "MORTGAGE", "SEIZURE"),
  by: text,
  ref: optional(text),
  since: optional(isoDate),
  rank: optional(positiveInteger),
});

const vehicle = record({
  plate: text,
  vin,
  make: text,
  model: text,
  color: text,
  firstRegistered: isoDate,
  valuation: optional(yuan),
  restrictions: list(restriction),
});

export const pollReply = tagged("state", {
  PROCESSING: record({ state: literal("PROCESSING"), retryAfterMs: nonNegativeInteger }),
  DONE: record({ state: literal("DONE"), vehicles: list(vehicle) }),
  REJECTED: record({ state: literal("REJECTED"), reason: text }),
});

export type Vehicle = Decoded<typeof vehicle>;
