/**
 * 证券登记结算 (the securities depository): synchronous JSON through one gateway, `POST {base}/csdc/v3/gateway`,
 * every message both ways a signed envelope {version, service, msgId, data, sign}, `sign` being HMAC-SM3 over
 * `service|msgId|data`; a request whose sign fails is answered 401, unsigned. The services:
 * - HOLDING_QUERY: the holder's accounts with their positions (shares, bonds, fund shares), in account number
 *   order, `pageSize` accounts a page; `nextAfter` names the last account when more follow. The whole answer is
 *   fixed when the query is executed, so its pages agree with each other.
 * - HOLDING_PAGE: the next page of an answered query, after `afterAccount`.
 * - MSG_STATUS: the envelope an earlier message (query or control) was answered with, or retCode 1404 when the
 *   depository never received it.
 * - FREEZE, DEDUCT, UNFREEZE, EXTEND one position, named by account and security code, with the register every
 *   agency shares (sandbox/controls.ts, MeasureRegister): later freezes queue (轮候, result WAITING) and take
 *   effect when the earlier one is released or lapses, reported as a signed FREEZE_EFFECTIVE envelope POSTed to
 *   the freeze's notifyUrl. A deduction sells out of the court's own freeze in effect and transfers the proceeds
 *   (at most the position's market value less earlier deductions); later answers show the position less what was
 *   sold.
 * A local (点对点) office answers for the accounts opened in its own division.
 */
import { createHmac } from "node:crypto";
import { formatYuan, parseYuan } from "../../domain/measures/yuan.js";
import { verifyHmacSm3 } from "../../connectors/signature.js";
import {
  jsonObjectOf,
  jsonReply,
  textOf,
  type Agency,
  type AgencyEnvironment,
  type AgencyReply,
  type AgencyRequest,
  type Channel,
  type Lookup,
  type Route,
  type Submission,
} from "../agencyServer.js";
import {
  httpUrlOf,
  isDate,
  MeasureRegister,
  objectOf,
  type RegisterReply,
  type RegisterRequest,
  type RegistryOptions,
} from "../controls.js";
import { debtorProfile, type SecuritiesAccount, type SecuritiesPosition } from "../debtorProfile.js";
import { declaredKindOf, subjectRefusal, type DebtorIdKind } from "../idNumbers.js";
import { Register } from "../register.js";

const VERSION = "3.0";
const MAX_PAGE_SIZE = 50;
/** 证件类型: 01 居民身份证, 51 统一社会信用代码. */
const ID_TYPES: Readonly<Record<string, DebtorIdKind>> = { "01": "PERSON", "51": "ORGANISATION" };
const SUBJECT_WORDS = { name: "持有人名称", type: "证件类型" };
const CONTROL_ACTIONS = { FREEZE: "FREEZE", DEDUCT: "DEDUCT", UNFREEZE: "RELEASE", EXTEND: "RENEW" } as const;

type Data = Record<string, unknown>;

interface Message {
  service: string;
  msgId: string;
  data: Data;
}

export class SecuritiesDepository implements Agency {
  private readonly register = new Register<SecuritiesAccount>((idNumber) => debtorProfile(idNumber).securities);
  private readonly measures: MeasureRegister;
  /** Each executed query's whole answer, by msgId, for its pages. */
  private readonly answers = new Map<string, Data[]>();

  readonly routes: readonly Route[];

  /** `secret` signs every envelope, the FREEZE_EFFECTIVE reports POSTed to the hub included. */
  constructor(
    environment: AgencyEnvironment,
    private readonly secret: string,
    options: RegistryOptions = {},
  ) {
    this.measures = new MeasureRegister({
      kinds: ["FREEZE", "DEDUCT"],
      category: "OTHER_PROPERTY_RIGHT",
      holding: (idNumber, asset) => {
        const held = this.position(idNumber, asset);
        return held && { divisionCode: held.account.divisionCode, encumbrances: held.position.encumbrances };
      },
      notHeld: "该持有人名下无此证券持仓",
      registers: "证券",
      balance: (idNumber, asset) => this.position(idNumber, asset)?.position.marketValue ?? "0.00",
      reportBody: (report) =>
        this.sealed("FREEZE_EFFECTIVE", report.measureRef, {
          freezeRef: report.measureRef,
          effectiveAt: report.effectiveFrom,
          freezeNo: report.registrationNo,
        }).body,
      stats: environment.stats,
      secret,
      now: options.now,
    });
    this.routes = [{ method: "POST", path: "/csdc/v3/gateway", handle: (request) => this.receive(request) }];
  }

