import {
  AgencyProtocolError,
  type AgencyConnector,
  type ConnectorContext,
  type ConnectorOutcome,
  type ControlCall,
  type ControlConnector,
  type ControlOutcome,
  type IncomeFinding,
  type InquiryCall,
} from "../connector.js";
import { decodeJson, expectStatus, headerValue, protocolCheck } from "../codec.js";
import { signHmacSm3, verifyHmacSm3 } from "../signature.js";
import type { AgencyResponse } from "../transport.js";
import {
  incomeReply,
  monthlyReport,
  neverReceivedReply,
  withholdingReply,
  type IncomeQueryRequest,
  type IncomeRecord,
  type IncomeType,
  type WithholdingRequest,
} from "./wire.js";

const KIND = "SOCIAL_INSURANCE";
const BASE = "/si/assist/v1";

/** What a withholding order names: the kind of income and its payer, e.g. "GZ-4102250012345" (asset identifier). */
const INCOME_IDENTIFIER = /^(GZ|YLJ)-(\d{8,20})$/;

export const socialInsuranceConnector: AgencyConnector & ControlConnector = {
  kind: KIND,
  protocol:
    "人社 (社会保险): synchronous JSON, HMAC-SM3 signed (X-Signature over the body), keyed by X-Serial-No; " +
    "POST {base}/si/assist/v1/income-query answers the debtor's employers with the monthly wage base (aac040) and the pension paid; " +
    "POST {base}/si/assist/v1/withholding registers a withholding order (op KL: monthly amount, total, period) " +
    "or stops one (op JC), answered at once; GET {base}/si/assist/v1/serial/{serial_no} answers an earlier request again; " +
    "each month's withholding is reported by a signed callback",

  measureKinds: ["WITHHOLD"],
  assetCategories: ["INCOME"],

  async inquire(call, ctx) {
    const reply = await send("/income-query", call.idempotencyKey, toQuery(call), ctx);
    return readIncome(call, reply);
  },

  async recall(call, ctx) {
    const reply = await lookUp(call.idempotencyKey, ctx);
    return reply && readIncome(call, reply);
  },

  async control(call, ctx) {
    const reply = await send("/withholding", call.idempotencyKey, toWithholding(call), ctx);
    return readWithholding(call, reply);
  },

  async recallControl(call, ctx) {
    const reply = await lookUp(call.idempotencyKey, ctx);
    return reply && readWithholding(call, reply);
  },

  acceptMeasureReport(body, headers, ctx) {
    // Verify before parsing: nothing from an unauthenticated body may reach a case file.
    if (!verifyHmacSm3(ctx.secret, body, headerValue(headers, "x-signature"))) {
      throw new AgencyProtocolError(`${KIND} measure report signature does not verify`, body);
    }
    const report = decodeJson(KIND, body, monthlyReport);
    return {
      event: "WITHHELD",
      measureRef: report.order_serial_no,
      month: report.month,
      amount: report.amount,
      withheldOn: report.withheld_on,
      reference: report.transfer_no,
    };
  },
};

