/**
 * Finds a case the caller may act on, from its number. The number names its
 * court, so another court's number is refused before any lookup: FORBIDDEN
 * whether or not it is registered, which keeps courts from probing each
 * other's case numbers.
 */
import { parseCaseNumber, type CaseKind } from "../../domain/caseNumber.js";
import { preservationAllows } from "../../domain/cases/preservation.js";
import type { CaseStatus } from "../../domain/cases/caseLifecycle.js";
import { caseAdmitsWork, type CaseWork } from "../../domain/cases/caseWork.js";
import { assertCourtAccess } from "../../gateway/auth/access.js";
import type { Principal } from "../../gateway/auth/principal.js";
import { guardRefused, HubError, invalidField } from "../../gateway/errors.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { dataCipher } from "../../gateway/persistence/dataCipher.js";

export interface CaseRow {
  id: string;
  case_number: string;
  court_code: string;
  division_code: string;
  claim_amount: string;
  status: CaseStatus;
  kind: CaseKind;
}

export interface DebtorRow {
  id: string;
  kind: "PERSON" | "ORGANISATION";
  id_number: string;
  name: string;
}

/**
 * The one court-before-lookup rule, for every way of loading a case: `lookup`
 * runs only once the number parses and names a court the caller may see.
 */
export async function lookUpCaseForCaller<Row>(
  principal: Principal,
  caseNumber: string,
  lookup: (caseNumber: string) => Promise<Row | null | undefined>,
): Promise<Row> {
  const parsed = parseCaseNumber(caseNumber);
  if (!parsed.ok) throw invalidField("caseNumber", parsed.reason);
  assertCourtAccess(principal, parsed.value.courtCode);
  const row = await lookup(parsed.value.caseNumber);
  if (!row) throw new HubError("CASE_NOT_FOUND", `no case ${parsed.value.caseNumber} is registered with the hub`, { field: "caseNumber" });
  return row;
}

export function findCaseForCaller(sql: Pick<Sql, "query">, principal: Principal, caseNumber: string): Promise<CaseRow> {
  return lookUpCaseForCaller(principal, caseNumber, async (number) => {
    const [row] = await sql.query<CaseRow>(
      `SELECT id::text AS id, case_number, court_code, division_code, claim_amount::text AS claim_amount, status::text AS status,
              kind::text AS kind
         FROM enforcement_case WHERE case_number = $1`,
      [number],
    );
    return row;
  });
}

/**
 * Before anything is written: a case performed, terminated or carried on as 执恢 takes no new work (caseWork.ts),
 * and a preservation case (执保) lists no one (preservation.ts).
 */
export function assertCaseAdmits(enforcementCase: Pick<CaseRow, "status" | "kind">, work: CaseWork): void {
  const check = caseAdmitsWork(enforcementCase.status, work);
  if (!check.ok) throw guardRefused(check);
  if (work === "LISTING") {
    const preservation = preservationAllows(enforcementCase.kind, "LISTING");
    if (!preservation.ok) throw guardRefused(preservation);
  }
}

/**
 * assertCaseAdmits again, on the case row locked inside the transaction that writes the work: the check made
 * before it read the status without a lock, and a step of the case (which locks the row FOR UPDATE, caseSteps.ts)
 * could have closed or terminated the case in between. `SHARE` lets works on one case run side by side; `UPDATE`
 * also orders them against each other (measures and listings count what is already on the case).
 */
export async function lockCaseAdmitting(
  tx: Pick<Sql, "query">,
  enforcementCase: Pick<CaseRow, "id">,
  work: CaseWork,
  lock: "UPDATE" | "SHARE",
): Promise<void> {
  const [row] = await tx.query<Pick<CaseRow, "status" | "kind">>(
    `SELECT status::text AS status, kind::text AS kind FROM enforcement_case
      WHERE id = $1::uuid FOR ${lock === "UPDATE" ? "UPDATE" : "SHARE"}`,
    [enforcementCase.id],
  );
  assertCaseAdmits(row, work);
}

