/** 市场监管 (企业登记) wire format (docs/AGENCY_PROTOCOLS.md, MARKET_REGULATION). */
import { isoDate, list, literal, matching, oneOf, optional, positiveInteger, record, tagged, text, yuan, type Decoded } from "../codec.js";

export interface EquityQueryRequest {
  req_no: string;
  case_no: string;
  court_code: string;
  investor: { cert_type: "SFZ" | "TYSHXYDM"; cert_no: string; name: string };
  reason: string;
  handler: string;
}

const restriction = record({
  /** PLEDGE 股权出质, FREEZE 股权冻结 (by a court, in effect or queued). */
  kind: oneOf("PLEDGE", "FREEZE"),
  org: text,
  doc_no: optional(text),
  since: optional(isoDate),
  rank: optional(positiveInteger),
});

const stake = record({
  entname: text,
  uniscid: matching(/^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$/, "a unified social credit code"),
  fundedratio: matching(/^(?:100(?:\.0{1,2})?|\d{1,2}(?:\.\d{1,2})?)$/, "a percentage of the registered capital"),
  subconam: yuan,
  acconam: yuan,
  restrictions: list(restriction),
});

export const equityReply = tagged("code", {
  "00": record({ code: literal("00"), req_no: text, data: list(stake) }),
  "40": record({ code: literal("40"), req_no: text, msg: text }),
});

export type EquityStake = Decoded<typeof stake>;
