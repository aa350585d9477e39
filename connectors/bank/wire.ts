/** 银行 (总对总 bank interface) wire format (docs/AGENCY_PROTOCOLS.md, BANK). */
import {
  isoDate,
  isoDateTime,
  list,
  literal,
  matching,
  nonNegativeInteger,
  optional,
  positiveInteger,
  queuedRank,
  record,
  tagged,
  text,
  yuan,
  type Decoded,
} from "../codec.js";

interface Subject {
  type: "PERSON" | "ORG";
  idNo: string;
  name: string;
}

export interface BankInquiryRequest {
  requestId: string;
  caseNo: string;
  court: string;
  subject: Subject;
  purpose: string;
  officer: string;
  callbackUrl: string;
}

export type BankAction = "FREEZE" | "DEDUCT" | "RELEASE" | "RENEW";

export interface BankControlRequest {
  requestId: string;
  action: BankAction;
  caseNo: string;
  court: string;
  accountNo: string;
  subject: Subject;
  amount?: string;
  from?: string;
  to?: string;
  /** RELEASE, RENEW: the freeze's requestId; DEDUCT: the freeze the money is taken from. */
  measureRef?: string;
  notice: { number: string; date: string };
  decision: { number: string; date: string; judges: string[] };
  officer: string;
  callbackUrl: string;
}

/** The prefix keeps another agency's ticket from being taken for the bank's. */
const ticket = matching(/^BK-\S+$/, "a bank ticket BK-…");

const freeze = record({ court: text, notice: text, amount: yuan, since: isoDate, until: optional(isoDate), rank: positiveInteger });

const account = record({
  accountNo: matching(/^\d{12,30}$/, "an account number of 12 to 30 digits"),
  bank: text,
  branch: text,
  currency: text,
  balance: yuan,
  frozen: yuan,
  freezes: list(freeze),
});

export const inquiryResult = tagged("status", {
  DONE: record({ status: literal("DONE"), accounts: list(account) }),
  REJECTED: record({ status: literal("REJECTED"), reason: text }),
});

export const controlResult = tagged("status", {
  FROZEN: record({ status: literal("FROZEN"), freezeNo: text, effectiveFrom: isoDateTime, amount: yuan }),
  QUEUED: record({ status: literal("QUEUED"), rank: queuedRank }),
  DEDUCTED: record({ status: literal("DEDUCTED"), transferNo: text, deductedAt: isoDateTime, amount: yuan, remainingFrozen: yuan }),
  RELEASED: record({ status: literal("RELEASED"), releasedAt: isoDateTime }),
  RENEWED: record({ status: literal("RENEWED"), until: isoDate }),
  REJECTED: record({ status: literal("REJECTED"), reason: text }),
});

/** The bank's answer to a submission, to the same request sent again, and to a lookup of a request it has. */
export function submissionReply<R>(result: (value: unknown, path: string) => R) {
  return tagged("state", {
    PROCESSING: record({ state: literal("PROCESSING"), requestId: text, ticket, retryAfterMs: nonNegativeInteger }),
    DONE: record({ state: literal("DONE"), requestId: text, ticket, result }),
  });
}

/** A lookup's answer for a request the bank never received: it must name the key asked about. */
export const neverReceivedReply = (requestId: string) => record({ state: literal("UNKNOWN"), requestId: literal(requestId) });

/** What the bank POSTs, signed, to the hub's callback addresses. */
export const inquiryCallback = record({ type: literal("INQUIRY_RESULT"), requestId: text, ticket, result: inquiryResult });

export const measureCallback = tagged("type", {
  CONTROL_RESULT: record({ type: literal("CONTROL_RESULT"), requestId: text, ticket, result: controlResult }),
  TOOK_EFFECT: record({ type: literal("TOOK_EFFECT"), measureRef: text, effectiveFrom: isoDateTime, freezeNo: text }),
});

export type BankAccount = Decoded<typeof account>;
export type InquiryResult = Decoded<typeof inquiryResult>;
export type ControlResult = Decoded<typeof controlResult>;
