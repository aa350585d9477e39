/**
 * 不动产登记: synchronous JSON. `POST {base}/v1/property-inquiries` answers at
 * once with the debtor's flats or a REJECTED refusal. A local (点对点) registry
 * answers only for flats in its own division. `POST {base}/v1/controls` seals
 * (查封), releases and renews seals on a flat (sandbox/controls.ts); the seals
 * then show among the flat's encumbrances in every later inquiry, by any court.
 * `GET {base}/v1/requests/{key}` says what became of either kind of request.
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
import { acquiredFlat, debtorProfile, type Flat } from "../debtorProfile.js";
import { debtorIdKind, SUBJECT_TYPES } from "../idNumbers.js";
import { Register } from "../register.js";
import { registryInquiryRoute, searchRegister, type SubjectWire } from "../registrySearch.js";

const SUBJECT: SubjectWire = {
  name: "name",
  idNumber: "idNumber",
  kind: "type",
  kinds: SUBJECT_TYPES,
  words: { name: "被查询人名称", type: "主体类型" },
};

export class PropertyRegistry implements Agency {
  private readonly register = new Register<Flat>((idNumber) => debtorProfile(idNumber).flats);
  private readonly controls: ControlDesk;

  readonly routes: readonly Route[];

  /** `secret` signs the measure reports (TOOK_EFFECT) POSTed to the hub. */
  constructor(environment: AgencyEnvironment, secret: string, options: RegistryOptions = {}) {
    this.controls = new ControlDesk({
      path: "/v1/controls",
      assetField: "certNo",
      kinds: ["SEAL"],
      category: "REAL_ESTATE",
      holding: (idNumber, certNo) => this.register.of(idNumber).find((flat) => flat.certificateNumber === certNo),
      notHeld: "该不动产权证书不在被执行人名下",
      registers: "不动产",
      stats: environment.stats,
      secret,
      now: options.now,
    });
    this.routes = [
      registryInquiryRoute(
        this,
        { path: "/v1/property-inquiries", keyHeader: "Idempotency-Key", keyField: "requestId" },
        (key, body, channel) => this.answer(key, body, channel),
      ),
      this.controls.route,
      registryLookupRoute("/v1/requests/:key"),
    ];
  }

  readonly sandboxControls = {
    /** `{ "idNumber": … }`: the debtor comes to own another flat (acquiredFlat), found by every later inquiry. */
    acquisitions: (body: Record<string, unknown>): AgencyReply => {
      const idNumber = textOf(body.idNumber);
      if (!idNumber || !debtorIdKind(idNumber)) return jsonReply(400, { error: "idNumber must be a debtor's ID number" });
      const flat = acquiredFlat(idNumber, this.acquired.get(idNumber) ?? 1);
      this.acquired.set(idNumber, (this.acquired.get(idNumber) ?? 1) + 1);
      this.register.add(idNumber, flat);
      return jsonReply(200, flat);
    },
  };
  private readonly acquired = new Map<string, number>();

  errorReply(status: number, message: string): AgencyReply {
    return jsonReply(status, { requestId: null, status: "REJECTED", message });
  }

  reset(): void {
    this.controls.reset();
    this.register.clear();
    this.acquired.clear();
  }

  private answer(requestId: string, body: Record<string, unknown>, channel: Channel): AgencyReply {
    const refuse = (message: string) => jsonReply(200, { requestId, status: "REJECTED", message });
    if (!textOf(body.caseNumber) || !textOf(body.court)) return refuse("案号和法院代码不能为空");
    if (!textOf(body.purpose) || !textOf(body.officer)) return refuse("查询事由和承办人不能为空");
    const search = searchRegister(this.register, this.controls, { subject: body.subject, wire: SUBJECT, channel }, (flat) => [
      flat.certificateNumber,
      flat.encumbrances,
    ]);
    if ("refusal" in search) return refuse(search.refusal);
    const records = search.found.map(({ record: flat, encumbrances }) => ({
      certNo: flat.certificateNumber,
      location: flat.address,
      area: flat.areaSquareMetres,
      use: flat.usage,
      share: flat.share,
      appraisal: flat.appraisal,
      encumbrances: encumbrances.map((e) => ({
        type: e.type,
        authority: e.authority,
        docNo: e.reference,
        since: e.since,
        rank: e.rank,
        ...(e.amount && { amount: e.amount }),
      })),
    }));
    return jsonReply(200, { requestId, status: "OK", records });
  }
}