  errorReply(status: number, message: string): AgencyReply {
    return jsonReply(status, { retCode: `9${status}`, retMsg: message });
  }

  reset(): void {
    this.measures.reset();
    this.register.clear();
    this.answers.clear();
  }

  private receive(request: AgencyRequest): AgencyReply | Submission | Lookup {
    const message = this.opened(request);
    if (!("msgId" in message)) return message;
    const { service, msgId, data } = message;
    switch (service) {
      case "HOLDING_QUERY":
        return { idempotencyKey: msgId, execute: () => this.query(msgId, data, request.channel) };
      case "HOLDING_PAGE":
        return this.page(msgId, data);
      case "MSG_STATUS":
        return { lookupKey: msgId, unknown: this.sealed("MSG_STATUS", msgId, { retCode: "1404", msgId, retMsg: "未收到该报文" }) };
      case "FREEZE":
      case "DEDUCT":
      case "UNFREEZE":
      case "EXTEND": {
        const parsed = this.controlRequest(message, CONTROL_ACTIONS[service]);
        if (typeof parsed === "string") return this.errorReply(400, parsed);
        return { idempotencyKey: msgId, execute: () => this.control(service, parsed, request.channel) };
      }
      default:
        return this.errorReply(400, `unknown service ${service}`);
    }
  }

  /** The envelope verified and its data parsed, or the reply refusing it. */
  private opened(request: AgencyRequest): Message | AgencyReply {
    const envelope = jsonObjectOf(request);
    if (!envelope) return this.errorReply(400, "body is not a JSON object");
    const [service, msgId, data, sign] = [envelope.service, envelope.msgId, envelope.data, envelope.sign].map(textOf);
    if (envelope.version !== VERSION || !service || !msgId || !data || !sign) {
      return this.errorReply(400, `envelope must be {version: "${VERSION}", service, msgId, data, sign}`);
    }
    if (!verifyHmacSm3(this.secret, `${service}|${msgId}|${data}`, sign)) return this.errorReply(401, "验签失败");
    const parsed = jsonObjectOf({ body: data } as AgencyRequest);
    if (!parsed) return this.errorReply(400, "data is not a JSON object");
    return { service, msgId, data: parsed };
  }

  private sealed(service: string, msgId: string, message: Data): AgencyReply {
    const data = JSON.stringify(message);
    const sign = createHmac("sm3", this.secret).update(`${service}|${msgId}|${data}`, "utf8").digest("hex");
    return jsonReply(200, { version: VERSION, service, msgId, data, sign });
  }

  private query(msgId: string, data: Data, channel: Channel): AgencyReply {
    const refuse = (retMsg: string) => this.sealed("HOLDING_QUERY", msgId, { retCode: "2001", msgId, retMsg });
    if (data.msgId !== msgId) return refuse("报文编号与信封不符");
    if (!textOf(data.caseNo) || !textOf(data.courtCode)) return refuse("案号和法院代码不能为空");
    if (!textOf(data.reason) || !textOf(data.handler)) return refuse("查询事由和承办人不能为空");
    const pageSize = pageSizeOf(data.pageSize);
    if (!pageSize) return refuse(`每页账户数须为 1 至 ${MAX_PAGE_SIZE}`);
    const holder = objectOf(data.holder) ?? {};
    const idNumber = textOf(holder.idNo) ?? "";
    const refusal = subjectRefusal(
      { name: textOf(holder.name), idNumber, declaredKind: declaredKindOf(ID_TYPES, holder.idType) },
      SUBJECT_WORDS,
    );
    if (refusal) return refuse(refusal);
    const accounts = this.register.reachable(idNumber, channel).map((account) => this.accountWire(account));
    this.answers.set(msgId, accounts);
    return this.sealed("HOLDING_QUERY", msgId, pageOf(msgId, accounts, 0, pageSize));
  }

