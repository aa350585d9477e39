/**
 * 局长审批: recording the enforcement director's approval for doing work in person in another province
 * instead of delegating it (Henan High Court supervision opinion, item 18; Nanzhao court enforcement minutes (2020):
 * 未委托的必须经局长审查批准), and reading the approvals of a case for the check in domain/delegation/inPersonWork.ts.
 */
import { isCalendarDate, todayInChina } from "../../domain/calendarDate.js";
import type { DirectorApproval } from "../../domain/delegation/inPersonWork.js";
import { provinceOf } from "../../domain/divisionCode.js";
import { appendAudit } from "../../gateway/audit/auditEvent.js";
import { requireRole, type Caller } from "../../gateway/auth/access.js";
import { findCaseForCaller } from "../cases/caseAccess.js";
import { HubError, invalidField } from "../../gateway/errors.js";
import type { Sql } from "../../gateway/persistence/database.js";

export interface DirectorApprovalInput {
  caseNumber: string;
  /** Two-digit code of the province where the work is to be done. */
  province: string;
  approvalNumber: string;
  approvedOn: string;
  director: string;
  reason: string;
}

export async function recordDirectorApproval(
  deps: { sql: Sql; clock: () => Date },
  caller: Caller,
  input: DirectorApprovalInput,
): Promise<string> {
  const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
  const province = provinceOf(`${input.province.trim()}0000`);
  if (!province) throw invalidField("province", "a two-digit province code, e.g. 34 for Anhui");
  if (!isCalendarDate(input.approvedOn) || input.approvedOn > todayInChina(deps.clock())) {
    throw invalidField("approvedOn", "a YYYY-MM-DD date, not after today");
  }
  for (const field of ["approvalNumber", "director", "reason"] as const) {
    if (!input[field].trim())
      throw invalidField(field, "required: the approval is what supervision checks (Nanzhao court enforcement minutes (2020))");
  }
  const enforcementCase = await findCaseForCaller(deps.sql, principal, input.caseNumber);
  if (enforcementCase.court_code !== principal.org) {
    throw new HubError("FORBIDDEN", `only court ${enforcementCase.court_code} records approvals for its case`, {
      reason: "NOT_THE_CASE_COURT",
    });
  }
  if (province.code === enforcementCase.division_code.slice(0, 2))
    throw invalidField("province", "work in the court's own province needs no approval");
  return deps.sql.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string; inserted: boolean }>(
      `INSERT INTO director_approval (id, case_id, province, approval_number, approved_on, director, reason, recorded_by)
       VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4::date, $5, $6, $7)
       ON CONFLICT (case_id, province, approval_number) DO UPDATE SET approval_number = EXCLUDED.approval_number
       RETURNING id::text AS id, (xmax = 0) AS inserted`,
      [
        enforcementCase.id,
        province.code,
        input.approvalNumber.trim(),
        input.approvedOn,
        input.director.trim(),
        input.reason.trim(),
        principal.officer,
      ],
    );
    if (row.inserted) {
      await appendAudit(tx, {
        actorOrg: principal.org,
        actorOfficer: principal.officer,
        action: "DIRECTOR_APPROVAL_RECORDED",
        caseId: enforcementCase.id,
        subjectId: row.id,
        purpose: `in-person work in ${province.name}`,
        detail: {
          province: province.code,
          approvalNumber: input.approvalNumber.trim(),
          approvedOn: input.approvedOn,
          director: input.director.trim(),
          reason: input.reason.trim(),
        },
      });
    }
    return row.id;
  });
}

export async function approvalsOfCase(sql: Pick<Sql, "query">, caseId: string): Promise<DirectorApproval[]> {
  return sql.query<DirectorApproval>(
    `SELECT province, approval_number AS "approvalNumber" FROM director_approval WHERE case_id = $1::uuid`,
    [caseId],
  );
}
