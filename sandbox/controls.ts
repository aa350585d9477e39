/**
 * Control measures (控) at the sandbox registries (docs/AGENCY_PROTOCOLS.md,
 * "Control measures"): the seal/seizure register of each asset and the
 * `POST {base}/…/controls` route that acts on it. The property registry
 * (certificate numbers, SEAL), the vehicle registry (plates, SEAL and SEIZE) and
 * the market regulator (equity by company credit code, FREEZE) speak the same
 * control protocol, so all use one ControlDesk configured with
 * their path, asset field, measure kinds and asset category. The register behind
 * it, MeasureRegister, knows no wire: an agency with a protocol of its own (the
 * securities depository) reads its messages into RegisterRequests and writes the
 * register's answers in its own words.
 *
 * The law the register applies:
 * - the first measure on an asset takes effect; later ones, by any court, queue
 *   (轮候) in the order they were registered, rank 1 being the one in effect;
 * - when the measure in effect is released or lapses, the earliest queued one
 *   takes effect automatically (查扣冻规定 2020 art. 26) and the registry reports
 *   TOOK_EFFECT, signed, to the callbackUrl of that measure's SEAL/SEIZE/FREEZE request;
 * - a measure lapses once its last day `to` has passed, China time, unless renewed
 *   before (查扣冻规定 art. 27); maximum periods and renewals follow 民诉法解释 art. 485
 *   (the hub's own rules in domain/measures, so registry and hub never disagree).
 * Lapses are noticed whenever the asset is next looked at (an inquiry or a control
 * request touching it), which is when a real registry's clerk would see them.
 *
 * Seals recorded in the synthetic profile before the sandbox first touches an
 * asset (another court's seal) are taken into the register as measures in effect
 * with no known end: they are never released here, so the hub's seal stays queued.
 */
import { isCalendarDate, todayInChina } from "../domain/calendarDate.js";
import { hasLapsed } from "../domain/measures/lapse.js";
import { checkPeriod } from "../domain/measures/maximumPeriod.js";
import type { AssetCategory } from "../domain/measures/measureKinds.js";
import { periodOnTakingEffect } from "../domain/measures/queuedPeriod.js";
import { checkRenewal } from "../domain/measures/renewal.js";
import { formatYuan, parseYuan } from "../domain/measures/yuan.js";
import {
  jsonObjectOf,
  jsonReply,
  reachableOn,
  textOf,
  type AgencyReply,
  type AgencyRequest,
  type Channel,
  type Route,
  type Lookup,
  type SandboxStats,
  type Submission,
} from "./agencyServer.js";
import { SignedCallbackSender } from "./callbacks.js";
import type { Encumbrance } from "./debtorProfile.js";
import { declaredKindOf, SUBJECT_TYPES, subjectRefusal } from "./idNumbers.js";

/** The measures a registry holds on an asset, as named in the `action` field. */
export type WireMeasureKind = "SEAL" | "SEIZE" | "FREEZE";
/** A deduction (划拨) is a transfer out of a freeze in effect, done once: never held on the asset, never released. */
type Action = WireMeasureKind | "DEDUCT" | "RELEASE" | "RENEW";
export type MeasureStatus = "EFFECTIVE" | "QUEUED" | "RELEASED" | "LAPSED";

export interface Measure {
  /** The Idempotency-Key of the SEAL/SEIZE/FREEZE request; undefined for a measure found in the profile. */
  readonly measureRef: string | undefined;
  readonly kind: WireMeasureKind;
  /** Certificate number or plate. */
  readonly asset: string;
  readonly divisionCode: string;
  readonly subjectIdNumber: string | undefined;
  /** Court code (the court's name for a measure found in the profile). */
  readonly court: string;
  readonly caseNumber: string | undefined;
  readonly noticeNumber: string;
  /** First day in force; a queued measure's period moves to the day it takes effect (queuedPeriod.ts). */
  from: string;
  /** Last day in force; undefined when unknown (a measure found in the profile). */
  to: string | undefined;
  status: MeasureStatus;
  /** 1 in effect, 2… queued; undefined once ended. */
  rank: number | undefined;
  effectiveFrom: string | undefined;
  registrationNo: string | undefined;
  releasedAt: string | undefined;
  readonly callbackUrl: string | undefined;
}

