/**
 * 民政 (婚姻登记): synchronous, the marriage register's own field names. `POST
 * {base}/mzhy/query` takes a form (qqbh, ah, fydm, xm, sfzh, cxyy, cbr) and answers at once
 * in JSON with the person's registrations (fhdm 0, jl) or a refusal (fhdm 1, cwxx). A local
 * (点对点) register answers for its own division's registrations only. Organisations do not
 * marry: a credit code has no registrations. Results only; `GET {base}/mzhy/requests/{key}` says what
 * became of a request.
 */
import {
  jsonReply,
  textOf,
  type Agency,
  type AgencyReply,
  type AgencyRequest,
  type Channel,
  type Route,
  type Submission,
} from "../agencyServer.js";
import { reachableOn } from "../agencyServer.js";
import { registryLookupRoute } from "../controls.js";
import { cachedDebtorProfile } from "../debtorProfile.js";
import { debtorIdKind } from "../idNumbers.js";

export class CivilAffairs implements Agency {
  readonly routes: readonly Route[] = [
    { method: "POST", path: "/mzhy/query", handle: (request) => this.query(request) },
    registryLookupRoute("/mzhy/requests/:key"),
  ];

  errorReply(status: number, message: string): AgencyReply {
    return jsonReply(status, { fhdm: "1", qqbh: null, cwxx: message });
  }

  /** Nothing is kept between requests but the server's idempotency record, which the server itself clears. */
  reset(): void {}

  private query(request: AgencyRequest): AgencyReply | Submission {
    if (!/^application\/x-www-form-urlencoded/.test(String(request.headers["content-type"] ?? ""))) {
      return this.errorReply(415, "请求须为表单 (application/x-www-form-urlencoded)");
    }
    const form = new URLSearchParams(request.rawBody.toString("utf8"));
    const key = textOf(request.headers["x-request-id"]);
    if (!key) return this.errorReply(400, "X-Request-Id header is required");
    if (form.get("qqbh") !== key) return this.errorReply(400, "qqbh must equal the X-Request-Id header");
    return { idempotencyKey: key, execute: () => this.answer(key, form, request.channel) };
  }

  private answer(qqbh: string, form: URLSearchParams, channel: Channel): AgencyReply {
    const refuse = (cwxx: string) => jsonReply(200, { fhdm: "1", qqbh, cwxx });
    if (!form.get("ah") || !form.get("fydm")) return refuse("案号和法院代码不能为空");
    if (!form.get("cxyy") || !form.get("cbr")) return refuse("查询事由和承办人不能为空");
    if (!form.get("xm")) return refuse("姓名不能为空");
    const idNumber = form.get("sfzh") ?? "";
    if (!debtorIdKind(idNumber)) return refuse("证件号码校验失败");
    // Only persons marry: a credit code has no registrations, an answer with nothing in it (as the police answer).
    const jl = cachedDebtorProfile(idNumber)
      .marriages.filter((m) => reachableOn(channel, m.divisionCode))
      .map((m) => ({
        djlx: m.kind === "MARRIAGE" ? "结婚" : "离婚",
        djrq: m.registeredOn,
        djjg: m.authority,
        po_xm: m.spouseName,
        po_sfzh: m.spouseIdNumber,
      }));
    return jsonReply(200, { fhdm: "0", qqbh, jl });
  }
}
