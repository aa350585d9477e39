/** 税务 wire format (docs/AGENCY_PROTOCOLS.md, TAX). */
import { bool, list, literal, matching, optional, record, tagged, text, yuan, type Decoded } from "../codec.js";

export interface TaxInquiryRequest {
  request_id: string;
  case_no: string;
  court_code: string;
  taxpayer_id: string;
  taxpayer_name: string;
  callback_url: string;
}

/** The prefix keeps another agency's ticket from being polled here by mistake. */
const ticket = matching(/^TX-\S+$/, "a tax ticket TX-…");

export const acceptedReply = record({ accepted: literal(true), ticket });

/** A lookup's answer for a request the bureau never received. */
export const neverReceivedReply = (requestId: string) => record({ request_id: literal(requestId), state: literal("UNKNOWN") });

const taxResult = record({
  registered: bool,
  status: text,
  authority: optional(text),
  payments: list(
    record({
      period: matching(/^\d{4}-(?:0[1-9]|1[0-2])$/, "a tax period YYYY-MM"),
      tax_type: text,
      amount: yuan,
    }),
  ),
  refunds_due: yuan,
  /** The bureau's number for the refund due, which a freeze names; given whenever a refund is due. */
  refund_no: optional(text),
});

export const callbackBody = record({ request_id: text, ticket, result: taxResult });

export const pollReply = tagged("state", {
  PENDING: record({ state: literal("PENDING") }),
  DONE: record({ state: literal("DONE"), request_id: text, result: taxResult }),
});

export type TaxResult = Decoded<typeof taxResult>;