/** How a sandbox registry may be set up beside its environment and secret. */
export interface RegistryOptions {
  /** The registry's clock, for lapses and registration times; tests may pin it. Defaults to the real time. */
  now?: () => Date;
}

/** An asset as the registry holds it for the subject of a request. */
export interface HeldAsset {
  divisionCode: string;
  /** As recorded in the profile, mortgages and earlier seals included. */
  encumbrances: readonly Encumbrance[];
}

/** The register of measures on a kind of asset, whatever wire the agency speaks. */
export interface MeasureRegisterOptions extends RegistryOptions {
  kinds: readonly (WireMeasureKind | "DEDUCT")[];
  /** For the maximum periods of 民诉法解释 art. 485. */
  category: AssetCategory;
  /** The asset when it is registered to the subject, undefined when it is not. */
  holding(idNumber: string, asset: string): HeldAsset | undefined;
  /** Refusal when the subject holds no such asset. */
  notHeld: string;
  /** What the registry registers, starting its registration numbers: 不动产 → 不动产查封登记(2024)第000001号. */
  registers: string;
  /** Where the measure reports are counted. */
  stats: SandboxStats;
  /** Signs the measure reports. */
  secret: string;
  /** For a money claim that may be deducted (a tax refund): what the subject is owed on the asset, decimal yuan. */
  balance?: (idNumber: string, asset: string) => string;
  /** The body of a TOOK_EFFECT report in the agency's own wire; default the registries' control protocol's. */
  reportBody?: (report: TookEffect) => string;
}

/** The registries' control protocol on top of the register. */
export interface ControlDeskOptions extends MeasureRegisterOptions {
  /** Below the channel base, e.g. "/v1/controls". */
  path: string;
  /** The body field naming the asset. */
  assetField: "certNo" | "plate" | "uscc" | "refundNo";
  /** For an agency that signs every exchange (the tax bureau): its refusal of a request whose signature fails, else undefined. */
  authenticate?: (request: AgencyRequest) => AgencyReply | undefined;
}

/** A queued measure took effect: what the agency reports to the hub, in its own wire. */
export interface TookEffect {
  measureRef: string;
  effectiveFrom: string;
  registrationNo: string;
}

/** A control request as the register reads it, whatever the wire carried it in. */
export interface RegisterRequest {
  key: string;
  action: Action;
  court: string;
  caseNumber: string;
  asset: string;
  subject: { type: "PERSON" | "ORG"; idNumber: string; name: string };
  from: string | undefined;
  to: string | undefined;
  measureRef: string | undefined;
  /** DEDUCT: yuan, decimal. */
  amount: string | undefined;
  noticeNumber: string;
  callbackUrl: string;
}

/** The register's answer, in the registries' control protocol's fields (requestId, status, …). */
export type RegisterReply = Record<string, unknown>;

const KIND_NAMES: Readonly<Record<WireMeasureKind | "DEDUCT", string>> = { SEAL: "查封", SEIZE: "扣押", FREEZE: "冻结", DEDUCT: "划拨" };
/** How a measure shows among an asset's encumbrances; mortgages and pledges are rights, not measures, and are shown as recorded. */
const ENCUMBRANCE_OF_KIND: Readonly<Record<WireMeasureKind, Encumbrance["type"]>> = { SEAL: "SEAL", SEIZE: "SEIZURE", FREEZE: "FREEZE" };

function kindOfEncumbrance(encumbrance: Encumbrance): WireMeasureKind | undefined {
  return (Object.keys(ENCUMBRANCE_OF_KIND) as WireMeasureKind[]).find((kind) => ENCUMBRANCE_OF_KIND[kind] === encumbrance.type);
}

const CHINA_UTC_OFFSET_MS = 8 * 3_600_000;

const isLive = (measure: Measure) => measure.status === "EFFECTIVE" || measure.status === "QUEUED";

/**
 * `GET {base}/…/requests/{key}`: what became of an inquiry or control request the
 * registry may have received, the same at both registries.
 */
export function registryLookupRoute(path: string): Route {
  return {
    method: "GET",
    path,
    handle: ({ params }): Lookup => ({
      lookupKey: params.key,
      unknown: jsonReply(404, { requestId: params.key, status: "UNKNOWN", message: "未收到该请求" }),
    }),
  };
}

