/**
 * The claim of a case as it changes (domain/claims/claimStatement.ts): its court records the enforcement costs, the
 * judgment's dates the doubled interest runs from, and the payments the debtor makes; the hub adds the deductions
 * (划拨) carried out. What is still owed on a day is what the over-seizure limit, the deduction limit and the listing
 * bar of 失信规定 art. 3 measure against. Each record locks the case row (so a measure being ordered meanwhile sees
 * either the claim before or after), writes and audits in one transaction.
 */
import { randomUUID } from "node:crypto";
import { isCalendarDate, todayInChina } from "../../domain/calendarDate.js";
import { claimStatement, type ClaimFacts, type ClaimStatement, type Payment } from "../../domain/claims/claimStatement.js";
import { appendAudit } from "../../gateway/audit/auditEvent.js";
import { requireRole, type Caller } from "../../gateway/auth/access.js";
import { guardRefused, invalidField } from "../../gateway/errors.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { COUNTED, type Counting } from "../measures/measuresOnCase.js";
import { lockOwnCase } from "./caseSteps.js";
import { dataCipher } from "../../gateway/persistence/dataCipher.js";

type Tx = Pick<Sql, "query">;

/** The claim's facts on record: the case's, its payments, and its deductions (counted as `counting` says) as payments. */
export async function claimFactsOf(tx: Tx, caseId: string, counting: Counting): Promise<ClaimFacts> {
  const [row] = await tx.query<{ principal: string; costs: string; judgment_date: string | null; performance_deadline: string | null }>(
    `SELECT claim_amount::text AS principal, costs::text AS costs, judgment_date::text AS judgment_date,
            performance_deadline::text AS performance_deadline
       FROM enforcement_case WHERE id = $1::uuid`,
    [caseId],
  );
  // A deduction pays on the day the agency carried it out (法释〔2014〕8号 art. 3: "计算至划拨、提取之日").
  const payments = await tx.query<Payment>(
    `SELECT amount::text AS amount, paid_on::text AS "paidOn" FROM case_payment WHERE case_id = $1::uuid
     UNION ALL
     SELECT value::text, coalesce(to_char(effective_from AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), starts_on::text)
       FROM measure WHERE case_id = $1::uuid AND kind = 'DEDUCT' AND ${COUNTED[counting]}`,
    [caseId],
  );
  return {
    principal: row.principal,
    costs: row.costs,
    judgmentDate: row.judgment_date,
    performanceDeadline: row.performance_deadline,
    payments,
  };
}

/** The claim of the case on `asOf`. */
export async function claimOn(tx: Tx, caseId: string, counting: Counting, asOf: string): Promise<ClaimStatement> {
  const statement = claimStatement(await claimFactsOf(tx, caseId, counting), asOf);
  if (!statement.ok) throw guardRefused(statement);
  return statement;
}

/**
 * The claim as the measure and listing guards read it (domain/measures/netOfDeductions.ts): the registered amount and
 * costs for their figures, and what is still owed today, deductions and payments counted, interest added.
 */
export async function claimOf(
  tx: Tx,
  enforcementCase: { id: string; claim_amount: string },
  counting: Counting,
  today: string,
): Promise<{ claimAmount: string; costs: string; outstanding: string }> {
  const statement = await claimOn(tx, enforcementCase.id, counting, today);
  return { claimAmount: statement.principal, costs: statement.costs, outstanding: statement.outstanding };
}

export interface InterestBasis {
  caseNumber: string;
  /** The day the judgment took effect. */
  judgmentDate: string;
  /** The last day of the performance period it sets; none when it sets none (interest then runs from judgmentDate). */
  performanceDeadline?: string | null;
}

export class CaseClaims {
  constructor(private readonly deps: { sql: Sql; clock: () => Date }) {}

  /** 执行费用 as assessed, replacing what was recorded. */
  recordCosts(caller: Caller, input: { caseNumber: string; costs: string; reason: string }): Promise<string> {
    return this.record(caller, input.caseNumber, "CASE_COSTS_RECORDED", { costs: input.costs, reason: input.reason }, async (tx, id) => {
      await tx.query(`UPDATE enforcement_case SET costs = $2::numeric WHERE id = $1::uuid`, [id, input.costs]);
    });
  }

  /** The judgment's dates the doubled interest runs from (法释〔2014〕8号 art. 2). */
  recordInterestBasis(caller: Caller, input: InterestBasis): Promise<string> {
    const today = todayInChina(this.deps.clock());
    const deadline = input.performanceDeadline ?? null;
    if (!isCalendarDate(input.judgmentDate) || input.judgmentDate > today) {
      throw invalidField("judgmentDate", "must be a YYYY-MM-DD date, not after today");
    }
    if (deadline !== null && (!isCalendarDate(deadline) || deadline < input.judgmentDate)) {
      throw invalidField("performanceDeadline", "must be a YYYY-MM-DD date, not before the judgment took effect");
    }
    const detail = { judgmentDate: input.judgmentDate, performanceDeadline: deadline };
    return this.record(caller, input.caseNumber, "CASE_INTEREST_BASIS_RECORDED", detail, async (tx, id) => {
      await tx.query(`UPDATE enforcement_case SET judgment_date = $2::date, performance_deadline = $3::date WHERE id = $1::uuid`, [
        id,
        input.judgmentDate,
        deadline,
      ]);
    });
  }

  /** A payment the debtor made (partial performance), on the day it was made. */
  recordPayment(caller: Caller, input: { caseNumber: string; amount: string; paidOn: string; note: string }): Promise<string> {
    const today = todayInChina(this.deps.clock());
    if (!isCalendarDate(input.paidOn) || input.paidOn > today) throw invalidField("paidOn", "must be a YYYY-MM-DD date, not after today");
    const detail = { amount: input.amount, paidOn: input.paidOn, note: input.note };
    return this.record(caller, input.caseNumber, "CASE_PAYMENT_RECORDED", detail, async (tx, id, officer) => {
      await tx.query(
        `INSERT INTO case_payment (id, case_id, amount, paid_on, note, recorded_by)
           VALUES ($1::uuid, $2::uuid, $3::numeric, $4::date, $5, $6)`,
        // The note is free text about the debtor's affairs: sealed like other personal data (dataAtRest.ts).
        [randomUUID(), id, input.amount, input.paidOn, dataCipher().seal(input.note), officer],
      );
    });
  }

  private async record(
    caller: Caller,
    caseNumber: string,
    action: string,
    detail: Record<string, unknown>,
    write: (tx: Tx, caseId: string, officer: string) => Promise<void>,
  ): Promise<string> {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    return this.deps.sql.transaction(async (tx) => {
      const locked = await lockOwnCase(tx, principal, caseNumber);
      await write(tx, locked.id, principal.officer);
      // The claim must still read: a payment or a date that makes it unreadable is refused with the rest undone.
      const after = await claimOn(tx, locked.id, "EFFECTIVE", todayInChina(this.deps.clock()));
      await appendAudit(tx, {
        actorOrg: principal.org,
        actorOfficer: principal.officer,
        action,
        caseId: locked.id,
        subjectId: locked.case_number,
        purpose: action,
        detail: { ...detail, outstanding: after.outstanding },
      });
      return locked.id;
    });
  }
}
