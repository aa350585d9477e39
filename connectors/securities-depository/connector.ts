import {
  AgencyProtocolError,
  type AgencyConnector,
  type ConnectorContext,
  type ConnectorOutcome,
  type ControlCall,
  type ControlConnector,
  type ControlOutcome,
  type InquiryCall,
  type MeasureKind,
  type SecuritiesFinding,
} from "../connector.js";
import { decodeJson, decodeWith, expectStatus, protocolCheck } from "../codec.js";
import { signHmacSm3, verifyHmacSm3 } from "../signature.js";
import {
  controlReply,
  ENVELOPE_VERSION,
  envelope,
  freezeEffective,
  holdingPage,
  notReceived,
  signedText,
  type ControlReply,
  type Envelope,
  type Holder,
  type HoldingAccount,
  type Position,
  type SecuritiesControlRequest,
  type Service,
} from "./wire.js";

const KIND = "SECURITIES_DEPOSITORY";
const GATEWAY = "/csdc/v3/gateway";

/** Accounts asked for per page: a debtor rarely has more than a few, and each signed reply stays small. */
export const ACCOUNTS_PER_PAGE = 3;
/** A debtor with more accounts than this is beyond any real one: more pages mean the depository is looping. */
const MAX_PAGES = 100;

/** The results that answer each control service; any other is an answer to some other request. */
const ANSWERS: Readonly<Record<ControlService, readonly string[]>> = {
  FREEZE: ["FROZEN", "WAITING"],
  DEDUCT: ["DEDUCTED"],
  UNFREEZE: ["UNFROZEN"],
  EXTEND: ["EXTENDED"],
};
type ControlService = Extract<Service, "FREEZE" | "DEDUCT" | "UNFREEZE" | "EXTEND">;

export const securitiesDepositoryConnector: AgencyConnector & ControlConnector = {
  kind: KIND,
  protocol:
    "证券登记结算: synchronous JSON through one gateway, POST {base}/csdc/v3/gateway, every message both ways an envelope " +
    "{version, service, msgId, data (the message's JSON text), sign (HMAC-SM3 over service|msgId|data)}; HOLDING_QUERY answers " +
    "the first page of the debtor's accounts with their positions (securities and fund shares), HOLDING_PAGE the next ones " +
    "after a given account; MSG_STATUS answers an earlier message again. FREEZE (with 轮候), DEDUCT (sale proceeds, yuan), " +
    "UNFREEZE, EXTEND of one position by account and security code; a queued freeze taking effect is a signed FREEZE_EFFECTIVE",
  measureKinds: ["FREEZE", "DEDUCT"] satisfies MeasureKind[],
  // Shares, bonds and fund shares are other property rights (民诉法解释 2022 art. 485): frozen for at most 3 years.
  assetCategories: ["OTHER_PROPERTY_RIGHT"],

  async inquire(call, ctx) {
    const first = await exchange(ctx, "HOLDING_QUERY", call.idempotencyKey, toQuery(call));
    return readHoldings(call, first, ctx);
  },

  async recall(call, ctx) {
    const earlier = await lookUp(ctx, call.idempotencyKey, "HOLDING_QUERY");
    return earlier && readHoldings(call, earlier, ctx);
  },

  async control(call, ctx) {
    const [service, request] = toControl(call);
    return readControl(service, await exchange(ctx, service, call.idempotencyKey, request));
  },

  async recallControl(call, ctx) {
    const [service] = toControl(call);
    const earlier = await lookUp(ctx, call.idempotencyKey, service);
    return earlier && readControl(service, earlier);
  },

  acceptMeasureReport(body, _headers, ctx) {
    const report = opened(ctx.secret, body);
    protocolCheck(report.envelope.service === "FREEZE_EFFECTIVE", KIND, body, `reports ${report.envelope.service}, not FREEZE_EFFECTIVE`);
    const effective = decodeWith(KIND, body, report.data, freezeEffective);
    return { event: "TOOK_EFFECT", measureRef: effective.freezeRef, effectiveFrom: effective.effectiveAt, reference: effective.freezeNo };
  },
};

interface Reply {
  envelope: Envelope;
  /** The envelope's data, parsed; decoded by the caller for its service. */
  data: unknown;
  raw: string;
}

/** One signed exchange with the gateway: the verified reply, which must answer `msgId` for `service`. */
async function exchange(ctx: ConnectorContext, service: Service, msgId: string, message: object): Promise<Reply> {
  const reply = await post(ctx, service, msgId, message);
  protocolCheck(reply.envelope.service === service, KIND, reply.raw, `answers ${reply.envelope.service}, not ${service}`);
  return reply;
}