export class MeasureRegister {
  /** Every measure ever registered on an asset, in order of registration. */
  private readonly assets = new Map<string, Measure[]>();
  private readonly byRef = new Map<string, Measure>();
  private sequence = 0;
  /** Cents deducted so far from each asset (a money claim), by every court. */
  private readonly deducted = new Map<string, bigint>();
  private readonly reports: SignedCallbackSender;
  private readonly now: () => Date;

  constructor(private readonly options: MeasureRegisterOptions) {
    this.now = options.now ?? (() => new Date());
    this.reports = new SignedCallbackSender(options.stats, options.secret);
  }

  /**
   * The encumbrances an inquiry shows for an asset: the profile's as they are
   * while no control request has touched the asset, then its mortgages and the
   * measures in force (in effect, queued) by rank.
   */
  encumbrancesOf(asset: string, recorded: readonly Encumbrance[]): Encumbrance[] {
    const measures = this.assets.get(asset);
    if (!measures) return [...recorded];
    this.advance(measures);
    return [
      ...recorded.filter((e) => kindOfEncumbrance(e) === undefined),
      ...measures.filter(isLive).map(
        (m): Encumbrance => ({
          type: ENCUMBRANCE_OF_KIND[m.kind],
          authority: m.court,
          reference: m.noticeNumber,
          since: m.from,
          rank: m.rank ?? 0,
        }),
      ),
    ];
  }

  /** Yuan deducted so far from an asset (a money claim), by every court. */
  deductedFrom(asset: string): string {
    return formatYuan(this.deducted.get(asset) ?? 0n);
  }

  /** Forget every measure and cancel pending reports. */
  reset(): void {
    this.reports.reset();
    this.assets.clear();
    this.byRef.clear();
    this.deducted.clear();
    this.sequence = 0;
  }

  /** Carry out a request read from the agency's wire, on the assets the channel reaches. */
  carryOut(request: RegisterRequest, channel: Channel): RegisterReply {
    const refuse = (message: string): RegisterReply => ({ requestId: request.key, status: "REJECTED", message });
    const { subject } = request;
    const refusal = subjectRefusal(
      { ...subject, declaredKind: declaredKindOf(SUBJECT_TYPES, subject.type) },
      { name: "被执行人名称", type: "主体类型" },
    );
    if (refusal) return refuse(refusal);
    if (request.action === "DEDUCT") return this.deduct(request, channel, refuse);
    if (request.action !== "RELEASE" && request.action !== "RENEW") return this.apply(request, request.action, channel, refuse);

    const measure = this.find(request.measureRef!);
    if (!measure) return refuse(`未找到查封、扣押、冻结登记 ${request.measureRef}`);
    const name = KIND_NAMES[measure.kind];
    if (measure.asset !== request.asset) return refuse(`${name}登记 ${request.measureRef} 不是对 ${request.asset} 的${name}`);
    if (measure.subjectIdNumber !== request.subject.idNumber) return refuse(`被执行人与${name}登记不符`);
    if (measure.court !== request.court) return refuse(`只有原${name}法院（${measure.court}）可以解除或续行`);
    if (!reachableOn(channel, measure.divisionCode)) return refuse("该财产不属本登记机构管辖");
    return request.action === "RELEASE" ? this.release(request, measure, refuse) : this.renew(request, measure, refuse);
  }

