/**
 * Police assistance (公安协助, Henan enforcement decision (2020): 查找及临时控制被执行人、查扣车辆、限制出境):
 * a case system asks the police, through the police connector, to locate a
 * debtor, take them under temporary control, seize their vehicle, restrict
 * their exit or lift that restriction. The decision each needs
 * (domain/measures/policeAssistance.ts) and the request's own fields are
 * checked before anything is written or sent; the assistance and its request
 * are then recorded together and dispatched. The police accept or refuse at
 * once and report the result later (assistanceReports.ts).
 */
import type { AssistanceCall } from "../../connectors/connector.js";
import { isCalendarDate, todayInChina } from "../../domain/calendarDate.js";
import type { CourtDecision } from "../../domain/measures/courtDecision.js";
import { checkPoliceAssistance, type PoliceAssistanceKind } from "../../domain/measures/policeAssistance.js";
import { requireRole, type Caller } from "../../gateway/auth/access.js";
import { assertCaseAdmits, findCaseAndDebtorForCaller, lockCaseAdmitting } from "../cases/caseAccess.js";
import type { Dispatcher } from "../../gateway/dispatch/dispatcher.js";
import { HubError, guardRefused, invalidField } from "../../gateway/errors.js";
import type { Sql } from "../../gateway/persistence/database.js";
import type { AgencyRoutes, ChannelName } from "../../gateway/routing/agencyRoutes.js";
import { recordAssistance } from "./policeAssistanceStore.js";
import { assistanceLifecycle } from "../../domain/assistance/assistanceLifecycle.js";

export interface PoliceAssistanceInput {
  caseNumber: string;
  debtorIdNumber: string;
  kind: PoliceAssistanceKind;
  /** SEIZE_VEHICLE: the plate. */
  plate?: string;
  /** RESTRICT_EXIT: first and last day. */
  exitRestriction?: { from: string; until: string };
  /** LIFT_EXIT_RESTRICTION: the RESTRICT_EXIT assistance of this case and debtor to lift. */
  liftsAssistanceId?: string;
  decision?: CourtDecision;
  channel?: ChannelName;
}

/** The fields each kind takes; any other given is a mistake the clerk should hear about, not something silently dropped. */
const FIELDS: Readonly<Record<PoliceAssistanceKind, readonly ("plate" | "exitRestriction" | "liftsAssistanceId")[]>> = {
  LOCATE_DEBTOR: [],
  TEMPORARY_CONTROL: [],
  SEIZE_VEHICLE: ["plate"],
  RESTRICT_EXIT: ["exitRestriction"],
  LIFT_EXIT_RESTRICTION: ["liftsAssistanceId"],
};

export class PoliceAssistanceService {
  constructor(
    private readonly deps: {
      sql: Sql;
      routes: AgencyRoutes;
      dispatcher: Dispatcher;
      lease: { owner: string; leaseMs: number };
      clock: () => Date;
    },
  ) {}

