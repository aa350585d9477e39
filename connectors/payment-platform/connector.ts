import { formatYuan, parseYuan } from "../../domain/measures/yuan.js";
import { unfrozenBalance } from "../balances.js";
import { decodeJson, expectStatus, headerValue, protocolCheck } from "../codec.js";
import {
  AgencyProtocolError,
  type AgencyConnector,
  type ConnectorContext,
  type ConnectorOutcome,
  type ControlCall,
  type ControlConnector,
  type ControlOutcome,
  type InquiryCall,
  type PaymentAccountFinding,
} from "../connector.js";
import { verifyHmacSm3 } from "../signature.js";
import type { AgencyResponse } from "../transport.js";
import {
  authorization,
  notFound,
  notification,
  orderReply,
  ORDERS,
  QUERIES,
  queryReply,
  signatureParts,
  type Holder,
  type JudicialOrder,
  type OrderType,
  type PaymentAccount,
} from "./wire.js";

const KIND = "PAYMENT_PLATFORM";

/** The statuses that answer each order type; any other is an answer to some other order. */
const ANSWERS: Readonly<Record<OrderType, readonly string[]>> = {
  FREEZE: ["FROZEN", "QUEUED", "REJECTED"],
  DEDUCT: ["DEDUCTED", "REJECTED"],
  UNFREEZE: ["UNFROZEN", "REJECTED"],
  EXTEND: ["EXTENDED", "REJECTED"],
};

export const paymentPlatformConnector: AgencyConnector & ControlConnector = {
  kind: KIND,
  protocol:
    "网络支付机构 (支付宝, 财付通, …): synchronous REST JSON, snake_case, amounts in whole fen; every request signed in " +
    "Authorization: SM3-HMAC ts=…,nonce=…,sig=… (HMAC-SM3 over method, path, ts, nonce and body). " +
    "POST {base}/judicial/v3/balance-queries and {base}/judicial/v3/orders (FREEZE, DEDUCT, UNFREEZE, EXTEND) answer at once; " +
    "GET …/balance-queries/{query_id} and …/orders/{order_id} answer again, 404 NOT_FOUND when never received. Freezes by " +
    "amount with 轮候, deductions from a freeze; a queued freeze taking effect is notified (FREEZE.EFFECTIVE, X-Pay-Signature)",
  measureKinds: ["FREEZE", "DEDUCT"],
  assetCategories: ["DEPOSIT"],

  async inquire(call, ctx) {
    return readQuery(await send(ctx, "POST", QUERIES, toQuery(call)), call);
  },

  async recall(call, ctx) {
    const reply = await lookUp(ctx, `${QUERIES}/${encodeURIComponent(call.idempotencyKey)}`, call.idempotencyKey);
    return reply && readQuery(reply, call);
  },

  async control(call, ctx) {
    const order = toOrder(call);
    return readOrder(await send(ctx, "POST", ORDERS, order), order);
  },

  async recallControl(call, ctx) {
    const order = toOrder(call);
    const reply = await lookUp(ctx, `${ORDERS}/${encodeURIComponent(call.idempotencyKey)}`, call.idempotencyKey);
    return reply && readOrder(reply, order);
  },

  acceptMeasureReport(body, headers, ctx) {
    // Verify before parsing: nothing from an unauthenticated body may reach a case file.
    const parts = signatureParts(headerValue(headers, "x-pay-signature"));
    if (!parts || !verifyHmacSm3(ctx.secret, `${parts.ts}\n${parts.nonce}\n${body}`, parts.sig))
      throw new AgencyProtocolError(`${KIND} notification signature does not verify`, body);
    const event = decodeJson(KIND, body, notification);
    return { event: "TOOK_EFFECT", measureRef: event.order_id, effectiveFrom: event.effective_time, reference: event.freeze_no };
  },
};

async function send(ctx: ConnectorContext, method: "GET" | "POST", path: string, payload?: object): Promise<AgencyResponse> {
  const body = payload === undefined ? "" : JSON.stringify(payload);
  const reply = await ctx.transport.send(path, {
    method,
    headers: {
      Authorization: authorization(ctx.secret, method, path, body),
      ...(payload !== undefined && { "Content-Type": "application/json" }),
    },
    ...(payload !== undefined && { body }),
  });
  protocolCheck(reply.status !== 401, KIND, reply.body, "rejected our Authorization signature (HTTP 401): check the shared secret");
  return reply;
}

/** The institution's reply to the id, to be read like the first; undefined when it says it never received it. */
async function lookUp(ctx: ConnectorContext, path: string, id: string): Promise<AgencyResponse | undefined> {
  const reply = await send(ctx, "GET", path);
  if (reply.status !== 404) return reply;
  // Only a 404 that names the id means "never received"; any other (a missing route, a proxy) is no answer.
  decodeJson(KIND, reply.body, notFound(id));
  return undefined;
}

function readQuery(reply: AgencyResponse, call: InquiryCall): ConnectorOutcome {
  expectStatus(KIND, reply, 200);
  const decoded = decodeJson(KIND, reply.body, queryReply);
  protocolCheck(
    decoded.query_id === call.idempotencyKey,
    KIND,
    reply.body,
    `answers query ${decoded.query_id}, not ${call.idempotencyKey}`,
  );
  if (decoded.result === "REJECTED") return { kind: "REFUSED", reason: decoded.reject_reason, raw: reply.body };
  return { kind: "ANSWERED", findings: { assets: decoded.accounts.map(toFinding) }, raw: reply.body };
}