  private apply(
    request: RegisterRequest,
    kind: WireMeasureKind,
    channel: Channel,
    refuse: (message: string) => RegisterReply,
  ): RegisterReply {
    const name = KIND_NAMES[kind];
    const held = this.options.holding(request.subject.idNumber, request.asset);
    if (!held) return refuse(this.options.notHeld);
    if (!reachableOn(channel, held.divisionCode)) return refuse("该财产不属本登记机构管辖");
    const from = request.from!;
    const to = request.to!;
    const period = checkPeriod(kind, this.options.category, from, to);
    if (!period.ok) {
      if (period.code === "PERIOD_TOO_LONG") {
        return refuse(
          `${name}期限超过法定最长期限${period.maximumMonths}个月（民诉法解释第四百八十五条）：自${from}起最迟至${period.latestEndDate}`,
        );
      }
      if (period.code === "END_NOT_AFTER_START") return refuse(`${name}期限截止日${to}须晚于起始日${from}`);
      return refuse(period.reason);
    }
    const now = this.now();
    if (hasLapsed(to, now)) return refuse(`${name}期限已于${to}届满`);

    const measures = this.measuresOn(request.asset, held);
    const inForce = measures.filter(isLive).length;
    const effective = inForce === 0;
    const measure: Measure = {
      measureRef: request.key,
      kind,
      asset: request.asset,
      divisionCode: held.divisionCode,
      subjectIdNumber: request.subject.idNumber,
      court: request.court,
      caseNumber: request.caseNumber,
      noticeNumber: request.noticeNumber,
      from,
      to,
      status: effective ? "EFFECTIVE" : "QUEUED",
      rank: inForce + 1,
      effectiveFrom: effective ? chinaTime(now) : undefined,
      registrationNo: effective ? this.registrationNo(kind, now) : undefined,
      releasedAt: undefined,
      callbackUrl: request.callbackUrl,
    };
    measures.push(measure);
    this.byRef.set(request.key, measure);
    return effective
      ? { requestId: request.key, status: "EFFECTIVE", effectiveFrom: measure.effectiveFrom, registrationNo: measure.registrationNo }
      : { requestId: request.key, status: "QUEUED", rank: measure.rank };
  }

  /** Out of the requesting court's freeze in effect on the asset, at most what is owed on it less earlier deductions. */
  private deduct(request: RegisterRequest, channel: Channel, refuse: (message: string) => RegisterReply): RegisterReply {
    const freeze = this.find(request.measureRef!);
    if (freeze?.kind !== "FREEZE") return refuse(`未找到冻结登记 ${request.measureRef}`);
    if (freeze.asset !== request.asset || freeze.subjectIdNumber !== request.subject.idNumber) return refuse("划拨的财产与冻结登记不符");
    if (freeze.court !== request.court) return refuse(`只能划拨本院的冻结（冻结法院：${freeze.court}）`);
    if (freeze.status !== "EFFECTIVE") return refuse("冻结未生效，不能划拨");
    if (!reachableOn(channel, freeze.divisionCode)) return refuse("该财产不属本机关管辖");
    const owed = parseYuan(this.options.balance?.(request.subject.idNumber, request.asset) ?? "0.00");
    const asked = parseYuan(request.amount!);
    if (!owed.ok || !asked.ok) return refuse("金额格式错误");
    const remaining = owed.cents - (this.deducted.get(request.asset) ?? 0n);
    if (asked.cents > remaining) return refuse(`划拨金额超过可划拨余额 ${formatYuan(remaining)} 元`);
    this.deducted.set(request.asset, (this.deducted.get(request.asset) ?? 0n) + asked.cents);
    const now = this.now();
    return {
      requestId: request.key,
      status: "EFFECTIVE",
      effectiveFrom: chinaTime(now),
      registrationNo: this.registrationNo("DEDUCT", now),
    };
  }

  private release(request: RegisterRequest, measure: Measure, refuse: (message: string) => RegisterReply): RegisterReply {
    if (measure.status === "LAPSED") return refuse(`${KIND_NAMES[measure.kind]}已于${measure.to}届满失效，无需解除`);
    if (measure.status !== "RELEASED") {
      measure.status = "RELEASED";
      measure.releasedAt = chinaTime(this.now());
      this.advance(this.assets.get(measure.asset)!);
    }
    return { requestId: request.key, status: "RELEASED", releasedAt: measure.releasedAt };
  }

  private renew(request: RegisterRequest, measure: Measure, refuse: (message: string) => RegisterReply): RegisterReply {
    const name = KIND_NAMES[measure.kind];
    if (measure.status === "RELEASED") return refuse(`${name}已于${measure.releasedAt}解除，不能续行`);
    if (measure.status === "LAPSED") return refuse(`${name}已于${measure.to}届满失效，不能续行，须重新${name}`);
    const to = request.to!;
    const renewal = checkRenewal(
      { kind: measure.kind, category: this.options.category, expiresOn: measure.to! },
      todayInChina(this.now()),
      to,
    );
    if (!renewal.ok) {
      if (renewal.code === "RENEWAL_NOT_EXTENDING") return refuse(`续行期限${to}须晚于原期限${measure.to}`);
      if (renewal.code === "RENEWAL_TOO_LONG") {
        return refuse(
          `续行期限不得超过${renewal.maximumMonths}个月（民诉法解释第四百八十五条）：自${measure.to}起最迟至${renewal.latestExpiresOn}`,
        );
      }
      return refuse(renewal.reason);
    }
    measure.to = to;
    return { requestId: request.key, status: "RENEWED", to };
  }

