import { WITHDRAWAL_GROUNDS } from "../../domain/measures/providentFundDeduction.js";
import { unfrozenBalance } from "../balances.js";
import { decodeJson, decodeWith, expectStatus, headerValue, protocolCheck } from "../codec.js";
import {
  AgencyProtocolError,
  type AgencyConnector,
  type ConnectorContext,
  type ConnectorOutcome,
  type ControlCall,
  type ControlConnector,
  type ControlOutcome,
  type InquiryCall,
  type ProvidentFundAccountFinding,
} from "../connector.js";
import { signHmacSm3, verifyHmacSm3 } from "../signature.js";
import type { AgencyResponse } from "../transport.js";
import {
  controlBody,
  controlReply,
  inquiryReply,
  tookEffectReport,
  TX,
  WITHDRAWAL_CODES,
  type ControlBody,
  type Head,
  type InquiryBody,
  type ProvidentFundAccount,
} from "./wire.js";

const KIND = "PROVIDENT_FUND";
const SERVICE = "/gjj/xzzx/service";
const MAC_HEADER = "X-Gjj-Mac";
const STATUS = { "01": "NORMAL", "02": "SUSPENDED", "03": "CLOSED" } as const;

type ControlTx = (typeof TX)["FREEZE" | "DEDUCT" | "RELEASE" | "RENEW"];

export const providentFundConnector: AgencyConnector & ControlConnector = {
  kind: KIND,
  protocol:
    "住房公积金管理中心: synchronous JSON envelopes {head, body} to one service address, POST {base}/gjj/xzzx/service, the " +
    "transaction named in head.txcode (GJJ1001 查询, GJJ2001 冻结, GJJ2002 扣划, GJJ2003 解冻, GJJ2004 续冻, GJJ9001 查询请求结果) " +
    "and the request in head.reqno; the whole body MACed with HMAC-SM3 in X-Gjj-Mac; head.retcode 0000 done, 1xxx refused. " +
    "Freezes by amount with 轮候; deductions (划拨) from a freeze, only on a withdrawal ground (住房公积金管理条例 art. 24); " +
    "a queued freeze taking effect is reported by a MACed GJJ3001 envelope",
  measureKinds: ["FREEZE", "DEDUCT"],
  assetCategories: ["DEPOSIT"],

  async inquire(call, ctx) {
    return readInquiry(await exchange(ctx, head(TX.INQUIRY, call.idempotencyKey, call.courtCode), toInquiry(call)), call);
  },

  async recall(call, ctx) {
    const reply = await lookUp(ctx, call.idempotencyKey, call.courtCode);
    return reply && readInquiry(reply, call);
  },

  async control(call, ctx) {
    const txcode = txcodeOf(call);
    return readControl(await exchange(ctx, head(txcode, call.idempotencyKey, call.courtCode), toControl(call)), call, txcode);
  },

  async recallControl(call, ctx) {
    const reply = await lookUp(ctx, call.idempotencyKey, call.courtCode);
    return reply && readControl(reply, call, txcodeOf(call));
  },

  acceptMeasureReport(body, headers, ctx) {
    // Verify before parsing: nothing from an unauthenticated body may reach a case file.
    if (!verifyHmacSm3(ctx.secret, body, headerValue(headers, MAC_HEADER.toLowerCase())))
      throw new AgencyProtocolError(`${KIND} report MAC does not verify`, body);
    const report = decodeJson(KIND, body, tookEffectReport);
    return { event: "TOOK_EFFECT", measureRef: report.head.reqno, effectiveFrom: report.body.sxsj, reference: report.body.djbh };
  },
};

function head(txcode: string, reqno: string, fydm: string): Head {
  return { txcode, reqno, fydm, fssj: new Date().toISOString() };
}

async function exchange(ctx: ConnectorContext, envelopeHead: Head, body: object): Promise<AgencyResponse> {
  const raw = JSON.stringify({ head: envelopeHead, body });
  const reply = await ctx.transport.send(SERVICE, {
    method: "POST",
    headers: { "Content-Type": "application/json", [MAC_HEADER]: signHmacSm3(ctx.secret, raw) },
    body: raw,
  });
  protocolCheck(reply.status !== 401, KIND, reply.body, "rejected our X-Gjj-Mac (HTTP 401): check the shared secret for this endpoint");
  expectStatus(KIND, reply, 200);
  return reply;
}

/** GJJ9001: the centre's reply to the request numbered `reqno`, replayed; undefined when it never received it (9404). */
async function lookUp(ctx: ConnectorContext, reqno: string, fydm: string): Promise<AgencyResponse | undefined> {
  const reply = await exchange(ctx, head(TX.LOOKUP, reqno, fydm), { yqqqh: reqno });
  const decoded = decodeJson(KIND, reply.body, controlReply);
  if (decoded.head.txcode !== TX.LOOKUP) return reply;
  protocolCheck(
    decoded.head.retcode === "9404" && decoded.head.reqno === reqno,
    KIND,
    reply.body,
    `answers a lookup of ${reqno} with neither the request's reply nor 9404`,
  );
  return undefined;
}

/** The envelope's head must answer our transaction and request; 1xxx is the centre's refusal, in its words. */
function checkedHead(
  decoded: { head: { txcode: string; reqno: string; retcode: string; retmsg?: string } },
  raw: string,
  txcode: string,
  reqno: string,
) {
  protocolCheck(decoded.head.reqno === reqno, KIND, raw, `answers request ${decoded.head.reqno}, not ${reqno}`);
  protocolCheck(decoded.head.txcode === txcode, KIND, raw, `answers ${txcode} with ${decoded.head.txcode}`);
  protocolCheck(/^(0000|1\d{3})$/.test(decoded.head.retcode), KIND, raw, `has retcode ${decoded.head.retcode}`);
  return decoded.head.retcode === "0000" ? undefined : (decoded.head.retmsg ?? `retcode ${decoded.head.retcode}`);
}

