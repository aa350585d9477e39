/**
 * Preservation becoming enforcement (民诉法解释 art. 168, domain/cases/preservation.ts): once the judgment is
 * enforceable and its 执 case registered, the 执保 case's measures in force pass to the 执 case as they are: same
 * agency reference, same start and expiry, nothing sent to the agency, no new order. The 执 case names the 执保 case
 * it carries on; each measure records where it came from and when; one audit row on each case lists what moved.
 * Both cases are locked, so a 执保 case is carried over once and a 执 case carries one 执保 case.
 */
import type { CaseKind } from "../../domain/caseNumber.js";
import { caseAdmitsWork } from "../../domain/cases/caseWork.js";
import { checkCarryOver } from "../../domain/cases/preservation.js";
import { OPEN_MEASURES } from "../../domain/measures/measureLifecycle.js";
import { appendAudit } from "../../gateway/audit/auditEvent.js";
import { requireRole, type Caller } from "../../gateway/auth/access.js";
import { guardRefused, HubError, invalidField } from "../../gateway/errors.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { sqlList } from "../../gateway/persistence/lifecycleSql.js";
import { notADebtorOfCase, openDebtor } from "./caseAccess.js";
import { lockOwnCase } from "./caseSteps.js";

type Tx = Pick<Sql, "query">;

export interface CarryOverInput {
  /** The preservation case (执保). */
  preservationCaseNumber: string;
  /** The enforcement case (执) of the judgment, already registered with its debtors. */
  caseNumber: string;
  /** Why: the judgment that became enforceable. */
  reason: string;
}

export class PreservationCarryOver {
  constructor(private readonly deps: { sql: Sql; clock: () => Date }) {}

  /** The 执 case's id once its measures are carried over; carrying the same 执保 case over again changes nothing. */
  async carryOver(caller: Caller, input: CarryOverInput): Promise<string> {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    const reason = input.reason.trim();
    if (!reason) throw invalidField("reason", "a carry-over states the judgment that became enforceable");
    return this.deps.sql.transaction(async (tx) => {
      const from = await lockOwnCase(tx, principal, input.preservationCaseNumber);
      const to = await lockOwnCase(tx, principal, input.caseNumber);
      const kinds = await tx.query<{ id: string; kind: CaseKind; preservation_case_id: string | null; enforced_as: string | null }>(
        `SELECT id::text AS id, kind::text AS kind, preservation_case_id::text AS preservation_case_id,
                (SELECT e.case_number FROM enforcement_case e WHERE e.preservation_case_id = c.id) AS enforced_as
           FROM enforcement_case c WHERE id IN ($1::uuid, $2::uuid)`,
        [from.id, to.id],
      );
      const fromRow = kinds.find((row) => row.id === from.id)!;
      const toRow = kinds.find((row) => row.id === to.id)!;
      const allowed = checkCarryOver(fromRow.kind, toRow.kind);
      if (!allowed.ok) throw guardRefused(allowed);
      if (toRow.preservation_case_id === from.id) return to.id;
      if (toRow.preservation_case_id !== null || fromRow.enforced_as !== null) {
        throw new HubError("CARRY_OVER_NOT_ALLOWED", "a preservation case is carried over once, into one enforcement case", {
          field: fromRow.enforced_as !== null ? "preservationCaseNumber" : "caseNumber",
          enforcedAs: fromRow.enforced_as,
          rule: "民诉法解释 art. 168",
        });
      }
      const admits = caseAdmitsWork(to.status, "MEASURE");
      if (!admits.ok) throw guardRefused(admits);
      await requireSameDebtors(tx, from.id, to.id, to.case_number);
      const at = this.deps.clock();
      await tx.query(`UPDATE enforcement_case SET preservation_case_id = $1::uuid WHERE id = $2::uuid`, [from.id, to.id]);
      const carried = await carry(tx, from.id, to.id, at);
      for (const [caseId, counterpart] of [
        [from.id, { enforcedAs: to.case_number }],
        [to.id, { preservedBy: from.case_number }],
      ] as const) {
        await appendAudit(tx, {
          actorOrg: principal.org,
          actorOfficer: principal.officer,
          action: "PRESERVATION_CARRIED_OVER",
          caseId,
          subjectId: from.case_number,
          purpose: reason,
          detail: { ...counterpart, rule: "民诉法解释 art. 168", ...carried },
        });
      }
      return to.id;
    });
  }
}

/** Each debtor a carried measure binds must be a debtor of the 执 case too. */
async function requireSameDebtors(tx: Tx, fromId: string, toId: string, toNumber: string): Promise<void> {
  // Debtors are matched by lookup digest: their numbers are sealed (dataAtRest.ts).
  const [missing] = await tx.query<{ id_number: string; name: string }>(
    `SELECT d.id_number, d.name FROM measure m JOIN debtor d ON d.id = m.debtor_id
      WHERE m.case_id = $1::uuid AND m.status IN (${sqlList(OPEN_MEASURES)})
        AND NOT EXISTS (SELECT 1 FROM debtor t WHERE t.case_id = $2::uuid AND t.id_digest = d.id_digest)
      ORDER BY d.id_digest LIMIT 1`,
    [fromId, toId],
  );
  if (missing) throw notADebtorOfCase(openDebtor(missing).id_number, toNumber);
}

/**
 * The assets the 执 case does not know yet move with their sightings; the measures in force move to the 执 case's
 * debtor and asset (the 执 case's own record of the same asset when its first inquiry found it too), keeping their
 * periods.
 */
async function carry(tx: Tx, fromId: string, toId: string, at: Date) {
  const assets = await tx.query<{ id: string }>(
    `UPDATE asset AS moved SET case_id = $2::uuid, debtor_id = copy.id
       FROM debtor AS held JOIN debtor AS copy ON copy.case_id = $2::uuid AND copy.id_digest = held.id_digest
      WHERE moved.case_id = $1::uuid AND held.id = moved.debtor_id
        AND NOT EXISTS (SELECT 1 FROM asset t WHERE t.case_id = $2::uuid AND t.debtor_id = copy.id
                          AND t.agency_kind = moved.agency_kind AND t.identity = moved.identity)
      RETURNING moved.id::text AS id`,
    [fromId, toId],
  );
  const measures = await tx.query<{ id: string; expires_on: string }>(
    `UPDATE measure AS moved SET case_id = $2::uuid, debtor_id = copy.id, carried_from_case_id = $1::uuid, carried_over_at = $3,
            updated_at = now(),
            asset_id = coalesce((SELECT t.id FROM asset s JOIN asset t ON t.case_id = $2::uuid AND t.debtor_id = copy.id
                                   AND t.agency_kind = s.agency_kind AND t.identity = s.identity
                                  WHERE s.id = moved.asset_id), moved.asset_id)
       FROM debtor AS held JOIN debtor AS copy ON copy.case_id = $2::uuid AND copy.id_digest = held.id_digest
      WHERE moved.case_id = $1::uuid AND held.id = moved.debtor_id AND moved.status IN (${sqlList(OPEN_MEASURES)})
      RETURNING moved.id::text AS id, moved.expires_on::text AS expires_on`,
    [fromId, toId, at],
  );
  return { assets: assets.map((row) => row.id), measures: measures.map((row) => ({ id: row.id, expiresOn: row.expires_on })) };
}