  /** A measure registered here, with its asset's register brought up to date. */
  private find(measureRef: string): Measure | undefined {
    const measure = this.byRef.get(measureRef);
    if (measure) this.advance(this.assets.get(measure.asset)!);
    return measure;
  }

  /** The register of an asset, up to date; on first use, the profile's seals are taken in as measures in effect. */
  private measuresOn(asset: string, held: HeldAsset): Measure[] {
    let measures = this.assets.get(asset);
    if (!measures) {
      measures = held.encumbrances
        .flatMap((e) => {
          const kind = kindOfEncumbrance(e);
          return kind ? [{ kind, encumbrance: e }] : [];
        })
        .map(
          ({ kind, encumbrance: e }, index): Measure => ({
            measureRef: undefined,
            kind,
            asset,
            divisionCode: held.divisionCode,
            subjectIdNumber: undefined,
            court: e.authority,
            caseNumber: undefined,
            noticeNumber: e.reference,
            from: e.since,
            to: undefined,
            status: index === 0 ? "EFFECTIVE" : "QUEUED",
            rank: index + 1,
            effectiveFrom: undefined,
            registrationNo: undefined,
            releasedAt: undefined,
            callbackUrl: undefined,
          }),
        );
      this.assets.set(asset, measures);
    }
    this.advance(measures);
    return measures;
  }

  /**
   * Lapse what has run out, let the earliest queued measure take effect when none
   * is in effect any more (查扣冻规定 art. 26), report it, and renumber the ranks.
   * The measure in effect is always the earliest registered one still in force.
   */
  private advance(measures: Measure[]): void {
    const now = this.now();
    for (const measure of measures) {
      if (isLive(measure) && measure.to !== undefined && hasLapsed(measure.to, now)) measure.status = "LAPSED";
    }
    if (!measures.some((m) => m.status === "EFFECTIVE")) {
      const next = measures.find((m) => m.status === "QUEUED");
      if (next) {
        next.status = "EFFECTIVE";
        next.effectiveFrom = chinaTime(now);
        if (next.to !== undefined) {
          const period = periodOnTakingEffect(
            { kind: next.kind, category: this.options.category, startsOn: next.from, expiresOn: next.to },
            todayInChina(now),
          );
          if (period.ok) [next.from, next.to] = [period.startsOn, period.expiresOn];
        }
        next.registrationNo = this.registrationNo(next.kind, now);
        if (next.callbackUrl && next.measureRef) {
          const report = { measureRef: next.measureRef, effectiveFrom: next.effectiveFrom, registrationNo: next.registrationNo };
          this.reports.send(next.callbackUrl, this.options.reportBody?.(report) ?? JSON.stringify({ event: "TOOK_EFFECT", ...report }));
        }
      }
    }
    let rank = 0;
    for (const measure of measures) measure.rank = isLive(measure) ? ++rank : undefined;
  }

  private registrationNo(kind: WireMeasureKind | "DEDUCT", now: Date): string {
    this.sequence++;
    return `${this.options.registers}${KIND_NAMES[kind]}登记(${todayInChina(now).slice(0, 4)})第${String(this.sequence).padStart(6, "0")}号`;
  }
}

/** The registries' control protocol (`POST {base}/…/controls`, Idempotency-Key) in front of the register. */
export class ControlDesk extends MeasureRegister {
  readonly route: Route;

  constructor(private readonly desk: ControlDeskOptions) {
    super(desk);
    this.route = { method: "POST", path: desk.path, handle: (request) => this.submit(request) };
  }

