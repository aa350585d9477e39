/**
 * Police assistance at the sandbox police (docs/AGENCY_PROTOCOLS.md, "POLICE:
 * assistance"; Henan enforcement decision (2020): 查找及临时控制被执行人、查扣车辆、限制出境). A request is
 * checked and taken on at once (a reference) or refused; its result is carried
 * out `processingMs` later and reported, signed, to the request's CallbackUrl.
 *
 * What the police keep, and check against:
 * - the exit-restriction register (边控): a restriction is registered when it is
 *   carried out; lifting needs a registered restriction, of the same person, by
 *   the court that asked for it, not already lifted or being lifted;
 * - vehicles held: a plate must be registered to the debtor (the vehicle
 *   registry's records, debtorProfile.ts), and one already seized or being
 *   seized is not seized again;
 * - persons: locating and temporary control find the debtor at their latest
 *   whereabouts, or report them not found when the police hold no record.
 * A repeated RequestId is the same request: agencyServer.ts answers it from the
 * stored original and nothing here runs again. The report, once sent, can be
 * asked for again (statusOf), for when it never reached the hub.
 */
import { isCalendarDate, todayInChina } from "../domain/calendarDate.js";
import { POLICE_ASSISTANCE_KINDS, type PoliceAssistanceKind } from "../domain/measures/policeAssistance.js";
import { textOf, type AgencyEnvironment } from "./agencyServer.js";
import { SignedCallbackSender } from "./callbacks.js";
import { chinaTime, httpUrlOf, type RegistryOptions } from "./controls.js";
import { debtorProfile } from "./debtorProfile.js";
import { debtorIdKind } from "./idNumbers.js";

interface Assistance {
  requestId: string;
  kind: PoliceAssistanceKind;
  reference: string;
  court: string;
  idNumber: string;
  plate?: string;
  until?: string;
  restrictionRef?: string;
  callbackUrl: string;
}

interface ExitRestriction {
  court: string;
  idNumber: string;
  until: string;
  borderControlRef: string;
  state: "REGISTERED" | "LIFTING" | "LIFTED";
}

type Report = Record<string, string>;

export type TakenOn = { ok: true; reference: string } | { ok: false; reason: string };

export class AssistanceDesk {
  /** Exit restrictions by the RequestId of the RESTRICT_EXIT request that registered them. */
  private readonly restrictions = new Map<string, ExitRestriction>();
  /** Each report sent, by RequestId, for the police's status query (a report the hub never received). */
  private readonly sent = new Map<string, string>();
  /** RequestIds taken on and not yet reported. */
  private readonly pending = new Set<string>();
  /** Plates seized or being seized. */
  private readonly seized = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly reports: SignedCallbackSender;
  private readonly now: () => Date;
  private sequence = 0;

  constructor(
    private readonly environment: AgencyEnvironment,
    secret: string,
    options: RegistryOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.reports = new SignedCallbackSender(environment.stats, secret);
  }

  takeOn(requestId: string, fields: Record<string, unknown>): TakenOn {
    const refuse = (reason: string): TakenOn => ({ ok: false, reason });
    const kind = textOf(fields.Kind) as PoliceAssistanceKind | undefined;
    if (!kind || !POLICE_ASSISTANCE_KINDS.includes(kind)) return refuse(`Kind must be one of ${POLICE_ASSISTANCE_KINDS.join("|")}`);
    const court = textOf(fields.Court);
    if (!textOf(fields.CaseNumber) || !court) return refuse("案号和法院代码不能为空");
    if (!textOf(fields.Name)) return refuse("姓名不能为空");
    const judges = Array.isArray(fields.Judge) ? fields.Judge : [];
    if (
      !textOf(fields.DecisionNumber) ||
      !isCalendarDate(String(fields.DecisionDate)) ||
      judges.length === 0 ||
      !judges.every((j) => textOf(j))
    ) {
      return refuse("须附人民法院决定（文号、日期、作出决定的法官）");
    }
    const callbackUrl = httpUrlOf(fields.CallbackUrl);
    if (!callbackUrl) return refuse("CallbackUrl 须为 http(s) 地址");
    const idNumber = textOf(fields.IdNumber) ?? "";
    const idKind = debtorIdKind(idNumber);
    if (!idKind) return refuse("证件号码校验失败");
    if (idKind === "ORGANISATION" && kind !== "SEIZE_VEHICLE") return refuse("查找、临时控制和限制出境仅适用于自然人");

    const assistance: Assistance = { requestId, kind, reference: this.numbered("公协"), court, idNumber, callbackUrl };
    const refusal = this.checkTarget(assistance, fields);
    if (refusal) return refuse(refusal);
    this.schedule(assistance);
    return { ok: true, reference: assistance.reference };
  }

