/**
 * Moving a case through its life (domain/cases/caseLifecycle.ts): suspension, 终本, termination, closure and
 * continuing after a suspension. Only the case's own court takes a step: supervisors see cases but do not decide
 * them. Each step locks the case row, so two steps at once cannot both pass, and writes the new status, its
 * history row and its audit row in one transaction.
 */
import { randomUUID } from "node:crypto";
import { todayInChina } from "../../domain/calendarDate.js";
import { CASE_STATUS_NAMES, caseLifecycle, type CaseEvent, type CaseStatus } from "../../domain/cases/caseLifecycle.js";
import { nextReinquiry } from "../../domain/cases/conclusionWatch.js";
import { unmetConclusionConditions, type ConclusionFacts } from "../../domain/cases/conclusionConditions.js";
import { appendAudit } from "../../gateway/audit/auditEvent.js";
import { requireRole, type Caller } from "../../gateway/auth/access.js";
import type { Principal } from "../../gateway/auth/principal.js";
import { HubError, invalidField } from "../../gateway/errors.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { sqlList } from "../../gateway/persistence/lifecycleSql.js";
import { lookUpCaseForCaller } from "./caseAccess.js";

type Tx = Pick<Sql, "query">;

/** The steps a court takes on a case in place; RESUME opens a new case (caseResumption.ts). */
export type CaseStepEvent = Exclude<CaseEvent, "RESUME">;

/** What the court records for 终本 (法〔2016〕373号 arts. 1, 3, 5); the hub counts the network inquiries itself. */
export type ConclusionRecord = Pick<ConclusionFacts, "propertyInvestigation" | "measuresTaken" | "creditorHeardOn" | "creditorOpinion">;

export interface CaseStepInput {
  caseNumber: string;
  event: CaseStepEvent;
  /** Why, as the court's decision states it (the ground of 中止 or 终结, the performance that closed the case). */
  reason: string;
  /** Required for CONCLUDE. */
  conclusion?: ConclusionRecord;
}

export interface LockedCase {
  id: string;
  case_number: string;
  court_code: string;
  status: CaseStatus;
  created_at: Date;
}

export class CaseSteps {
  constructor(private readonly deps: { sql: Sql; clock: () => Date }) {}

  /** The case's id once the step is recorded. */
  async take(caller: Caller, input: CaseStepInput): Promise<string> {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    const reason = requireReason(input.reason);
    if (input.event === "CONCLUDE" && !input.conclusion) throw invalidField("conclusion", "终本 needs its conditions recorded");
    return this.deps.sql.transaction(async (tx) => {
      const locked = await lockOwnCase(tx, principal, input.caseNumber);
      const to = nextStatus(locked, input.event);
      const facts = input.event === "CONCLUDE" ? await this.conclusionFacts(tx, locked, input.conclusion!) : {};
      await recordStep(tx, principal, locked, input.event, to, reason, facts, this.deps.clock());
      if (input.event === "CONCLUDE") await startWatch(tx, locked.id, todayInChina(this.deps.clock()));
      return locked.id;
    });
  }

  private async conclusionFacts(tx: Tx, locked: LockedCase, record: ConclusionRecord): Promise<ConclusionFacts> {
    const [{ count }] = await tx.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM inquiry WHERE case_id = $1::uuid AND channel = 'NATIONAL' AND completed_at IS NOT NULL`,
      [locked.id],
    );
    const facts: ConclusionFacts = {
      ...record,
      registeredOn: todayInChina(locked.created_at),
      today: todayInChina(this.deps.clock()),
      networkInquiries: count,
    };
    const unmet = unmetConclusionConditions(facts);
    if (unmet.length > 0) {
      throw new HubError("CONCLUSION_CONDITIONS_UNMET", `case ${locked.case_number} may not be concluded (终本) yet: ${unmet.join(", ")}`, {
        unmet,
        networkInquiries: count,
      });
    }
    return facts;
  }
}

/** 法〔2016〕373号 art. 16: from 终本 on, the hub re-inquires every six months (conclusionWatch.ts). */
async function startWatch(tx: Tx, caseId: string, concludedOn: string): Promise<void> {
  const first = nextReinquiry(concludedOn, 0, concludedOn);
  await tx.query(
    `INSERT INTO conclusion_watch (case_id, concluded_on, next_round, next_due_on) VALUES ($1::uuid, $2::date, $3, $4::date)`,
    [caseId, concludedOn, first?.round ?? null, first?.dueOn ?? null],
  );
}

function requireReason(reason: string): string {
  const trimmed = reason.trim();
  if (!trimmed) throw invalidField("reason", "a step of a case states its reason");
  return trimmed;
}

/** The case, row-locked, if it is the caller's own court's: supervisors and other courts are refused. */
export async function lockOwnCase(tx: Tx, principal: Principal, caseNumber: string): Promise<LockedCase> {
  const locked = await lookUpCaseForCaller(principal, caseNumber, async (number) => {
    const [row] = await tx.query<LockedCase>(
      `SELECT id::text AS id, case_number, court_code, status::text AS status, created_at FROM enforcement_case
        WHERE case_number = $1 FOR UPDATE`,
      [number],
    );
    return row;
  });
  if (locked.court_code !== principal.org) {
    throw new HubError("FORBIDDEN", `only court ${locked.court_code} decides the course of case ${locked.case_number}`, {
      reason: "OTHER_COURTS_CASE",
    });
  }
  return locked;
}

/** Where the event takes the case, or CASE_STEP_NOT_ALLOWED naming the state it is in. */
export function nextStatus(locked: LockedCase, event: CaseEvent): CaseStatus {
  const to = caseLifecycle.next(locked.status, event);
  if (to === undefined) {
    throw new HubError(
      "CASE_STEP_NOT_ALLOWED",
      `case ${locked.case_number} is ${locked.status} (${CASE_STATUS_NAMES[locked.status]}); ${event} applies only to ` +
        caseLifecycle.statusesFrom(event).join(", "),
      { status: locked.status, event, allowedFrom: caseLifecycle.statusesFrom(event) },
    );
  }
  return to;
}

/** The new status (guarded by the table, on the row already locked), its history row and its audit row. */
export async function recordStep(
  tx: Tx,
  principal: Principal,
  locked: LockedCase,
  event: CaseEvent,
  to: CaseStatus,
  reason: string,
  facts: object,
  at: Date,
): Promise<void> {
  await tx.query(
    `UPDATE enforcement_case SET status = $2::"CaseStatus"
      WHERE id = $1::uuid AND status IN (${sqlList(caseLifecycle.statusesFrom(event))})`,
    [locked.id, to],
  );
  await tx.query(
    `INSERT INTO case_step (id, case_id, event, from_status, to_status, actor_court, actor_officer, reason, facts, at)
     VALUES ($1::uuid, $2::uuid, $3, $4::"CaseStatus", $5::"CaseStatus", $6, $7, $8, $9::jsonb, $10)`,
    [randomUUID(), locked.id, event, locked.status, to, principal.org, principal.officer, reason, JSON.stringify(facts), at],
  );
  await appendAudit(tx, {
    actorOrg: principal.org,
    actorOfficer: principal.officer,
    action: `CASE_${event}`,
    caseId: locked.id,
    subjectId: locked.case_number,
    purpose: reason,
    detail: { from: locked.status, to, ...facts },
  });
}
