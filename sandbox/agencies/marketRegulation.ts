/**
 * 市场监管 (企业登记): synchronous JSON in the enterprise register's own field names
 * (entname, uniscid, subconam, acconam, fundedratio). `POST {base}/api/v2/equity/query`
 * (X-Request-No) answers at once with the stakes the subject holds as a shareholder,
 * or code 40 with the reason. A local (点对点) regulator answers only for companies
 * registered in its own division. `POST {base}/api/v2/equity/freezes` freezes
 * (冻结), releases and renews a freeze of one stake by the company's credit code,
 * with the registries' control protocol (sandbox/controls.ts); a freeze in effect or
 * queued is published in the enterprise credit system (企业信用信息公示), so every later
 * query, by any court, shows it among the stake's encumbrances.
 * `GET {base}/api/v2/requests/{key}` says what became of either kind of request.
 */
import {
  jsonObjectOf,
  jsonReply,
  textOf,
  type Agency,
  type AgencyEnvironment,
  type AgencyReply,
  type AgencyRequest,
  type Channel,
  type Route,
  type Submission,
} from "../agencyServer.js";
import { ControlDesk, registryLookupRoute, type RegistryOptions } from "../controls.js";
import { debtorProfile, type EquityHolding } from "../debtorProfile.js";
import { Register } from "../register.js";
import { registryInquiryRoute, searchRegister, type SubjectWire } from "../registrySearch.js";

/** 证件类型: a resident ID (身份证) or a unified social credit code. */
const SUBJECT: SubjectWire = {
  name: "name",
  idNumber: "cert_no",
  kind: "cert_type",
  kinds: { SFZ: "PERSON", TYSHXYDM: "ORGANISATION" },
  words: { name: "投资人名称", type: "证件类型" },
};

export class MarketRegulator implements Agency {
  private readonly register = new Register<EquityHolding>((idNumber) => debtorProfile(idNumber).equities);
  private readonly controls: ControlDesk;

  readonly routes: readonly Route[];

  /** `secret` signs the measure reports (TOOK_EFFECT) POSTed to the hub. */
  constructor(environment: AgencyEnvironment, secret: string, options: RegistryOptions = {}) {
    this.controls = new ControlDesk({
      path: "/api/v2/equity/freezes",
      assetField: "uscc",
      kinds: ["FREEZE"],
      category: "OTHER_PROPERTY_RIGHT",
      holding: (idNumber, uscc) => this.register.of(idNumber).find((stake) => stake.uscc === uscc),
      notHeld: "被执行人不是该企业的登记股东",
      registers: "股权",
      stats: environment.stats,
      secret,
      now: options.now,
    });
    this.routes = [
      registryInquiryRoute(this, { path: "/api/v2/equity/query", keyHeader: "X-Request-No", keyField: "req_no" }, (key, body, channel) =>
        this.answer(key, body, channel),
      ),
      this.controls.route,
      registryLookupRoute("/api/v2/requests/:key"),
    ];
  }

  errorReply(status: number, message: string): AgencyReply {
    return jsonReply(status, { code: "40", req_no: null, msg: message });
  }

  reset(): void {
    this.controls.reset();
    this.register.clear();
  }

  private answer(reqNo: string, body: Record<string, unknown>, channel: Channel): AgencyReply {
    const refuse = (msg: string) => jsonReply(200, { code: "40", req_no: reqNo, msg });
    if (!textOf(body.case_no) || !textOf(body.court_code)) return refuse("案号和法院代码不能为空");
    if (!textOf(body.reason) || !textOf(body.handler)) return refuse("查询事由和承办人不能为空");
    const search = searchRegister(this.register, this.controls, { subject: body.investor, wire: SUBJECT, channel }, (stake) => [
      stake.uscc,
      stake.encumbrances,
    ]);
    if ("refusal" in search) return refuse(search.refusal);
    const data = search.found.map(({ record: stake, encumbrances }) => ({
      entname: stake.companyName,
      uniscid: stake.uscc,
      fundedratio: stake.sharePercent,
      subconam: stake.subscribedCapital,
      acconam: stake.paidCapital,
      restrictions: encumbrances.map((e) => ({ kind: e.type, org: e.authority, doc_no: e.reference, since: e.since, rank: e.rank })),
    }));
    return jsonReply(200, { code: "00", req_no: reqNo, data });
  }
}