  /** The report of a request taken on, as sent (or PENDING until it is), or undefined for a request never taken on. */
  statusOf(requestId: string): { state: "PENDING" } | { state: "REPORTED"; report: string } | undefined {
    const report = this.sent.get(requestId);
    if (report !== undefined) return { state: "REPORTED", report };
    return this.pending.has(requestId) ? { state: "PENDING" } : undefined;
  }

  /** Forget every restriction and seizure, and cancel what is pending. */
  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.reports.reset();
    this.restrictions.clear();
    this.seized.clear();
    this.sent.clear();
    this.pending.clear();
    this.sequence = 0;
  }

  /** Checks what the kind acts on, reserving it (a plate, a restriction) until carried out; a refusal's reason otherwise. */
  private checkTarget(assistance: Assistance, fields: Record<string, unknown>): string | undefined {
    switch (assistance.kind) {
      case "SEIZE_VEHICLE": {
        const plate = textOf(fields.Plate);
        if (!plate) return "查扣车辆须提供号牌号码";
        if (!debtorProfile(assistance.idNumber, this.now()).vehicles.some((v) => v.plate === plate))
          return `车辆${plate}不登记在被执行人名下`;
        if (this.seized.has(plate)) return `车辆${plate}已被查扣`;
        this.seized.add(plate);
        assistance.plate = plate;
        return undefined;
      }
      case "RESTRICT_EXIT": {
        const from = String(fields.From);
        const until = String(fields.Until);
        if (!isCalendarDate(from) || !isCalendarDate(until)) return "限制出境须提供起止日期 YYYY-MM-DD";
        if (until < from) return `限制出境截止日${until}早于起始日${from}`;
        if (until < todayInChina(this.now())) return `限制出境截止日${until}已过`;
        assistance.until = until;
        return undefined;
      }
      case "LIFT_EXIT_RESTRICTION": {
        const ref = textOf(fields.RestrictionRef);
        const restriction = ref === undefined ? undefined : this.restrictions.get(ref);
        if (!ref || !restriction || restriction.idNumber !== assistance.idNumber) return `未找到对该人员的限制出境登记 ${ref ?? ""}`.trim();
        if (restriction.court !== assistance.court) return `只有决定限制出境的法院（${restriction.court}）可以解除`;
        if (restriction.state !== "REGISTERED") return `限制出境登记 ${ref} 已解除或正在解除`;
        restriction.state = "LIFTING";
        assistance.restrictionRef = ref;
        return undefined;
      }
      case "LOCATE_DEBTOR":
      case "TEMPORARY_CONTROL":
        return undefined;
    }
  }

  private schedule(assistance: Assistance): void {
    this.pending.add(assistance.requestId);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const report = {
        requestId: assistance.requestId,
        reference: assistance.reference,
        kind: assistance.kind,
        at: chinaTime(this.now()),
        ...this.carryOut(assistance),
      };
      const body = JSON.stringify(report);
      this.pending.delete(assistance.requestId);
      this.sent.set(assistance.requestId, body);
      this.reports.send(assistance.callbackUrl, body);
    }, this.environment.knobs.processingMs);
    this.timers.add(timer);
  }

  private carryOut(assistance: Assistance): Report {
    const done = (fields: Report): Report => ({ result: "DONE", ...fields });
    const household = debtorProfile(assistance.idNumber, this.now()).household;
    switch (assistance.kind) {
      case "LOCATE_DEBTOR":
      case "TEMPORARY_CONTROL": {
        if (!household) return { result: "UNSUCCESSFUL", reason: "经查找，未发现被执行人下落" };
        const place = household.whereabouts.at(-1)?.place ?? household.householdAddress;
        return assistance.kind === "LOCATE_DEBTOR" ? done({ place }) : done({ place, unit: household.registrationAuthority });
      }
      case "SEIZE_VEHICLE":
        return done({ plate: assistance.plate!, heldAt: "开封市公安局交通警察支队车辆停放场" });
      case "RESTRICT_EXIT": {
        const borderControlRef = this.numbered("边控");
        this.restrictions.set(assistance.requestId, {
          court: assistance.court,
          idNumber: assistance.idNumber,
          until: assistance.until!,
          borderControlRef,
          state: "REGISTERED",
        });
        return done({ borderControlRef, until: assistance.until! });
      }
      case "LIFT_EXIT_RESTRICTION":
        this.restrictions.get(assistance.restrictionRef!)!.state = "LIFTED";
        return done({ borderControlRef: this.numbered("撤控") });
    }
  }

  /** The police's numbers: 公协(2024)第000001号 for a request taken on, 边控…/撤控… at border control. */
  private numbered(prefix: string): string {
    this.sequence += 1;
    return `${prefix}(${todayInChina(this.now()).slice(0, 4)})第${String(this.sequence).padStart(6, "0")}号`;
  }
}
