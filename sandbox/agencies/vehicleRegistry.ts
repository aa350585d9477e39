/**
 * 车管所: asynchronous ticket, poll. `POST {base}/api/queries` hands out a
 * VQ- ticket; `GET {base}/api/queries/{ticket}` says PROCESSING until the
 * processing time has passed, then DONE with the vehicles (or REJECTED). A
 * local office answers only for vehicles registered in its own division.
 * `POST {base}/api/controls` seals (查封) or seizes (扣押) a vehicle, releases and
 * renews, answering at once (sandbox/controls.ts); the measures then show among
 * the vehicle's restrictions in every later inquiry, by any court.
 * `GET {base}/api/requests/{key}` says what became of either kind of request.
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
import { debtorProfile, type Vehicle } from "../debtorProfile.js";
import { Register } from "../register.js";
import { registryInquiryRoute, searchRegister, type SubjectWire } from "../registrySearch.js";
import { TicketBook } from "../tickets.js";

/** The vehicle registry names the ID's kind, not the subject's. */
const OWNER: SubjectWire = {
  name: "name",
  idNumber: "idNo",
  kind: "idType",
  kinds: { RESIDENT_ID: "PERSON", CREDIT_CODE: "ORGANISATION" },
  words: { name: "车主名称", type: "证件类型" },
};

type Finding = { state: "DONE"; vehicles: unknown[] } | { state: "REJECTED"; reason: string };

export class VehicleRegistry implements Agency {
  private readonly register = new Register<Vehicle>((idNumber) => debtorProfile(idNumber).vehicles);
  private readonly tickets = new TicketBook<Finding>("VQ");
  private readonly controls: ControlDesk;

  readonly routes: readonly Route[];

  /** `secret` signs the measure reports (TOOK_EFFECT) POSTed to the hub. */
  constructor(
    private readonly environment: AgencyEnvironment,
    secret: string,
    options: RegistryOptions = {},
  ) {
    this.controls = new ControlDesk({
      path: "/api/controls",
      assetField: "plate",
      kinds: ["SEAL", "SEIZE"],
      category: "MOVABLE",
      holding: (idNumber, plate) => {
        const vehicle = this.register.of(idNumber).find((v) => v.plate === plate);
        return vehicle && { divisionCode: vehicle.divisionCode, encumbrances: vehicle.restrictions };
      },
      notHeld: "该车辆不登记在被执行人名下",
      registers: "机动车",
      stats: environment.stats,
      secret,
      now: options.now,
    });
    this.routes = [
      registryInquiryRoute(this, { path: "/api/queries", keyHeader: "Idempotency-Key", keyField: "reqId" }, (_key, body, channel) => {
        const processingMs = this.environment.knobs.processingMs;
        const ticket = this.tickets.issue(this.search(body, channel), processingMs);
        return jsonReply(202, { ticket, retryAfterMs: processingMs });
      }),
      { method: "GET", path: "/api/queries/:ticket", poll: true, handle: (request) => this.poll(request.params.ticket) },
      this.controls.route,
      registryLookupRoute("/api/requests/:key"),
    ];
  }

  errorReply(status: number, message: string): AgencyReply {
    return jsonReply(status, { state: "REJECTED", reason: message });
  }

  reset(): void {
    this.controls.reset();
    this.register.clear();
    this.tickets.clear();
  }

  private poll(ticket: string): AgencyReply {
    const status = this.tickets.status(ticket);
    if (!status) return this.errorReply(404, `unknown ticket ${ticket}`);
    if (!status.ready) return jsonReply(200, { state: "PROCESSING", retryAfterMs: Math.ceil(status.remainingMs) });
    return jsonReply(200, status.answer);
  }

  private search(body: Record<string, unknown>, channel: Channel): Finding {
    const reject = (reason: string): Finding => ({ state: "REJECTED", reason });
    if (!textOf(body.case) || !textOf(body.court)) return reject("案号和法院代码不能为空");
    const search = searchRegister(this.register, this.controls, { subject: body.owner, wire: OWNER, channel }, (vehicle) => [
      vehicle.plate,
      vehicle.restrictions,
    ]);
    if ("refusal" in search) return reject(search.refusal);
    const vehicles = search.found.map(({ record: v, encumbrances }) => ({
      plate: v.plate,
      vin: v.vin,
      make: v.make,
      model: v.model,
      color: v.colour,
      firstRegistered: v.firstRegistered,
      valuation: v.valuation,
      restrictions: encumbrances.map((r) => ({ kind: r.type, by: r.authority, ref: r.reference, since: r.since, rank: r.rank })),
    }));
    return { state: "DONE", vehicles };
  }
}
