/**
 * 人社 (social insurance agency): synchronous JSON under the social insurance data elements (aac002, aac003, aab001,
 * aab004, aac040), every request signed with HMAC-SM3 over its body (X-Signature) and keyed by X-Serial-No.
 * `POST {base}/si/assist/v1/income-query` answers at once with the person's income: the wage an employer pays
 * contributions on (GZ, its wage base aac040) or the pension paid (YLJ), with other courts' withholding orders on it; a
 * local (点对点) agency answers only for payers insured in its own division. `POST {base}/si/assist/v1/withholding`
 * registers a withholding order with the payer (op KL: the monthly amount, the total, the period; refused when the month
 * would take more than is paid) or stops one (op JC). Each payday the payer withholds the month's amount, never more than
 * the order has left, and the agency reports it, signed, to the order's callback URL; an order whose total is withheld
 * ends. `GET {base}/si/assist/v1/serial/{serial_no}` says what became of either request. Paydays come from the control
 * route `POST /_sandbox/payroll {"month": "YYYY-MM"}`, so tests decide when months pass.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { formatYuan, parseYuan } from "../../domain/measures/yuan.js";
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
import { SignedCallbackSender } from "../callbacks.js";
import { chinaTime, httpUrlOf, type RegistryOptions } from "../controls.js";
import { debtorProfile, type IncomeSource } from "../debtorProfile.js";
import { debtorIdKind, subjectRefusal } from "../idNumbers.js";
import { Register } from "../register.js";

const BASE = "/si/assist/v1";
const TYPE_OF = { WAGE: "GZ", PENSION: "YLJ" } as const;

interface WithholdingOrder {
  serialNo: string;
  orderNo: string;
  court: string;
  noticeNumber: string;
  idNumber: string;
  income: IncomeSource;
  monthly: bigint;
  total: bigint;
  withheld: bigint;
  from: string;
  to: string;
  callbackUrl: string;
  state: "ZX" | "JC" | "DONE";
}

export class SocialInsuranceAgency implements Agency {
  private readonly register = new Register<IncomeSource>((idNumber) => debtorProfile(idNumber).incomes);
  private readonly orders = new Map<string, WithholdingOrder>();
  private readonly reports: SignedCallbackSender;
  private readonly now: () => Date;
  private sequence = 0;

  readonly routes: readonly Route[];
  readonly sandboxControls = { payroll: (body: Record<string, unknown>) => this.payday(body) };

  /** `secret` checks the hub's requests and signs the monthly reports POSTed to it. */
  constructor(
    environment: AgencyEnvironment,
    private readonly secret: string,
    options: RegistryOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.reports = new SignedCallbackSender(environment.stats, secret);
    this.routes = [
      {
        method: "POST",
        path: `${BASE}/income-query`,
        handle: (request) => this.submit(request, (key, body) => this.query(key, body, request.channel)),
      },
      {
        method: "POST",
        path: `${BASE}/withholding`,
        handle: (request) => this.submit(request, (key, body) => this.withhold(key, body, request.channel)),
      },
      { method: "GET", path: `${BASE}/serial/:key`, handle: (request) => this.lookUp(request) },
    ];
  }

  errorReply(status: number, message: string): AgencyReply {
    return jsonReply(status, { retcode: String(status), serial_no: null, errmsg: message });
  }

  reset(): void {
    this.reports.reset();
    this.orders.clear();
    this.register.clear();
    this.sequence = 0;
  }

  private submit(request: AgencyRequest, execute: (key: string, body: Record<string, unknown>) => AgencyReply): AgencyReply | Submission {
    if (!this.signatureMatches(request.rawBody, request.headers["x-signature"])) return this.errorReply(401, "签名验证失败");
    const body = jsonObjectOf(request);
    if (!body) return this.errorReply(400, "body is not a JSON object");
    const key = textOf(request.headers["x-serial-no"]);
    if (!key) return this.errorReply(400, "X-Serial-No header is required");
    if (body.serial_no !== key) return this.errorReply(400, "serial_no must equal the X-Serial-No header");
    return { idempotencyKey: key, execute: () => execute(key, body) };
  }

  private lookUp(request: AgencyRequest): AgencyReply | Lookup {
    const { key } = request.params;
    if (!this.signatureMatches(Buffer.from(key, "utf8"), request.headers["x-signature"])) return this.errorReply(401, "签名验证失败");
    return { lookupKey: key, unknown: jsonReply(404, { retcode: "404", serial_no: key, errmsg: "未收到该请求" }) };
  }

  /**
   * The subject checked as every agency checks it. The wire names no kind: an organisation's code is accepted and
   * finds nothing, since only persons are paid wages and pensions.
   */
  private subject(body: Record<string, unknown>): { idNumber: string } | { refusal: string } {
    if (!textOf(body.case_no) || !textOf(body.court_code)) return { refusal: "案号和法院代码不能为空" };
    if (!textOf(body.handler)) return { refusal: "承办人不能为空" };
    const idNumber = textOf(body.aac002) ?? "";
    const declaredKind = debtorIdKind(idNumber) ?? "PERSON";
    const refusal = subjectRefusal({ name: textOf(body.aac003), idNumber, declaredKind }, { name: "姓名", type: "证件类型" });
    return refusal ? { refusal } : { idNumber };
  }

  private query(key: string, body: Record<string, unknown>, channel: Channel): AgencyReply {
    const refuse = (errmsg: string) => jsonReply(200, { retcode: "1", serial_no: key, errmsg });
    if (!textOf(body.reason)) return refuse("查询事由不能为空");
    const subject = this.subject(body);
    if ("refusal" in subject) return refuse(subject.refusal);
    const records = this.register.reachable(subject.idNumber, channel).map((income) => {
      const common = {
        income_type: TYPE_OF[income.kind],
        aab001: income.payerCode,
        aab004: income.payerName,
        since: income.since.replace("-", ""),
        orders: [
          ...income.withholdings.map((w) => ({
            court: w.court,
            notice_no: w.noticeNumber,
            monthly_amount: w.monthlyAmount,
            start_date: w.since,
          })),
          ...this.ordersOn(subject.idNumber, income).map((o) => ({
            court: o.court,
            notice_no: o.noticeNumber,
            monthly_amount: formatYuan(o.monthly),
            start_date: o.from,
          })),
        ],
      };
      return income.kind === "WAGE" ? { ...common, aac040: income.monthlyAmount } : { ...common, pension: income.monthlyAmount };
    });
    return jsonReply(200, { retcode: "0", serial_no: key, records });
  }

  private withhold(key: string, body: Record<string, unknown>, channel: Channel): AgencyReply {
    const refuse = (errmsg: string) => jsonReply(200, { retcode: "1", serial_no: key, errmsg });
    if (!textOf(body.notice_no) || !textOf(body.ruling_no)) return refuse("协助执行通知书和裁定书文号不能为空");
    const subject = this.subject(body);
    if ("refusal" in subject) return refuse(subject.refusal);
    if (body.op === "JC") {
      const order = this.orders.get(textOf(body.order_serial_no) ?? "");
      if (!order || order.idNumber !== subject.idNumber) return refuse("无此扣留、提取收入协助执行记录");
      if (order.state === "ZX") order.state = "JC";
      return jsonReply(200, { retcode: "0", serial_no: key, state: "JC", released_at: chinaTime(this.now()) });
    }
    if (body.op !== "KL") return refuse("op 须为 KL 或 JC");
    const income = this.register
      .reachable(subject.idNumber, channel)
      .find((i) => TYPE_OF[i.kind] === body.income_type && i.payerCode === body.aab001);
    if (!income) return refuse("被执行人在该单位无工资或养老金发放记录");
    const [monthly, total, paid] = [body.monthly_amount, body.total_amount, income.monthlyAmount].map((v) => parseYuan(String(v ?? "")));
    if (!monthly.ok || !total.ok || !paid.ok || monthly.cents === 0n || total.cents === 0n) return refuse("扣留金额须为正数");
    const taken = [
      ...income.withholdings.map((w) => parseYuan(w.monthlyAmount)),
      ...this.ordersOn(subject.idNumber, income).map((o) => ({ ok: true as const, cents: o.monthly })),
    ].reduce((sum, w) => sum + (w.ok ? w.cents : 0n), 0n);
    if (monthly.cents + taken > paid.cents) return refuse("每月扣留金额超过可发放收入");
    const callbackUrl = httpUrlOf(body.callback_url);
    if (!callbackUrl) return refuse("callback_url must be an http(s) URL");
    const from = textOf(body.start_date) ?? "";
    const to = textOf(body.end_date) ?? "";
    if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to) || to <= from) return refuse("扣留期限有误");
    this.sequence += 1;
    const order: WithholdingOrder = {
      serialNo: key,
      orderNo: `KL${income.divisionCode}${String(this.sequence).padStart(8, "0")}`,
      court: String(body.court_code),
      noticeNumber: String(body.notice_no),
      idNumber: subject.idNumber,
      income,
      monthly: monthly.cents,
      total: total.cents,
      withheld: 0n,
      from,
      to,
      callbackUrl,
      state: "ZX",
    };
    this.orders.set(key, order);
    return jsonReply(200, { retcode: "0", serial_no: key, state: "ZX", order_no: order.orderNo, effective_at: chinaTime(this.now()) });
  }

  /**
   * A payday: each order in effect in the month withholds its monthly amount, at most what it has left, and is reported;
   * an order whose total is withheld ends. The day paid is the 10th unless `payday` says otherwise.
   */
  private payday(body: Record<string, unknown>): AgencyReply {
    const month = textOf(body.month) ?? "";
    if (!/^\d{4}-(?:0[1-9]|1[0-2])$/.test(month)) return jsonReply(400, { error: "month must be YYYY-MM" });
    const payday = textOf(body.payday) ?? `${month}-10`;
    if (!payday.startsWith(`${month}-`)) return jsonReply(400, { error: "payday must fall in the month" });
    const reported: { serialNo: string; amount: string }[] = [];
    for (const order of this.orders.values()) {
      if (order.state !== "ZX" || payday < order.from || payday > order.to) continue;
      const left = order.total - order.withheld;
      const amount = order.monthly < left ? order.monthly : left;
      order.withheld += amount;
      if (order.withheld >= order.total) order.state = "DONE";
      this.sequence += 1;
      const report = {
        msg_type: "MONTHLY_WITHHOLDING",
        order_serial_no: order.serialNo,
        month,
        amount: formatYuan(amount),
        withheld_on: payday,
        transfer_no: `TK${month.replace("-", "")}${String(this.sequence).padStart(8, "0")}`,
      };
      this.reports.send(order.callbackUrl, JSON.stringify(report));
      reported.push({ serialNo: order.serialNo, amount: report.amount });
    }
    return jsonReply(200, { month, reported });
  }

  private ordersOn(idNumber: string, income: IncomeSource): WithholdingOrder[] {
    return [...this.orders.values()].filter((o) => o.state === "ZX" && o.idNumber === idNumber && o.income.payerCode === income.payerCode);
  }

  private signatureMatches(data: Buffer, header: unknown): boolean {
    if (typeof header !== "string" || !/^[0-9a-fA-F]{64}$/.test(header)) return false;
    const expected = createHmac("sm3", this.secret).update(data).digest();
    return timingSafeEqual(Buffer.from(header, "hex"), expected);
  }
}
