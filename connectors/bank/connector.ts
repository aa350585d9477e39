import {
  AgencyProtocolError,
  type AgencyConnector,
  type ControlCall,
  type ControlConnector,
  type ConnectorContext,
  type ConnectorOutcome,
  type ControlOutcome,
  type DepositAccountFinding,
  type InquiryCall,
  type MeasureKind,
} from "../connector.js";
import { answersCall, decodeJson, expectStatus, headerValue, pollDelay, protocolCheck } from "../codec.js";
import { unfrozenBalance } from "../balances.js";
import { signHmacSm3, verifyHmacSm3 } from "../signature.js";
import type { AgencyResponse } from "../transport.js";
import {
  controlResult,
  inquiryCallback,
  inquiryResult,
  measureCallback,
  neverReceivedReply,
  submissionReply,
  type BankAccount,
  type BankControlRequest,
  type ControlResult,
  type InquiryResult,
} from "./wire.js";

const KIND = "BANK";

/**
 * Banks answer within 24 hours (法〔2018〕64号), normally by signed callback; the
 * signed lookup of the request is the fallback poll for a callback that was lost.
 * A bank's "come back in" hint is honoured when longer than this, up to pollDelay's bound.
 */
export const BANK_FALLBACK_POLL_MS = 15_000;

const inquiryReply = submissionReply(inquiryResult);
const controlReply = submissionReply(controlResult);

/** The results that answer each control request; any other is an answer to some other request. */
const ANSWERS: Readonly<Record<BankControlRequest["action"], readonly ControlResult["status"][]>> = {
  FREEZE: ["FROZEN", "QUEUED", "REJECTED"],
  DEDUCT: ["DEDUCTED", "REJECTED"],
  RELEASE: ["RELEASED", "REJECTED"],
  RENEW: ["RENEWED", "REJECTED"],
};

export const bankConnector: AgencyConnector & ControlConnector = {
  kind: KIND,
  protocol:
    "银行 (总对总): asynchronous, HMAC-SM3 signed both ways; " +
    "POST {base}/ckjk/v1/inquiries and {base}/ckjk/v1/controls (X-Request-Id, X-Signature) " +
    "return a ticket, the bank POSTs the signed answer to the callback URL within 24 h (法〔2018〕64号); " +
    "GET {base}/ckjk/v1/requests/{requestId} (signed over the id) says where a request stands, " +
    "the fallback poll and the question before any resend. " +
    "Freezes (冻结) by amount with 轮候, deductions (划拨) from a freeze, releases, renewals",
  measureKinds: ["FREEZE", "DEDUCT"] satisfies MeasureKind[],
  assetCategories: ["DEPOSIT"],

  async inquire(call, ctx) {
    return readInquiry(await submit(ctx, "/ckjk/v1/inquiries", call.idempotencyKey, toInquiry(call)), call.idempotencyKey);
  },

  async poll(ticket, call, ctx) {
    const reply = await lookUp(ctx, call.idempotencyKey);
    if (!reply)
      throw new AgencyProtocolError(`${KIND} says it never received request ${call.idempotencyKey}, for which it gave ticket ${ticket}`);
    return readInquiry(reply, call.idempotencyKey);
  },

  async recall(call, ctx) {
    const reply = await lookUp(ctx, call.idempotencyKey);
    return reply && readInquiry(reply, call.idempotencyKey);
  },

  acceptCallback(body, headers, ctx) {
    verified(ctx.secret, body, headers);
    const callback = decodeJson(KIND, body, inquiryCallback);
    return { idempotencyKey: callback.requestId, outcome: inquiryOutcome(callback.result, body) };
  },

  async control(call, ctx) {
    const request = toControl(call);
    return readControl(await submit(ctx, "/ckjk/v1/controls", call.idempotencyKey, request), request);
  },

  /** Also how a control request left PROCESSING is polled: the dispatcher asks before it would resend. */
  async recallControl(call, ctx) {
    const request = toControl(call);
    const reply = await lookUp(ctx, call.idempotencyKey);
    return reply && readControl(reply, request);
  },

  acceptMeasureReport(body, headers, ctx) {
    verified(ctx.secret, body, headers);
    const report = decodeJson(KIND, body, measureCallback);
    if (report.type === "TOOK_EFFECT") {
      return { event: "TOOK_EFFECT", measureRef: report.measureRef, effectiveFrom: report.effectiveFrom, reference: report.freezeNo };
    }
    return { event: "ANSWERED", idempotencyKey: report.requestId, outcome: controlOutcome(report.result, body) };
  },
};

