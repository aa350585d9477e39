/** 信用平台 wire format (docs/AGENCY_PROTOCOLS.md, CREDIT_PLATFORM). */
import { isoDate, list, literal, oneOf, optional, record, tagged, text, type Decoded } from "../codec.js";

const sanction = record({
  listType: oneOf("DISHONEST_DEBTOR", "CONSUMPTION_RESTRICTION", "TAX_BLACKLIST"),
  authority: text,
  docNo: text,
  since: isoDate,
  // Absent while the sanction runs without an end date.
  until: optional(isoDate),
});

/** code is a number on the wire; the tag lookup compares its string form. */
export const sanctionsReply = tagged("code", {
  0: record({ code: literal(0), data: record({ subject: text, sanctions: list(sanction) }) }),
  4001: record({ code: literal(4001), msg: text }),
});

/** A lookup's answer for a request the platform never received. */
export const neverReceivedReply = (requestId: string) => record({ code: literal(4004), requestId: literal(requestId) });

export type Sanction = Decoded<typeof sanction>;
