/**
 * 不动产登记: synchronous JSON. `POST {base}/v1/property-inquiries` answers at
 * once with the debtor's flats or a REJECTED refusal. A local (点对点) registry
 * answers only for flats in its own division.
 */
import {
  jsonObjectOf,
  jsonReply,
  reachableOn,
  textOf,
  type Agency,
  type AgencyReply,
  type AgencyRequest,
  type Channel,
  type Route,
  type Submission,
} from "../agencyServer.js";
import { debtorProfile, type Flat } from "../debtorProfile.js";
import { debtorIdKind } from "../idNumbers.js";
import { Register } from "../register.js";

const SUBJECT_TYPES = { PERSON: "PERSON", ORG: "ORGANISATION" } as const;

export class PropertyRegistry implements Agency {
  private readonly register = new Register<Flat>((idNumber) => debtorProfile(idNumber).flats);

  readonly routes: readonly Route[] = [
    { method: "POST", path: "/v1/property-inquiries", handle: (request) => this.inquire(request) },
  ];

  errorReply(status: number, message: string): AgencyReply {
    return jsonReply(status, { requestId: null, status: "REJECTED", message });
  }

  reset(): void {
    this.register.clear();
  }

  private inquire(request: AgencyRequest): AgencyReply | Submission {
    const body = jsonObjectOf(request);
    if (!body) return this.errorReply(400, "body is not a JSON object");
    const key = textOf(request.headers["idempotency-key"]);
    if (!key) return this.errorReply(400, "Idempotency-Key header is required");
    if (body.requestId !== key) return this.errorReply(400, "requestId must equal the Idempotency-Key header");
    return { idempotencyKey: key, execute: () => this.answer(key, body, request.channel) };
  }

  private answer(requestId: string, body: Record<string, unknown>, channel: Channel): AgencyReply {
    const refuse = (message: string) => jsonReply(200, { requestId, status: "REJECTED", message });
    const subject = (typeof body.subject === "object" && body.subject !== null ? body.subject : {}) as Record<string, unknown>;
    if (!textOf(body.caseNumber) || !textOf(body.court)) return refuse("案号和法院代码不能为空");
    if (!textOf(body.purpose) || !textOf(body.officer)) return refuse("查询事由和承办人不能为空");
    if (!textOf(subject.name)) return refuse("被查询人名称不能为空");
    const idNumber = textOf(subject.idNumber) ?? "";
    const kind = debtorIdKind(idNumber);
    if (!kind) return refuse("证件号码校验失败");
    if (SUBJECT_TYPES[subject.type as keyof typeof SUBJECT_TYPES] !== kind) return refuse("主体类型与证件号码不符");
    const records = this.register
      .of(idNumber)
      .filter((flat) => reachableOn(channel, flat.divisionCode))
      .map((flat) => ({
        certNo: flat.certificateNumber,
        location: flat.address,
        area: flat.areaSquareMetres,
        use: flat.usage,
        share: flat.share,
        appraisal: flat.appraisal,
        encumbrances: flat.encumbrances.map((e) => ({ type: e.type, authority: e.authority, docNo: e.reference, since: e.since, rank: e.rank })),
      }));
    return jsonReply(200, { requestId, status: "OK", records });
  }
}