  private page(msgId: string, data: Data): AgencyReply {
    const accounts = this.answers.get(textOf(data.queryMsgId) ?? "");
    const pageSize = pageSizeOf(data.pageSize);
    const after = textOf(data.afterAccount);
    if (data.queryMsgId !== msgId || !pageSize || !after) {
      return this.errorReply(400, `data must be {queryMsgId (the envelope's msgId), afterAccount, pageSize 1–${MAX_PAGE_SIZE}}`);
    }
    if (!accounts) return this.sealed("HOLDING_PAGE", msgId, { retCode: "2001", msgId, retMsg: "未找到该查询" });
    const start = accounts.findIndex((account) => (account.acctNo as string) > after);
    return this.sealed("HOLDING_PAGE", msgId, pageOf(msgId, accounts, start < 0 ? accounts.length : start, pageSize));
  }

  private accountWire(account: SecuritiesAccount): Data {
    return {
      acctNo: account.accountNumber,
      market: account.market,
      custodian: account.custodian,
      positions: account.positions.map((position) => {
        const asset = `${account.accountNumber}/${position.code}`;
        const { quantity, marketValue } = afterSales(position, this.measures.deductedFrom(asset));
        return {
          secCode: position.code,
          secName: position.name,
          secType: position.kind,
          qty: quantity,
          price: position.unitPrice,
          priceDate: position.pricedOn,
          mktValue: marketValue,
          restrictions: this.measures
            .encumbrancesOf(asset, position.encumbrances)
            .map((e) => ({ type: e.type, org: e.authority, docNo: e.reference, since: e.since, rank: e.rank })),
        };
      }),
    };
  }

  /** The control message as the register reads it, or what makes it malformed (answered 400, never executed nor stored). */
  private controlRequest(message: Message, action: RegisterRequest["action"]): RegisterRequest | string {
    const { msgId, data } = message;
    if (data.msgId !== msgId) return "data.msgId must equal the envelope's msgId";
    const [caseNumber, court, acctNo, secCode] = [data.caseNo, data.courtCode, data.acctNo, data.secCode].map(textOf);
    if (!caseNumber || !court || !acctNo || !secCode) return "caseNo, courtCode, acctNo and secCode are required";
    const holder = objectOf(data.holder);
    const type = holder && ({ "01": "PERSON", "51": "ORG" } as const)[String(holder.idType) as "01" | "51"];
    if (!holder || !type || !textOf(holder.idNo) || !textOf(holder.name)) return "holder must be {idType: 01|51, idNo, name}";
    for (const field of ["from", "to"] as const) {
      if (data[field] != null && !isDate(data[field])) return `${field} must be a date YYYY-MM-DD`;
    }
    const [from, to] = [data.from, data.to].map((value) => (value ?? undefined) as string | undefined);
    const freezeRef = textOf(data.freezeRef);
    const amount = textOf(data.amount);
    if (action === "FREEZE" && (!from || !to)) return "FREEZE requires from and to";
    if (action === "DEDUCT" && (!freezeRef || !amount || !parseYuan(amount).ok)) return "DEDUCT requires freezeRef and amount, yuan";
    if ((action === "RELEASE" || action === "RENEW") && !freezeRef) return "UNFREEZE and EXTEND require freezeRef, the FREEZE's msgId";
    if (action === "RENEW" && !to) return "EXTEND requires to, the new last day";
    const notice = objectOf(data.notice);
    if (!notice || !textOf(notice.docNo) || !isDate(notice.date)) return "notice must be {docNo, date YYYY-MM-DD}";
    const ruling = objectOf(data.ruling);
    const judges = ruling?.judges;
    if (!ruling || !textOf(ruling.docNo) || !isDate(ruling.date) || !Array.isArray(judges) || judges.length === 0) {
      return "ruling must be {docNo, date YYYY-MM-DD, judges: [name, …]}";
    }
    const callbackUrl = httpUrlOf(data.notifyUrl);
    if (!callbackUrl) return "notifyUrl must be an http(s) URL";
    return {
      key: msgId,
      action,
      court,
      caseNumber,
      asset: `${acctNo}/${secCode}`,
      subject: { type, idNumber: textOf(holder.idNo)!, name: textOf(holder.name)! },
      from: action === "FREEZE" ? from : undefined,
      to,
      measureRef: freezeRef,
      amount,
      noticeNumber: textOf(notice.docNo)!,
      callbackUrl,
    };
  }