function readOrder(reply: AgencyResponse, order: JudicialOrder): ControlOutcome {
  expectStatus(KIND, reply, 200);
  const raw = reply.body;
  const decoded = decodeJson(KIND, raw, orderReply);
  protocolCheck(decoded.order_id === order.order_id, KIND, raw, `answers order ${decoded.order_id}, not ${order.order_id}`);
  protocolCheck(
    ANSWERS[order.order_type].includes(decoded.order_status),
    KIND,
    raw,
    `answers ${order.order_type} with ${decoded.order_status}`,
  );
  switch (decoded.order_status) {
    case "FROZEN":
      return { kind: "EFFECTIVE", effectiveFrom: decoded.effective_time, reference: decoded.freeze_no, raw };
    case "DEDUCTED":
      return { kind: "EFFECTIVE", effectiveFrom: decoded.transfer_time, reference: decoded.transfer_no, raw };
    case "QUEUED":
      return { kind: "QUEUED", rank: decoded.queue_rank, raw };
    case "UNFROZEN":
      return { kind: "RELEASED", releasedAt: decoded.unfrozen_time, raw };
    case "EXTENDED":
      return { kind: "RENEWED", to: decoded.end_date, raw };
    case "REJECTED":
      return { kind: "REFUSED", reason: decoded.reject_reason, raw };
  }
}

function holderOf(debtor: InquiryCall["debtor"]): Holder {
  return { id_type: debtor.kind === "PERSON" ? "ID_CARD" : "USCC", id_no: debtor.idNumber, name: debtor.name };
}

function toQuery(call: InquiryCall) {
  return {
    query_id: call.idempotencyKey,
    case_no: call.caseNumber,
    court_code: call.courtCode,
    holder: holderOf(call.debtor),
    reason: call.purpose,
    officer: call.officer,
  };
}

/** The wire order for a control call; a call the protocol cannot carry fails here, before anything is sent. */
function toOrder(call: ControlCall): JudicialOrder {
  const refuse = (message: string): never => {
    throw new AgencyProtocolError(`${KIND} control request ${call.idempotencyKey} ${message}`);
  };
  if (call.measureKind !== "FREEZE" && call.measureKind !== "DEDUCT")
    refuse(`asks for ${call.measureKind}; a payment institution freezes and deducts only`);
  if (call.measureKind === "DEDUCT" && call.action !== "APPLY") refuse(`asks to ${call.action} a deduction, which is done once and final`);
  const type: OrderType =
    call.action === "RELEASE" ? "UNFREEZE" : call.action === "RENEW" ? "EXTEND" : (call.measureKind as "FREEZE" | "DEDUCT");
  if (type === "FREEZE" && (!call.amount || !call.from || !call.to)) refuse("lacks the amount or the period (from, to) of the freeze");
  if (type === "DEDUCT" && (!call.amount || !call.measureRef)) refuse("lacks the amount or the freeze to deduct from (measureRef)");
  if ((type === "UNFREEZE" || type === "EXTEND") && !call.measureRef)
    refuse(`lacks measureRef, the order_id of the freeze to ${call.action}`);
  if (type === "EXTEND" && !call.to) refuse("lacks the new last day (to)");
  return {
    order_id: call.idempotencyKey,
    order_type: type,
    account_id: call.assetIdentifier,
    holder: holderOf(call.debtor),
    case_no: call.caseNumber,
    court_code: call.courtCode,
    amount_fen: type === "FREEZE" || type === "DEDUCT" ? fenOf(call.amount!, call.idempotencyKey) : undefined,
    start_date: type === "FREEZE" ? call.from : undefined,
    end_date: type === "FREEZE" || type === "EXTEND" ? call.to : undefined,
    target_order_id: type === "FREEZE" ? undefined : call.measureRef,
    notice_no: call.notice.number,
    notice_date: call.notice.date,
    ruling_no: call.decision.number,
    ruling_date: call.decision.date,
    judges: [...call.decision.judges],
    officer: call.officer,
    notify_url: call.callbackUrl,
  };
}

function fenOf(amount: string, key: string): number {
  const parsed = parseYuan(amount);
  if (!parsed.ok) throw new AgencyProtocolError(`${KIND} control request ${key} amount ${amount} is not in yuan`);
  return Number(parsed.cents);
}

function toFinding(account: PaymentAccount): PaymentAccountFinding {
  const [balance, frozen] = [formatYuan(BigInt(account.balance_fen)), formatYuan(BigInt(account.frozen_fen))];
  return {
    type: "PAYMENT_ACCOUNT",
    identifier: account.account_id,
    accountNumber: account.account_id,
    institution: account.institution_name,
    balance,
    frozenAmount: frozen,
    description: `${account.institution_name} 账户 ${account.account_id}（余额 ${balance} 元，已冻结 ${frozen} 元）`,
    estimatedValue: unfrozenBalance(KIND, balance, frozen),
    encumbrances: account.freezes.map((f) => ({
      type: "FREEZE",
      byAuthority: f.court_name,
      reference: f.doc_no,
      since: f.start_date,
      rank: f.rank,
      amount: formatYuan(BigInt(f.amount_fen)),
    })),
  };
}