  async request(caller: Caller, input: PoliceAssistanceInput): Promise<{ assistanceId: string; created: boolean }> {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    const today = todayInChina(this.deps.clock());
    const checked = checkPoliceAssistance(input.kind, input.decision, today);
    if (!checked.ok) throw guardRefused(checked);
    const decision = checked.decision;
    for (const field of ["plate", "exitRestriction", "liftsAssistanceId"] as const) {
      if (input[field] != null && !FIELDS[input.kind].includes(field)) throw invalidField(field, `not taken by ${input.kind}`);
      if (input[field] == null && FIELDS[input.kind].includes(field)) throw invalidField(field, `required for ${input.kind}`);
    }
    const plate = input.plate?.trim().toUpperCase();
    if (plate === "") throw invalidField("plate", "the plate is required");
    const period = input.exitRestriction && this.checkPeriod(input.exitRestriction, today);
    if (input.liftsAssistanceId !== undefined && !/^[0-9a-f-]{36}$/i.test(input.liftsAssistanceId)) {
      throw invalidField("liftsAssistanceId", "not an assistance id this hub issued");
    }
    const { enforcementCase, debtor } = await findCaseAndDebtorForCaller(this.deps.sql, principal, input.caseNumber, input.debtorIdNumber);
    // Lifting an exit restriction undoes what binds the debtor, which even a case that is over must do.
    if (input.liftsAssistanceId === undefined) assertCaseAdmits(enforcementCase, "ASSISTANCE");
    const route = this.deps.routes.resolve("POLICE", input.channel ?? "NATIONAL", enforcementCase.division_code);

    const outcome = await this.deps.sql.transaction(async (tx) => {
      if (input.liftsAssistanceId === undefined) await lockCaseAdmitting(tx, enforcementCase, "ASSISTANCE", "SHARE");
      const restrictionRef =
        input.liftsAssistanceId === undefined
          ? undefined
          : await this.restrictionToLift(tx, input.liftsAssistanceId, enforcementCase.id, debtor.id);
      const call: Omit<AssistanceCall, "idempotencyKey" | "callbackUrl"> = {
        kind: input.kind,
        caseNumber: enforcementCase.case_number,
        courtCode: enforcementCase.court_code,
        debtor: { kind: debtor.kind, idNumber: debtor.id_number, name: debtor.name },
        plate,
        from: period?.from,
        until: period?.until,
        restrictionRef,
        decision: { number: decision.decisionNumber, date: decision.decisionDate, judges: [...decision.judges] },
        officer: principal.officer,
      };
      return recordAssistance(
        tx,
        {
          caseId: enforcementCase.id,
          debtorId: debtor.id,
          kind: input.kind,
          route,
          target: plate ?? input.liftsAssistanceId ?? "",
          plate: plate ?? null,
          restrictedFrom: period?.from ?? null,
          restrictedUntil: period?.until ?? null,
          liftsId: input.liftsAssistanceId ?? null,
          decisionNumber: decision.decisionNumber,
          decision,
          requestedBy: principal.officer,
        },
        call,
        {
          actorOrg: principal.org,
          actorOfficer: principal.officer,
          action: "POLICE_ASSISTANCE_REQUESTED",
          caseId: enforcementCase.id,
          debtorId: debtor.id,
          purpose: `POLICE ${input.kind}`,
          detail: {
            kind: input.kind,
            requiredDecision: checked.requiredDecision,
            decision,
            plate: plate ?? null,
            exitRestriction: period ?? null,
            liftsAssistanceId: input.liftsAssistanceId ?? null,
          },
        },
        this.deps.lease,
      );
    });
    if (outcome.request) this.deps.dispatcher.dispatch([outcome.request]);
    return { assistanceId: outcome.id, created: outcome.created };
  }

  private checkPeriod(period: { from: string; until: string }, today: string): { from: string; until: string } {
    if (!isCalendarDate(period.from)) throw invalidField("exitRestriction.from", "must be a YYYY-MM-DD calendar date");
    if (!isCalendarDate(period.until)) throw invalidField("exitRestriction.until", "must be a YYYY-MM-DD calendar date");
    if (period.until < period.from)
      throw invalidField("exitRestriction.until", `the last day ${period.until} is before the first ${period.from}`);
    if (period.until < today) throw invalidField("exitRestriction.until", `the last day ${period.until} has passed`);
    return period;
  }

  /**
   * The key the police know the restriction by. Locked, so that the restriction's own report and this lift
   * are ordered. Whether a restriction is registered is the police's to say: one still being carried out
   * may be lifted if it is registered by the time the lift arrives, and is refused otherwise.
   */
  private async restrictionToLift(tx: Pick<Sql, "query">, id: string, caseId: string, debtorId: string): Promise<string> {
    const [restriction] = await tx.query<{ status: string; request_id: string }>(
      `SELECT status::text AS status, request_id::text AS request_id FROM police_assistance
        WHERE id = $1::uuid AND case_id = $2::uuid AND debtor_id = $3::uuid AND kind = 'RESTRICT_EXIT' FOR UPDATE`,
      [id, caseId, debtorId],
    );
    if (!restriction) {
      throw new HubError("ASSISTANCE_NOT_FOUND", `no exit restriction ${id} of this debtor in this case`, { field: "liftsAssistanceId" });
    }
    if (assistanceLifecycle.isFinal(restriction.status)) {
      throw new HubError("EXIT_RESTRICTION_NOT_IN_FORCE", `exit restriction ${id} is ${restriction.status}; there is nothing to lift`, {
        field: "liftsAssistanceId",
        status: restriction.status,
      });
    }
    return restriction.request_id;
  }
}
