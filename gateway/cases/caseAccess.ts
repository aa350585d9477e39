/**
 * Finds a case the caller may act on, from its number. The number names its
 * court, so another court's number is refused before any lookup: FORBIDDEN
 * whether or not it is registered, which keeps courts from probing each
 * other's case numbers.
 */
import { parseCaseNumber } from "../../domain/caseNumber.js";
import { assertCourtAccess } from "../auth/access.js";
import type { Principal } from "../auth/principal.js";
import { HubError, invalidField } from "../errors.js";
import type { Sql } from "../persistence/database.js";

export interface CaseRow {
  id: string;
  case_number: string;
  court_code: string;
  division_code: string;
  claim_amount: string;
}

export interface DebtorRow {
  id: string;
  kind: "PERSON" | "ORGANISATION";
  id_number: string;
  name: string;
}

export async function findCaseForCaller(sql: Pick<Sql, "query">, principal: Principal, caseNumber: string): Promise<CaseRow> {
  const parsed = parseCaseNumber(caseNumber);
  if (!parsed.ok) throw invalidField("caseNumber", parsed.reason);
  assertCourtAccess(principal, parsed.value.courtCode);
  const [row] = await sql.query<CaseRow>(
    `SELECT id::text AS id, case_number, court_code, division_code, claim_amount::text AS claim_amount
       FROM enforcement_case WHERE case_number = $1`,
    [parsed.value.caseNumber],
  );
  if (!row) throw new HubError("CASE_NOT_FOUND", `no case ${parsed.value.caseNumber} is registered with the hub`, { field: "caseNumber" });
  return row;
}

/** Only a debtor of the case may be queried or have its assets controlled (网络查询冻结规定 2013). */
export async function findDebtorOfCase(sql: Pick<Sql, "query">, enforcementCase: CaseRow, idNumber: string): Promise<DebtorRow> {
  const [debtor] = await sql.query<DebtorRow>(
    `SELECT id::text AS id, kind::text AS kind, id_number, name FROM debtor WHERE case_id = $1::uuid AND id_number = $2`,
    [enforcementCase.id, idNumber.trim().toUpperCase()],
  );
  if (!debtor) {
    throw new HubError(
      "DEBTOR_NOT_A_PARTY",
      `${idNumber} is not a debtor of case ${enforcementCase.case_number}; only the case's debtors may be queried or have assets controlled`,
      { field: "debtorIdNumber" },
    );
  }
  return debtor;
}