/** Signed POST; a repeat of the same X-Request-Id is answered with where the request stands. */
async function submit(ctx: ConnectorContext, path: string, requestId: string, request: object): Promise<AgencyResponse> {
  const body = JSON.stringify(request);
  const reply = await ctx.transport.send(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Request-Id": requestId, "X-Signature": signHmacSm3(ctx.secret, body) },
    body,
  });
  rejectBadSignature(reply);
  expectStatus(KIND, reply, 202, 200);
  return reply;
}

/** Where the request stands, signed over its id; undefined when the bank says it never received it. */
async function lookUp(ctx: ConnectorContext, requestId: string): Promise<AgencyResponse | undefined> {
  const reply = await ctx.transport.send(`/ckjk/v1/requests/${encodeURIComponent(requestId)}`, {
    method: "GET",
    headers: { "X-Signature": signHmacSm3(ctx.secret, requestId) },
  });
  rejectBadSignature(reply);
  if (reply.status === 404) {
    // Only a 404 that names the key means "never received"; any other (a missing route, a proxy) is no answer.
    decodeJson(KIND, reply.body, neverReceivedReply(requestId));
    return undefined;
  }
  expectStatus(KIND, reply, 200);
  return reply;
}

function rejectBadSignature(reply: AgencyResponse): void {
  protocolCheck(reply.status !== 401, KIND, reply.body, "rejected our X-Signature (HTTP 401): check the shared secret for this endpoint");
}

function readInquiry(reply: AgencyResponse, requestId: string): ConnectorOutcome {
  const decoded = decodeJson(KIND, reply.body, inquiryReply);
  answersCall(decoded.requestId, requestId, KIND, reply.body);
  if (decoded.state === "PROCESSING")
    return { kind: "PENDING", ticket: decoded.ticket, pollAfterMs: fallbackPoll(decoded.retryAfterMs), raw: reply.body };
  return inquiryOutcome(decoded.result, reply.body);
}

function readControl(reply: AgencyResponse, request: BankControlRequest): ControlOutcome {
  const decoded = decodeJson(KIND, reply.body, controlReply);
  answersCall(decoded.requestId, request.requestId, KIND, reply.body);
  if (decoded.state === "PROCESSING")
    return { kind: "PENDING", ticket: decoded.ticket, pollAfterMs: fallbackPoll(decoded.retryAfterMs), raw: reply.body };
  protocolCheck(
    ANSWERS[request.action].includes(decoded.result.status),
    KIND,
    reply.body,
    `answers ${request.action} with ${decoded.result.status}`,
  );
  return controlOutcome(decoded.result, reply.body);
}

/** Verify before parsing: nothing from an unauthenticated body may reach a case file. */
function verified(secret: string, body: string, headers: Record<string, string | undefined>): void {
  if (!verifyHmacSm3(secret, body, headerValue(headers, "x-signature"))) {
    throw new AgencyProtocolError(`${KIND} callback signature does not verify`, body);
  }
}

function fallbackPoll(hintMs: number): number {
  return pollDelay(Math.max(hintMs, BANK_FALLBACK_POLL_MS));
}

function subjectOf(debtor: InquiryCall["debtor"]) {
  return { type: debtor.kind === "PERSON" ? "PERSON" : "ORG", idNo: debtor.idNumber, name: debtor.name } as const;
}

function toInquiry(call: InquiryCall) {
  return {
    requestId: call.idempotencyKey,
    caseNo: call.caseNumber,
    court: call.courtCode,
    subject: subjectOf(call.debtor),
    purpose: call.purpose,
    officer: call.officer,
    callbackUrl: call.callbackUrl,
  };
}