/**
 * Debtors are looked up by number as registered (debtorIdentity.ts): trimmed and upper-cased (a final x written X),
 * an organisation code without the hyphen it is printed with.
 */
export function debtorKey(idNumber: string): string {
  const key = idNumber.trim().toUpperCase();
  return /^[0-9A-Z]{8}-[0-9X]$/.test(key) ? key.replace("-", "") : key;
}

/** What debtors are found by in SQL: the ID number's lookup digest, as it is stored sealed (dataCipher.ts). */
export function debtorDigest(idNumber: string): string {
  return dataCipher().lookup(debtorKey(idNumber));
}

/** A debtor row as stored, its ID number and name opened. */
export function openDebtor<Row extends Pick<DebtorRow, "id_number" | "name">>(row: Row): Row {
  return dataCipher().openFields(row, ["id_number", "name"]);
}

/** The sealed fields of a debtor as Prisma reads it. */
export const DEBTOR_SEALED = ["idNumber", "name", "originalIdNumber"] as const;

export function notADebtorOfCase(idNumber: string, caseNumber: string): HubError {
  return new HubError(
    "DEBTOR_NOT_A_PARTY",
    `${idNumber} is not a debtor of case ${caseNumber}; only the case's debtors may be queried or have assets controlled`,
    { field: "debtorIdNumber" },
  );
}

/** Only a debtor of the case may be queried or have its assets controlled (网络查询冻结规定 2013). */
export async function findDebtorOfCase(sql: Pick<Sql, "query">, enforcementCase: CaseRow, idNumber: string): Promise<DebtorRow> {
  const [debtor] = await sql.query<DebtorRow>(
    `SELECT id::text AS id, kind::text AS kind, id_number, name FROM debtor WHERE case_id = $1::uuid AND id_digest = $2`,
    [enforcementCase.id, debtorDigest(idNumber)],
  );
  if (!debtor) {
    throw notADebtorOfCase(idNumber, enforcementCase.case_number);
  }
  return openDebtor(debtor);
}

/**
 * findCaseForCaller and then findDebtorOfCase, in one statement: the same
 * checks, in the same order, with the same errors, one round trip less on the
 * path of every inquiry.
 */
export async function findCaseAndDebtorForCaller(
  sql: Pick<Sql, "query">,
  principal: Principal,
  caseNumber: string,
  idNumber: string,
): Promise<{ enforcementCase: CaseRow; debtor: DebtorRow }> {
  const row = await lookUpCaseForCaller(principal, caseNumber, async (number) => {
    const [found] = await sql.query<
      CaseRow & { debtor_id: string | null; debtor_kind: DebtorRow["kind"]; debtor_id_number: string; debtor_name: string }
    >(
      `SELECT c.id::text AS id, c.case_number, c.court_code, c.division_code, c.claim_amount::text AS claim_amount,
              c.status::text AS status, c.kind::text AS kind,
              d.id::text AS debtor_id, d.kind::text AS debtor_kind, d.id_number AS debtor_id_number, d.name AS debtor_name
         FROM enforcement_case c
         LEFT JOIN LATERAL (SELECT id, kind, id_number, name FROM debtor WHERE case_id = c.id AND id_digest = $2 LIMIT 1) d ON true
        WHERE c.case_number = $1`,
      [number, debtorDigest(idNumber)],
    );
    return found;
  });
  const enforcementCase: CaseRow = {
    id: row.id,
    case_number: row.case_number,
    court_code: row.court_code,
    division_code: row.division_code,
    claim_amount: row.claim_amount,
    status: row.status,
    kind: row.kind,
  };
  if (row.debtor_id === null) {
    throw notADebtorOfCase(idNumber, enforcementCase.case_number);
  }
  const debtor = openDebtor({ id: row.debtor_id, kind: row.debtor_kind, id_number: row.debtor_id_number, name: row.debtor_name });
  return { enforcementCase, debtor };
}