function readInquiry(reply: AgencyResponse, call: InquiryCall): ConnectorOutcome {
  const decoded = decodeJson(KIND, reply.body, inquiryReply);
  const refusal = checkedHead(decoded, reply.body, TX.INQUIRY, call.idempotencyKey);
  if (refusal !== undefined) return { kind: "REFUSED", reason: refusal, raw: reply.body };
  protocolCheck(decoded.body !== undefined, KIND, reply.body, "answers 0000 without a body");
  return { kind: "ANSWERED", findings: { assets: decoded.body.zhlist.map(toFinding) }, raw: reply.body };
}

function readControl(reply: AgencyResponse, call: ControlCall, txcode: ControlTx): ControlOutcome {
  const raw = reply.body;
  const decoded = decodeJson(KIND, raw, controlReply);
  const refusal = checkedHead(decoded, raw, txcode, call.idempotencyKey);
  if (refusal !== undefined) return { kind: "REFUSED", reason: refusal, raw };
  switch (txcode) {
    case TX.FREEZE: {
      const body = decodeWith(KIND, raw, decoded.body, controlBody[TX.FREEZE]);
      return body.zt === "SX"
        ? { kind: "EFFECTIVE", effectiveFrom: body.sxsj, reference: body.djbh, raw }
        : { kind: "QUEUED", rank: body.lhxh, raw };
    }
    case TX.DEDUCT: {
      const body = decodeWith(KIND, raw, decoded.body, controlBody[TX.DEDUCT]);
      return { kind: "EFFECTIVE", effectiveFrom: body.khsj, reference: body.khbh, raw };
    }
    case TX.RELEASE:
      return { kind: "RELEASED", releasedAt: decodeWith(KIND, raw, decoded.body, controlBody[TX.RELEASE]).jdsj, raw };
    case TX.RENEW:
      return { kind: "RENEWED", to: decodeWith(KIND, raw, decoded.body, controlBody[TX.RENEW]).zzrq, raw };
  }
}

function toInquiry(call: InquiryCall): InquiryBody {
  return {
    zjlx: call.debtor.kind === "PERSON" ? "01" : "10",
    zjhm: call.debtor.idNumber,
    xm: call.debtor.name,
    ah: call.caseNumber,
    cxyy: call.purpose,
    cbr: call.officer,
  };
}

/** The transaction for a control call; a call the protocol cannot carry fails here, before anything is sent. */
function txcodeOf(call: ControlCall): ControlTx {
  const refuse = (message: string): never => {
    throw new AgencyProtocolError(`${KIND} control request ${call.idempotencyKey} ${message}`);
  };
  if (call.measureKind !== "FREEZE" && call.measureKind !== "DEDUCT")
    refuse(`asks for ${call.measureKind}; the centre freezes and deducts only`);
  if (call.measureKind === "DEDUCT" && call.action !== "APPLY") refuse(`asks to ${call.action} a deduction, which is done once and final`);
  if (call.action === "APPLY" && call.measureKind === "FREEZE" && (!call.amount || !call.from || !call.to))
    refuse("lacks the amount or the period (from, to) of the freeze");
  if (call.measureKind === "DEDUCT" && (!call.amount || !call.measureRef))
    refuse("lacks the amount or the freeze to deduct from (measureRef)");
  if (call.action !== "APPLY" && !call.measureRef) refuse(`lacks measureRef, the reqno of the freeze to ${call.action}`);
  if (call.action === "RENEW" && !call.to) refuse("lacks the new last day (to)");
  if (call.action === "RELEASE") return TX.RELEASE;
  if (call.action === "RENEW") return TX.RENEW;
  return call.measureKind === "DEDUCT" ? TX.DEDUCT : TX.FREEZE;
}

function toControl(call: ControlCall): ControlBody {
  const txcode = txcodeOf(call);
  return {
    grzh: call.assetIdentifier,
    zjhm: call.debtor.idNumber,
    xm: call.debtor.name,
    ah: call.caseNumber,
    je: txcode === TX.FREEZE || txcode === TX.DEDUCT ? call.amount : undefined,
    qsrq: txcode === TX.FREEZE ? call.from : undefined,
    zzrq: txcode === TX.FREEZE || txcode === TX.RENEW ? call.to : undefined,
    ydjqqh: txcode === TX.FREEZE ? undefined : call.measureRef,
    tzsh: call.notice.number,
    tzrq: call.notice.date,
    cdsh: call.decision.number,
    cdrq: call.decision.date,
    spry: [...call.decision.judges],
    cbr: call.officer,
    hdurl: call.callbackUrl,
  };
}

function toFinding(account: ProvidentFundAccount): ProvidentFundAccountFinding {
  const ground = account.tqqx === undefined ? undefined : WITHDRAWAL_GROUNDS[WITHDRAWAL_CODES.indexOf(account.tqqx)];
  return {
    type: "PROVIDENT_FUND_ACCOUNT",
    identifier: account.grzh,
    accountNumber: account.grzh,
    centre: account.zxmc,
    balance: account.zhye,
    monthlyContribution: account.yjce,
    status: STATUS[account.zhzt],
    ...(ground && { withdrawalGround: ground }),
    frozenAmount: account.djje,
    description: `${account.zxmc} 公积金账户 ${account.grzh}（余额 ${account.zhye} 元，已冻结 ${account.djje} 元）`,
    estimatedValue: unfrozenBalance(KIND, account.zhye, account.djje),
    encumbrances: account.djlist.map((f) => ({ type: "FREEZE", byAuthority: f.fymc, reference: f.wh, since: f.qsrq, rank: f.xh })),
  };
}