/** The depository's earlier answer to `msgId` (sent as `service`), or undefined when it says it never received it. */
async function lookUp(ctx: ConnectorContext, msgId: string, service: Service): Promise<Reply | undefined> {
  const earlier = await post(ctx, "MSG_STATUS", msgId, { msgId });
  if (earlier.envelope.service === "MSG_STATUS") {
    // Only a "not received" that names the message asked about says it never arrived.
    decodeWith(KIND, earlier.raw, earlier.data, notReceived(msgId));
    return undefined;
  }
  protocolCheck(earlier.envelope.service === service, KIND, earlier.raw, `answers ${earlier.envelope.service}, not ${service}`);
  return earlier;
}

async function post(ctx: ConnectorContext, service: Service, msgId: string, message: object): Promise<Reply> {
  const data = JSON.stringify(message);
  const sign = signHmacSm3(ctx.secret, signedText(service, msgId, data));
  const reply = await ctx.transport.send(GATEWAY, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ version: ENVELOPE_VERSION, service, msgId, data, sign }),
  });
  protocolCheck(reply.status !== 401, KIND, reply.body, "rejected our sign (HTTP 401): check the shared secret for this endpoint");
  expectStatus(KIND, reply, 200);
  const answer = opened(ctx.secret, reply.body);
  protocolCheck(answer.envelope.msgId === msgId, KIND, reply.body, `answers message ${answer.envelope.msgId}, not ${msgId}`);
  return answer;
}

/** Verify before parsing the data: nothing from an unauthenticated body may reach a case file. */
function opened(secret: string, body: string): Reply {
  const decoded = decodeJson(KIND, body, envelope);
  if (!verifyHmacSm3(secret, signedText(decoded.service, decoded.msgId, decoded.data), decoded.sign)) {
    throw new AgencyProtocolError(`${KIND} envelope sign does not verify`, body);
  }
  let data: unknown;
  try {
    data = JSON.parse(decoded.data);
  } catch {
    throw new AgencyProtocolError(`${KIND} envelope data is not JSON`, body);
  }
  return { envelope: decoded, data, raw: body };
}

/**
 * The whole answer: the first page, then each next page after the last account of the one before, until a
 * page says there is none. Accounts come in ascending order, each once, so a page that goes back is refused.
 */
async function readHoldings(call: InquiryCall, first: Reply, ctx: ConnectorContext): Promise<ConnectorOutcome> {
  let page = decodeWith(KIND, first.raw, first.data, holdingPage);
  if (page.retCode === "2001") return { kind: "REFUSED", reason: page.retMsg, raw: first.raw };
  const raws = [first.raw];
  const accounts: HoldingAccount[] = [];
  for (;;) {
    const raw = raws[raws.length - 1];
    protocolCheck(page.msgId === call.idempotencyKey, KIND, raw, `answers query ${page.msgId}, not ${call.idempotencyKey}`);
    for (const account of page.accounts) {
      const previous = accounts[accounts.length - 1]?.acctNo;
      protocolCheck(previous === undefined || account.acctNo > previous, KIND, raw, `pages account ${account.acctNo} out of order`);
      accounts.push(account);
    }
    if (page.nextAfter === undefined) break;
    protocolCheck(
      page.nextAfter === accounts[accounts.length - 1]?.acctNo,
      KIND,
      raw,
      `pages on after ${page.nextAfter}, not its last account`,
    );
    protocolCheck(raws.length < MAX_PAGES, KIND, raw, `pages on past ${MAX_PAGES} pages`);
    const next = await exchange(ctx, "HOLDING_PAGE", call.idempotencyKey, {
      queryMsgId: call.idempotencyKey,
      afterAccount: page.nextAfter,
      pageSize: ACCOUNTS_PER_PAGE,
    });
    raws.push(next.raw);
    const decoded = decodeWith(KIND, next.raw, next.data, holdingPage);
    protocolCheck(decoded.retCode === "0000", KIND, next.raw, "refuses a page of a query it answered");
    page = decoded;
  }
  const assets = accounts.flatMap((account) => account.positions.map((position) => toFinding(account, position)));
  // One page is kept as the depository sent it; several, as the JSON array of the pages in order.
  return { kind: "ANSWERED", findings: { assets }, raw: raws.length === 1 ? raws[0] : `[${raws.join(",")}]` };
}

function readControl(service: ControlService, reply: Reply): ControlOutcome {
  const decoded: ControlReply = decodeWith(KIND, reply.raw, reply.data, controlReply);
  protocolCheck(decoded.msgId === reply.envelope.msgId, KIND, reply.raw, `answers message ${decoded.msgId}, not ${reply.envelope.msgId}`);
  const raw = reply.raw;
  if (decoded.retCode === "3001") return { kind: "REFUSED", reason: decoded.retMsg, raw };
  protocolCheck(ANSWERS[service].includes(decoded.result), KIND, raw, `answers ${service} with ${decoded.result}`);
  switch (decoded.result) {
    case "FROZEN":
      return { kind: "EFFECTIVE", effectiveFrom: decoded.effectiveAt, reference: decoded.freezeNo, raw };
    // The proceeds are transferred to the court once: the deduction is in effect with the transfer's number.
    case "DEDUCTED":
      return { kind: "EFFECTIVE", effectiveFrom: decoded.effectiveAt, reference: decoded.transferNo, raw };
    case "WAITING":
      return { kind: "QUEUED", rank: decoded.waitRank, raw };
    case "UNFROZEN":
      return { kind: "RELEASED", releasedAt: decoded.releasedAt, raw };
    case "EXTENDED":
      return { kind: "RENEWED", to: decoded.until, raw };
  }
}

