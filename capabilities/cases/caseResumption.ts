/**
 * 恢复执行 of a case concluded (终本) or terminated: a new 执恢 case, registered under its own number
 * (法发〔2014〕26号 art. 6 items 3 and 5; 案号规定 for the kind 执恢), linked to the original and carrying what the
 * original holds: its debtors, the assets found, the measures still in force and the list entries still listed. These
 * move rather than copy, so a measure keeps its one period at its agency (and is renewed or released from the new
 * case), and a list entry keeps its identity with partners. The original keeps its history: inquiries, ended measures,
 * removed entries, its steps. In one transaction with the original row locked, so a case is resumed once.
 */
import { randomUUID } from "node:crypto";
import { parseCaseNumber } from "../../domain/caseNumber.js";
import { OPEN_MEASURES } from "../../domain/measures/measureLifecycle.js";
import { appendAudit } from "../../gateway/audit/auditEvent.js";
import { requireRole, type Caller } from "../../gateway/auth/access.js";
import { HubError, invalidField } from "../../gateway/errors.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { sqlList } from "../../gateway/persistence/lifecycleSql.js";
import { lockOwnCase, nextStatus, recordStep } from "./caseSteps.js";

type Tx = Pick<Sql, "query">;

export interface ResumptionInput {
  /** The case concluded or terminated. */
  caseNumber: string;
  /** The new case's number, of kind 执恢 and of the same court. */
  resumedCaseNumber: string;
  /** Why: the property found, the creditor's application. */
  reason: string;
}

/** Measures in force: held at the agency, or ordered and not yet answered. */
const IN_FORCE = OPEN_MEASURES;

export class CaseResumption {
  constructor(private readonly deps: { sql: Sql; clock: () => Date }) {}

  async resume(caller: Caller, input: ResumptionInput): Promise<string> {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    const number = parseCaseNumber(input.resumedCaseNumber);
    if (!number.ok) throw invalidField("resumedCaseNumber", number.reason);
    if (number.value.kind !== "RESUMED") throw invalidField("resumedCaseNumber", "a resumed case is numbered with the kind 执恢");
    const reason = input.reason.trim();
    if (!reason) throw invalidField("reason", "a resumption states its reason");
    return this.deps.sql.transaction(async (tx) => {
      const original = await lockOwnCase(tx, principal, input.caseNumber);
      if (number.value.courtCode !== original.court_code) {
        throw invalidField("resumedCaseNumber", `the resumed case belongs to the original's court ${original.court_code}`);
      }
      const to = nextStatus(original, "RESUME");
      const resumedId = randomUUID();
      const inserted = await tx.query(
        `INSERT INTO enforcement_case (id, case_number, year, court_code, kind, serial, division_code, creditor_name,
           claim_amount, registered_by, original_case_id)
         SELECT $1::uuid, $2, $3, court_code, 'RESUMED', $4, division_code, creditor_name, claim_amount, $5, id
           FROM enforcement_case WHERE id = $6::uuid
         ON CONFLICT (case_number) DO NOTHING RETURNING id`,
        [resumedId, number.value.caseNumber, number.value.year, number.value.serial, principal.officer, original.id],
      );
      if (inserted.length === 0) {
        throw new HubError("CASE_CONFLICT", `case ${number.value.caseNumber} is already registered`, { field: "resumedCaseNumber" });
      }
      const carried = await carry(tx, original.id, resumedId);
      const at = this.deps.clock();
      await recordStep(tx, principal, original, "RESUME", to, reason, { resumedAs: number.value.caseNumber, carried }, at);
      await appendAudit(tx, {
        actorOrg: principal.org,
        actorOfficer: principal.officer,
        action: "CASE_REGISTERED",
        caseId: resumedId,
        subjectId: number.value.caseNumber,
        purpose: reason,
        detail: { resumes: original.case_number, carried },
      });
      return resumedId;
    });
  }
}

/** Debtors copied, then assets, measures in force and listed entries moved to the copies; the ids moved, for the audit row. */
async function carry(tx: Tx, originalId: string, resumedId: string) {
  await tx.query(
    `INSERT INTO debtor (id, case_id, kind, id_number, name, id_digest, sex, birth_date, id_kind, original_id_number, nationality)
     SELECT gen_random_uuid(), $2::uuid, kind, id_number, name, id_digest, sex, birth_date, id_kind, original_id_number, nationality
       FROM debtor WHERE case_id = $1::uuid`,
    [originalId, resumedId],
  );
  const move = async (table: string, guard: string) =>
    (
      await tx.query<{ id: string }>(
        `UPDATE ${table} AS moved SET case_id = $2::uuid, debtor_id = copy.id
           FROM debtor AS held JOIN debtor AS copy ON copy.case_id = $2::uuid AND copy.id_digest = held.id_digest
          WHERE moved.case_id = $1::uuid AND held.id = moved.debtor_id ${guard}
          RETURNING moved.id::text AS id`,
        [originalId, resumedId],
      )
    ).map((row) => row.id);
  return {
    assets: await move("asset", ""),
    measures: await move("measure", `AND moved.status IN (${sqlList(IN_FORCE)})`),
    sanctionEntries: await move("sanction_entry", `AND moved.status = 'LISTED'`),
  };
}