/** The wire body for a control call; a call the protocol cannot carry fails here, before anything is sent. */
function toControl(call: ControlCall): BankControlRequest {
  const refuse = (message: string): never => {
    throw new AgencyProtocolError(`${KIND} control request ${call.idempotencyKey} ${message}`);
  };
  if (call.measureKind !== "FREEZE" && call.measureKind !== "DEDUCT")
    refuse(`asks for ${call.measureKind}; a bank freezes and deducts only`);
  const action = call.action === "APPLY" ? (call.measureKind as "FREEZE" | "DEDUCT") : call.action;
  if (action === "FREEZE" && (!call.amount || !call.from || !call.to)) refuse("lacks the amount or the period (from, to) of the freeze");
  if (action === "DEDUCT" && (!call.amount || !call.measureRef)) refuse("lacks the amount or the freeze to deduct from (measureRef)");
  if (call.measureKind === "DEDUCT" && call.action !== "APPLY") refuse(`asks to ${call.action} a deduction, which is done once and final`);
  if ((action === "RELEASE" || action === "RENEW") && !call.measureRef) refuse(`lacks measureRef, the key of the freeze to ${action}`);
  if (action === "RENEW" && !call.to) refuse("lacks the new last day (to)");
  return {
    requestId: call.idempotencyKey,
    action,
    caseNo: call.caseNumber,
    court: call.courtCode,
    accountNo: call.assetIdentifier,
    subject: subjectOf(call.debtor),
    amount: action === "FREEZE" || action === "DEDUCT" ? call.amount : undefined,
    from: action === "FREEZE" ? call.from : undefined,
    to: action === "FREEZE" || action === "RENEW" ? call.to : undefined,
    measureRef: action === "FREEZE" ? undefined : call.measureRef,
    notice: { number: call.notice.number, date: call.notice.date },
    decision: { number: call.decision.number, date: call.decision.date, judges: [...call.decision.judges] },
    officer: call.officer,
    callbackUrl: call.callbackUrl,
  };
}

function inquiryOutcome(result: InquiryResult, raw: string) {
  if (result.status === "REJECTED") return { kind: "REFUSED" as const, reason: result.reason, raw };
  return { kind: "ANSWERED" as const, findings: { assets: result.accounts.map(toFinding) }, raw };
}

/** A freeze in force and a deduction carried out both leave the measure EFFECTIVE, with the bank's reference. */
function controlOutcome(result: ControlResult, raw: string): ControlOutcome {
  switch (result.status) {
    case "FROZEN":
      return { kind: "EFFECTIVE", effectiveFrom: result.effectiveFrom, reference: result.freezeNo, raw };
    case "DEDUCTED":
      return { kind: "EFFECTIVE", effectiveFrom: result.deductedAt, reference: result.transferNo, raw };
    case "QUEUED":
      return { kind: "QUEUED", rank: result.rank, raw };
    case "RELEASED":
      return { kind: "RELEASED", releasedAt: result.releasedAt, raw };
    case "RENEWED":
      return { kind: "RENEWED", to: result.until, raw };
    case "REJECTED":
      return { kind: "REFUSED", reason: result.reason, raw };
  }
}

function toFinding(account: BankAccount): DepositAccountFinding {
  return {
    type: "DEPOSIT_ACCOUNT",
    identifier: account.accountNo,
    accountNumber: account.accountNo,
    bank: account.bank,
    branch: account.branch,
    currency: account.currency,
    balance: account.balance,
    frozenAmount: account.frozen,
    description: `${account.branch} 账户 ${account.accountNo}（余额 ${account.balance} 元，已冻结 ${account.frozen} 元）`,
    // What a new freeze could still hold: the balance not already frozen.
    estimatedValue: unfrozenBalance(KIND, account.balance, account.frozen),
    encumbrances: account.freezes.map((f) => ({ type: "FREEZE", byAuthority: f.court, reference: f.notice, since: f.since, rank: f.rank })),
  };
}
