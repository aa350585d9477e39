/**
 * 证券登记结算 (securities depository) wire format (docs/AGENCY_PROTOCOLS.md, SECURITIES_DEPOSITORY): every
 * message, both ways, is an envelope whose `data` is the message's JSON text and whose `sign` is
 * HMAC-SM3 over `service|msgId|data`, so the signature covers exact bytes rather than a re-serialisation.
 */
import {
  isoDate,
  isoDateTime,
  list,
  literal,
  matching,
  oneOf,
  optional,
  positiveInteger,
  queuedRank,
  record,
  tagged,
  text,
  yuan,
  type Decoded,
} from "../codec.js";

export const ENVELOPE_VERSION = "3.0";

/** The services the depository's gateway offers, named in the envelope. */
export type Service = "HOLDING_QUERY" | "HOLDING_PAGE" | "MSG_STATUS" | "FREEZE" | "DEDUCT" | "UNFREEZE" | "EXTEND" | "FREEZE_EFFECTIVE";

export const envelope = record({
  version: literal(ENVELOPE_VERSION),
  service: text,
  msgId: text,
  data: text,
  sign: matching(/^[0-9a-f]{64}$/i, "an HMAC-SM3 signature, 64 hex digits"),
});

export type Envelope = Decoded<typeof envelope>;

/** The string the signature covers: the service and message id bind the data to what it answers. */
export function signedText(service: string, msgId: string, data: string): string {
  return `${service}|${msgId}|${data}`;
}

/** 证件类型: 01 居民身份证, 51 统一社会信用代码. */
export interface Holder {
  idType: "01" | "51";
  idNo: string;
  name: string;
}

export interface HoldingQuery {
  msgId: string;
  caseNo: string;
  courtCode: string;
  holder: Holder;
  reason: string;
  handler: string;
  /** Accounts per page; the depository never splits an account's positions across pages. */
  pageSize: number;
}

export interface HoldingPageRequest {
  /** The query whose answer is paged. */
  queryMsgId: string;
  /** The last account of the page before: the next page starts after it. */
  afterAccount: string;
  pageSize: number;
}

export interface SecuritiesControlRequest {
  msgId: string;
  caseNo: string;
  courtCode: string;
  holder: Holder;
  acctNo: string;
  secCode: string;
  /** FREEZE: the period; EXTEND: `to` is the new last day. */
  from?: string;
  to?: string;
  /** DEDUCT: yuan of sale proceeds to transfer to the court. */
  amount?: string;
  /** UNFREEZE, EXTEND, DEDUCT: the msgId of the FREEZE. */
  freezeRef?: string;
  notice: { docNo: string; date: string };
  ruling: { docNo: string; date: string; judges: string[] };
  handler: string;
  notifyUrl: string;
}

const restriction = record({
  /** PLEDGE 质押, FREEZE 司法冻结 (in effect, rank 1, or 轮候). */
  type: oneOf("PLEDGE", "FREEZE"),
  org: text,
  docNo: optional(text),
  since: optional(isoDate),
  rank: optional(positiveInteger),
});

/** Shares and bonds in whole units; fund shares to two decimals. */
const quantity = matching(/^(?:0|[1-9]\d{0,14})(?:\.\d{1,2})?$/, "a quantity like 1200 or 35000.25");
/** A closing price to three decimals, a fund's NAV to four. */
const unitPrice = matching(/^(?:0|[1-9]\d{0,9})(?:\.\d{1,4})?$/, "a price or NAV like 18.45 or 1.2345");

const position = record({
  secCode: matching(/^\d{6}$/, "a six-digit security or fund code"),
  secName: text,
  secType: oneOf("STOCK", "BOND", "FUND"),
  qty: quantity,
  price: unitPrice,
  priceDate: isoDate,
  mktValue: yuan,
  restrictions: list(restriction),
});

const account = record({
  acctNo: matching(/^[A-Z0-9]{10,12}$/, "a securities or fund account number"),
  market: oneOf("SH", "SZ", "OF"),
  custodian: text,
  positions: list(position),
});

/** One page of the answer to a holding query, or the refusal of the query. */
export const holdingPage = tagged("retCode", {
  "0000": record({
    retCode: literal("0000"),
    msgId: text,
    accounts: list(account),
    /** Where the next page starts (after this account), absent on the last page. */
    nextAfter: optional(text),
  }),
  "2001": record({ retCode: literal("2001"), msgId: text, retMsg: text }),
});

export const controlReply = tagged("retCode", {
  "0000": tagged("result", {
    FROZEN: record({ retCode: literal("0000"), msgId: text, result: literal("FROZEN"), freezeNo: text, effectiveAt: isoDateTime }),
    WAITING: record({ retCode: literal("0000"), msgId: text, result: literal("WAITING"), waitRank: queuedRank }),
    DEDUCTED: record({
      retCode: literal("0000"),
      msgId: text,
      result: literal("DEDUCTED"),
      transferNo: text,
      effectiveAt: isoDateTime,
      amount: yuan,
    }),
    UNFROZEN: record({ retCode: literal("0000"), msgId: text, result: literal("UNFROZEN"), releasedAt: isoDateTime }),
    EXTENDED: record({ retCode: literal("0000"), msgId: text, result: literal("EXTENDED"), until: isoDate }),
  }),
  "3001": record({ retCode: literal("3001"), msgId: text, retMsg: text }),
});

/** MSG_STATUS's answer for a message the depository never received; for one it has, the envelope it answered with. */
export const notReceived = (msgId: string) => record({ retCode: literal("1404"), msgId: literal(msgId) });

/** FREEZE_EFFECTIVE: a queued freeze took effect (查扣冻规定 2020 art. 26). */
export const freezeEffective = record({ freezeRef: text, effectiveAt: isoDateTime, freezeNo: text });

export type HoldingAccount = Decoded<typeof account>;
export type Position = Decoded<typeof position>;
export type ControlReply = Decoded<typeof controlReply>;