  private submit(request: AgencyRequest): AgencyReply | Submission {
    const unauthenticated = this.desk.authenticate?.(request);
    if (unauthenticated) return unauthenticated;
    const key = textOf(request.headers["idempotency-key"]);
    const parsed = this.parse(request, key);
    if (typeof parsed === "string") return jsonReply(400, { requestId: key ?? null, status: "REJECTED", message: parsed });
    return { idempotencyKey: parsed.key, execute: () => jsonReply(200, this.carryOut(parsed, request.channel)) };
  }

  /** The request, or what makes it malformed (answered 400, never executed nor stored). */
  private parse(request: AgencyRequest, key: string | undefined): RegisterRequest | string {
    const body = jsonObjectOf(request);
    if (!body) return "body is not a JSON object";
    if (!key) return "Idempotency-Key header is required";
    if (body.requestId !== key) return "requestId must equal the Idempotency-Key header";
    const actions: readonly string[] = [...this.desk.kinds, "RELEASE", "RENEW"];
    if (typeof body.action !== "string" || !actions.includes(body.action)) return `action must be one of ${actions.join("|")}`;
    const action = body.action as Action;
    const caseNumber = textOf(body.caseNumber);
    const court = textOf(body.court);
    if (!caseNumber || !court) return "caseNumber and court are required";
    const asset = textOf(body[this.desk.assetField]);
    if (!asset) return `${this.desk.assetField} is required`;
    const subject = objectOf(body.subject);
    if (!subject || !(subject.type === "PERSON" || subject.type === "ORG") || !textOf(subject.idNumber) || !textOf(subject.name)) {
      return "subject must be {type: PERSON|ORG, idNumber, name}";
    }
    // As in the hub's decoders, absent and null both mean "not given".
    for (const field of ["from", "to"] as const) {
      if (body[field] != null && !isDate(body[field])) return `${field} must be a date YYYY-MM-DD`;
    }
    const from = (body.from ?? undefined) as string | undefined;
    const to = (body.to ?? undefined) as string | undefined;
    const measureRef = textOf(body.measureRef);
    if (action !== "RELEASE" && action !== "RENEW" && action !== "DEDUCT" && (!from || !to)) return `${action} requires from and to`;
    const amount = textOf(body.amount);
    if (action === "DEDUCT" && (!measureRef || !amount || !parseYuan(amount).ok)) {
      return "DEDUCT requires measureRef, the key of the FREEZE request, and amount, yuan";
    }
    if ((action === "RELEASE" || action === "RENEW") && !measureRef)
      return `${action} requires measureRef, the key of the ${this.desk.kinds.join("/")} request`;
    if (action === "RENEW" && !to) return "RENEW requires to, the new last day";
    const notice = objectOf(body.notice);
    if (!notice || !textOf(notice.number) || !isDate(notice.date)) return "notice must be {number, date YYYY-MM-DD}";
    const decision = objectOf(body.decision);
    const judges = decision?.judges;
    if (
      !decision ||
      !textOf(decision.number) ||
      !isDate(decision.date) ||
      !Array.isArray(judges) ||
      judges.length === 0 ||
      !judges.every((j) => textOf(j))
    ) {
      return "decision must be {number, date YYYY-MM-DD, judges: [name, …]}";
    }
    if (body.officer != null && !textOf(body.officer)) return "officer, when given, must be a name";
    const callbackUrl = httpUrlOf(body.callbackUrl);
    if (!callbackUrl) return "callbackUrl must be an http(s) URL";
    return {
      key,
      action,
      court,
      caseNumber,
      asset,
      subject: { type: subject.type, idNumber: textOf(subject.idNumber)!, name: textOf(subject.name)! },
      from,
      to,
      measureRef,
      amount,
      noticeNumber: textOf(notice.number)!,
      callbackUrl,
    };
  }
}

export function objectOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function isDate(value: unknown): boolean {
  return typeof value === "string" && isCalendarDate(value);
}

/** The URL when it is an absolute http(s) URL, undefined otherwise. */
export function httpUrlOf(value: unknown): string | undefined {
  if (typeof value !== "string" || !URL.canParse(value)) return undefined;
  return /^https?:$/.test(new URL(value).protocol) ? value : undefined;
}

/** ISO-8601 with the China offset, as the registries write times: 2024-03-01T10:15:30.123+08:00. */
export function chinaTime(at: Date): string {
  return `${new Date(at.getTime() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 23)}+08:00`;
}