function holderOf(debtor: InquiryCall["debtor"]): Holder {
  return { idType: debtor.kind === "PERSON" ? "01" : "51", idNo: debtor.idNumber, name: debtor.name };
}

function toQuery(call: InquiryCall) {
  return {
    msgId: call.idempotencyKey,
    caseNo: call.caseNumber,
    courtCode: call.courtCode,
    holder: holderOf(call.debtor),
    reason: call.purpose,
    handler: call.officer,
    pageSize: ACCOUNTS_PER_PAGE,
  };
}

/** A position is named by its account and security code: `A123456789/600036`. */
export function positionIdentifier(acctNo: string, secCode: string): string {
  return `${acctNo}/${secCode}`;
}

/** The service and message for a control call; a call the protocol cannot carry fails here, before anything is sent. */
function toControl(call: ControlCall): [ControlService, SecuritiesControlRequest] {
  const refuse = (message: string): never => {
    throw new AgencyProtocolError(`${KIND} control request ${call.idempotencyKey} ${message}`);
  };
  const [acctNo, secCode, ...rest] = call.assetIdentifier.split("/");
  if (!acctNo || !secCode || rest.length > 0) refuse(`names ${call.assetIdentifier}, not a position (account/security code)`);
  if (call.measureKind !== "FREEZE" && call.measureKind !== "DEDUCT")
    refuse(`asks for ${call.measureKind}; the depository freezes and deducts only`);
  if (call.measureKind === "DEDUCT" && call.action !== "APPLY") refuse(`asks to ${call.action} a deduction, which is done once and final`);
  const service: ControlService =
    call.action === "RELEASE" ? "UNFREEZE" : call.action === "RENEW" ? "EXTEND" : call.measureKind === "DEDUCT" ? "DEDUCT" : "FREEZE";
  if (service === "FREEZE" && (!call.from || !call.to)) refuse("lacks the period (from, to) of the freeze");
  if (service === "DEDUCT" && (!call.amount || !call.measureRef)) refuse("lacks the amount or the freeze to deduct from (measureRef)");
  if ((service === "UNFREEZE" || service === "EXTEND") && !call.measureRef)
    refuse(`lacks measureRef, the key of the freeze to ${call.action}`);
  if (service === "EXTEND" && !call.to) refuse("lacks the new last day (to)");
  return [
    service,
    {
      msgId: call.idempotencyKey,
      caseNo: call.caseNumber,
      courtCode: call.courtCode,
      holder: holderOf(call.debtor),
      acctNo,
      secCode,
      from: service === "FREEZE" ? call.from : undefined,
      to: service === "FREEZE" || service === "EXTEND" ? call.to : undefined,
      amount: service === "DEDUCT" ? call.amount : undefined,
      freezeRef: service === "FREEZE" ? undefined : call.measureRef,
      notice: { docNo: call.notice.number, date: call.notice.date },
      ruling: { docNo: call.decision.number, date: call.decision.date, judges: [...call.decision.judges] },
      handler: call.officer,
      notifyUrl: call.callbackUrl,
    },
  ];
}

const KIND_NAMES = { STOCK: "股票", BOND: "债券", FUND: "基金份额" } as const;

/** A position's value is what its sale would bring at the last price: what the freeze holds and a deduction draws on. */
function toFinding(account: HoldingAccount, position: Position): SecuritiesFinding {
  const units = position.secType === "FUND" ? "份" : position.secType === "BOND" ? "张" : "股";
  const price = position.secType === "FUND" ? "净值" : "收盘价";
  return {
    type: "SECURITIES",
    identifier: positionIdentifier(account.acctNo, position.secCode),
    accountNumber: account.acctNo,
    market: account.market,
    custodian: account.custodian,
    securityCode: position.secCode,
    securityName: position.secName,
    securityKind: position.secType,
    quantity: position.qty,
    unitPrice: position.price,
    pricedOn: position.priceDate,
    marketValue: position.mktValue,
    description:
      `${account.acctNo} ${position.secName}（${position.secCode}）${KIND_NAMES[position.secType]} ${position.qty} ${units}，` +
      `${position.priceDate} ${price} ${position.price} 元，市值 ${position.mktValue} 元`,
    estimatedValue: position.mktValue,
    encumbrances: position.restrictions.map((r) => ({
      type: r.type,
      byAuthority: r.org,
      reference: r.docNo,
      since: r.since,
      rank: r.rank,
    })),
  };
}