  /** The register's answer in the depository's words. */
  private control(service: string, request: RegisterRequest, channel: Channel): AgencyReply {
    const reply: RegisterReply = this.measures.carryOut(request, channel);
    const msgId = request.key;
    const answer = (data: Data) => this.sealed(service, msgId, { retCode: "0000", msgId, ...data });
    switch (reply.status) {
      case "EFFECTIVE":
        return request.action === "DEDUCT"
          ? answer({ result: "DEDUCTED", transferNo: reply.registrationNo, effectiveAt: reply.effectiveFrom, amount: request.amount })
          : answer({ result: "FROZEN", freezeNo: reply.registrationNo, effectiveAt: reply.effectiveFrom });
      case "QUEUED":
        return answer({ result: "WAITING", waitRank: reply.rank });
      case "RELEASED":
        return answer({ result: "UNFROZEN", releasedAt: reply.releasedAt });
      case "RENEWED":
        return answer({ result: "EXTENDED", until: reply.to });
      default:
        return this.sealed(service, msgId, { retCode: "3001", msgId, retMsg: reply.message });
    }
  }

  private position(idNumber: string, asset: string): { account: SecuritiesAccount; position: SecuritiesPosition } | undefined {
    const [acctNo, code] = asset.split("/");
    const account = this.register.of(idNumber).find((a) => a.accountNumber === acctNo);
    const position = account?.positions.find((p) => p.code === code);
    return account && position && { account, position };
  }
}

function pageSizeOf(value: unknown): number | undefined {
  return Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= MAX_PAGE_SIZE ? (value as number) : undefined;
}

function pageOf(msgId: string, accounts: Data[], start: number, pageSize: number): Data {
  const page = accounts.slice(start, start + pageSize);
  const more = start + pageSize < accounts.length;
  return { retCode: "0000", msgId, accounts: page, nextAfter: more ? page[page.length - 1].acctNo : undefined };
}

/**
 * A position after forced sales raised `deducted` yuan: whole shares or bonds, or fund units to the hundredth, sold
 * at the last price until the proceeds cover what was deducted.
 */
function afterSales(position: SecuritiesPosition, deducted: string): { quantity: string; marketValue: string } {
  const fund = position.kind === "FUND";
  const hundredths = BigInt(Math.round(Number(position.quantity) * 100));
  const priceUnits = BigInt(Math.round(Number(position.unitPrice) * 10_000));
  const proceeds = parseYuan(deducted);
  const cents = proceeds.ok ? proceeds.cents : 0n;
  const step = fund ? 1n : 100n;
  // Hundredths of a unit whose sale brings `cents`: cents × 10,000 / priceUnits, up to the next whole step.
  const needed = priceUnits === 0n ? 0n : (cents * 10_000n + priceUnits - 1n) / priceUnits;
  const sold = ((needed + step - 1n) / step) * step;
  const left = sold > hundredths ? 0n : hundredths - sold;
  const quantity = fund ? `${left / 100n}.${String(left % 100n).padStart(2, "0")}` : String(left / 100n);
  return { quantity, marketValue: formatYuan((left * priceUnits + 5_000n) / 10_000n) };
}
