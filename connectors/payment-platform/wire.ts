/**
 * 网络支付机构 (支付宝, 财付通, …) judicial interface wire format (docs/AGENCY_PROTOCOLS.md, PAYMENT_PLATFORM): REST with
 * snake_case fields, amounts in whole fen (分) as integers, and every request signed in the Authorization header over
 * the method, the path, a timestamp, a nonce and the body.
 */
import { randomUUID } from "node:crypto";
import {
  isoDate,
  isoDateTime,
  list,
  literal,
  matching,
  nonNegativeInteger,
  optional,
  positiveInteger,
  record,
  tagged,
  text,
  type Decoded,
} from "../codec.js";
import { signHmacSm3 } from "../signature.js";

export const QUERIES = "/judicial/v3/balance-queries";
export const ORDERS = "/judicial/v3/orders";

export interface Holder {
  id_type: "ID_CARD" | "USCC";
  id_no: string;
  name: string;
}

export interface BalanceQuery {
  query_id: string;
  case_no: string;
  court_code: string;
  holder: Holder;
  reason: string;
  officer: string;
}

export type OrderType = "FREEZE" | "DEDUCT" | "UNFREEZE" | "EXTEND";

export interface JudicialOrder {
  order_id: string;
  order_type: OrderType;
  account_id: string;
  holder: Holder;
  case_no: string;
  court_code: string;
  amount_fen?: number;
  start_date?: string;
  end_date?: string;
  /** DEDUCT, UNFREEZE, EXTEND: the order_id of the freeze. */
  target_order_id?: string;
  notice_no: string;
  notice_date: string;
  ruling_no: string;
  ruling_date: string;
  judges: string[];
  officer: string;
  notify_url: string;
}

const freeze = record({
  court_name: text,
  doc_no: text,
  amount_fen: nonNegativeInteger,
  start_date: isoDate,
  end_date: optional(isoDate),
  rank: positiveInteger,
});

const account = record({
  account_id: matching(/^(?:2088\d{12}|\d{10})$/, "a payment account id (2088 and 12 digits, or 10 digits)"),
  institution_name: text,
  balance_fen: nonNegativeInteger,
  frozen_fen: nonNegativeInteger,
  freezes: list(freeze),
});

export const queryReply = tagged("result", {
  SUCCESS: record({ result: literal("SUCCESS"), query_id: text, accounts: list(account) }),
  REJECTED: record({ result: literal("REJECTED"), query_id: text, reject_reason: text }),
});

export const orderReply = tagged("order_status", {
  FROZEN: record({ order_status: literal("FROZEN"), order_id: text, freeze_no: text, effective_time: isoDateTime }),
  QUEUED: record({ order_status: literal("QUEUED"), order_id: text, queue_rank: positiveInteger }),
  DEDUCTED: record({
    order_status: literal("DEDUCTED"),
    order_id: text,
    transfer_no: text,
    transfer_time: isoDateTime,
    amount_fen: positiveInteger,
  }),
  UNFROZEN: record({ order_status: literal("UNFROZEN"), order_id: text, unfrozen_time: isoDateTime }),
  EXTENDED: record({ order_status: literal("EXTENDED"), order_id: text, end_date: isoDate }),
  REJECTED: record({ order_status: literal("REJECTED"), order_id: text, reject_reason: text }),
});

/** 404 for an id the institution never received: it must name the id asked about. */
export const notFound = (id: string) => record({ code: literal("NOT_FOUND"), id: literal(id) });

export const notification = record({
  event_type: literal("FREEZE.EFFECTIVE"),
  order_id: text,
  freeze_no: text,
  effective_time: isoDateTime,
});

export type PaymentAccount = Decoded<typeof account>;
export type OrderReply = Decoded<typeof orderReply>;

/** `SM3-HMAC ts=…,nonce=…,sig=…`: HMAC-SM3 over "METHOD\npath\nts\nnonce\nbody". */
export function authorization(secret: string, method: string, path: string, body: string, ts = Date.now(), nonce = randomUUID()): string {
  return `SM3-HMAC ts=${ts},nonce=${nonce},sig=${signHmacSm3(secret, `${method}\n${path}\n${ts}\n${nonce}\n${body}`)}`;
}

/** The notification header `X-Pay-Signature: ts=…,nonce=…,sig=…`, over "ts\nnonce\nbody". */
export function notificationSignature(secret: string, body: string, ts = Date.now(), nonce = randomUUID()): string {
  return `ts=${ts},nonce=${nonce},sig=${signHmacSm3(secret, `${ts}\n${nonce}\n${body}`)}`;
}

/** The parts of a `ts=…,nonce=…,sig=…` header, or undefined when it is not one. */
export function signatureParts(header: string | undefined): { ts: string; nonce: string; sig: string } | undefined {
  const match = /^(?:SM3-HMAC )?ts=(\d{1,16}),nonce=([\w-]{1,64}),sig=([0-9a-f]{64})$/.exec(header ?? "");
  return match ? { ts: match[1], nonce: match[2], sig: match[3] } : undefined;
}