async function send(path: string, serialNo: string, request: object, ctx: ConnectorContext): Promise<AgencyResponse> {
  const body = JSON.stringify(request);
  return ctx.transport.send(`${BASE}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Serial-No": serialNo, "X-Signature": signHmacSm3(ctx.secret, body) },
    body,
  });
}

/** The agency's reply to an earlier request with this serial number, or undefined when it never received it. */
async function lookUp(serialNo: string, ctx: ConnectorContext): Promise<AgencyResponse | undefined> {
  const reply = await ctx.transport.send(`${BASE}/serial/${encodeURIComponent(serialNo)}`, {
    method: "GET",
    headers: { "X-Signature": signHmacSm3(ctx.secret, serialNo) },
  });
  if (reply.status !== 404) return reply;
  decodeJson(KIND, reply.body, neverReceivedReply(serialNo));
  return undefined;
}

function rejectBadSignature(reply: AgencyResponse): void {
  protocolCheck(reply.status !== 401, KIND, reply.body, "rejected our X-Signature (HTTP 401): check the shared secret for this endpoint");
}

function readIncome(call: InquiryCall, reply: AgencyResponse): ConnectorOutcome {
  rejectBadSignature(reply);
  expectStatus(KIND, reply, 200);
  const decoded = decodeJson(KIND, reply.body, incomeReply);
  protocolCheck(
    decoded.serial_no === call.idempotencyKey,
    KIND,
    reply.body,
    `answers request ${decoded.serial_no}, not ${call.idempotencyKey}`,
  );
  if (decoded.retcode === "1") return { kind: "REFUSED", reason: decoded.errmsg, raw: reply.body };
  return { kind: "ANSWERED", findings: { assets: decoded.records.map(toFinding) }, raw: reply.body };
}

function readWithholding(call: ControlCall, reply: AgencyResponse): ControlOutcome {
  rejectBadSignature(reply);
  expectStatus(KIND, reply, 200);
  const decoded = decodeJson(KIND, reply.body, withholdingReply);
  const raw = reply.body;
  protocolCheck(decoded.serial_no === call.idempotencyKey, KIND, raw, `answers request ${decoded.serial_no}, not ${call.idempotencyKey}`);
  if (decoded.retcode === "1") return { kind: "REFUSED", reason: decoded.errmsg, raw };
  const expected = call.action === "APPLY" ? "ZX" : "JC";
  protocolCheck(decoded.state === expected, KIND, raw, `answers ${call.action} with ${decoded.state}`);
  return decoded.state === "ZX"
    ? { kind: "EFFECTIVE", effectiveFrom: decoded.effective_at, reference: decoded.order_no, raw }
    : { kind: "RELEASED", releasedAt: decoded.released_at, raw };
}

function toQuery(call: InquiryCall): IncomeQueryRequest {
  return {
    serial_no: call.idempotencyKey,
    case_no: call.caseNumber,
    court_code: call.courtCode,
    aac002: call.debtor.idNumber,
    aac003: call.debtor.name,
    reason: call.purpose,
    handler: call.officer,
  };
}

/** The wire body for a withholding order or its release; a call the protocol cannot carry fails here, before anything is sent. */
function toWithholding(call: ControlCall): WithholdingRequest {
  const refuse = (message: string): never => {
    throw new AgencyProtocolError(`${KIND} control request ${call.idempotencyKey} ${message}`);
  };
  if (call.measureKind !== "WITHHOLD") refuse(`is a ${call.measureKind}: the agency only withholds income`);
  if (call.action === "RENEW") refuse("renews a withholding: the agency takes a new order instead");
  const payer = INCOME_IDENTIFIER.exec(call.assetIdentifier) ?? refuse(`names no income the agency pays (${call.assetIdentifier})`);
  const common = {
    serial_no: call.idempotencyKey,
    case_no: call.caseNumber,
    court_code: call.courtCode,
    aac002: call.debtor.idNumber,
    aac003: call.debtor.name,
    income_type: payer[1] as IncomeType,
    aab001: payer[2],
    notice_no: call.notice.number,
    notice_date: call.notice.date,
    ruling_no: call.decision.number,
    handler: call.officer,
    callback_url: call.callbackUrl,
  };
  if (call.action === "RELEASE") {
    return { ...common, op: "JC", order_serial_no: call.measureRef ?? refuse("releases no order (measureRef)") };
  }
  return {
    ...common,
    op: "KL",
    monthly_amount: call.monthlyAmount ?? refuse("has no monthly amount"),
    total_amount: call.amount ?? refuse("has no total"),
    start_date: call.from ?? refuse("has no first day"),
    end_date: call.to ?? refuse("has no last day"),
  };
}

/**
 * A wage is known by the contributions paid on it: the wage base (aac040) is what the employer declares the debtor
 * earns, so it is what the necessities are kept from (民事诉讼法 2023 art. 254). Other courts' orders on the same
 * income are shown as encumbrances: what they take each month is no longer there to take.
 */
function toFinding(income: IncomeRecord): IncomeFinding {
  const monthlyAmount = income.income_type === "GZ" ? income.aac040 : income.pension;
  const kind = income.income_type === "GZ" ? "WAGE" : "PENSION";
  return {
    type: "INCOME",
    identifier: `${income.income_type}-${income.aab001}`,
    incomeKind: kind,
    payerName: income.aab004,
    payerCode: income.aab001,
    monthlyAmount,
    since: `${income.since.slice(0, 4)}-${income.since.slice(4)}`,
    description: `${kind === "WAGE" ? "工资" : "养老金"} 每月 ${monthlyAmount} 元（${income.aab004}）`,
    encumbrances: income.orders.map((order) => ({
      type: "WITHHOLDING",
      byAuthority: order.court,
      reference: order.notice_no,
      since: order.start_date,
      amount: order.monthly_amount,
    })),
  };
}
