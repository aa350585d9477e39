/**
 * The measures of a case as domain/measures/netOfDeductions.ts reads them: each that holds value, with what
 * was deducted (划拨) from it, and each no longer in force that was deducted from (that money has paid part
 * of the claim all the same). Queued measures hold nothing until they take effect.
 *
 * `counting` says which statuses count, for holding and for deductions alike:
 * - "ORDERED" (requested, perhaps in force, or in force): the over-seizure and deduction guards, so that two orders at once
 *   cannot both pass; counting pending deductions only makes the over-seizure limit stricter;
 * - "EFFECTIVE": the listing bar of 失信规定 art. 3, which only what the agency has carried out may raise.
 */
import type { MeasureOnCase } from "../../domain/measures/netOfDeductions.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { HOLDING_OR_MAY_HOLD, MEASURE_TRANSITIONS } from "../../domain/measures/measureLifecycle.js";
import { sqlList } from "../../gateway/persistence/lifecycleSql.js";

export type Counting = "ORDERED" | "EFFECTIVE";

export const COUNTED: Record<Counting, string> = {
  ORDERED: `status IN (${sqlList(HOLDING_OR_MAY_HOLD)})`,
  EFFECTIVE: `status = '${MEASURE_TRANSITIONS.TAKE_EFFECT.to}'`,
};

/** SQL for the yuan deducted from the freeze aliased `freeze`. */
export function deductedFrom(freeze: string, counting: Counting): string {
  return `(SELECT coalesce(sum(value), 0) FROM measure WHERE deducts_measure_id = ${freeze}.id AND ${COUNTED[counting]})`;
}

/** The case's measures (of one debtor when `debtorId` is given). */
export async function measuresOnCase(
  tx: Pick<Sql, "query">,
  counting: Counting,
  caseId: string,
  debtorId?: string,
): Promise<MeasureOnCase[]> {
  const rows = await tx.query<{ id: string; value: string; deducted: string; in_force: boolean; asset: string; by_amount: boolean }>(
    `SELECT m.id::text AS id, m.value::text AS value, d.deducted::numeric(18, 2)::text AS deducted, m.${COUNTED[counting]} AS in_force,
            m.agency_kind || ' ' || m.asset_identifier AS asset, m.kind = 'FREEZE' AND m.asset_category = 'DEPOSIT' AS by_amount
       FROM measure m CROSS JOIN LATERAL (SELECT ${deductedFrom("m", counting)} AS deducted) AS d
      WHERE m.case_id = $1::uuid AND ($2::uuid IS NULL OR m.debtor_id = $2::uuid) AND m.kind <> 'DEDUCT'
        AND (m.${COUNTED[counting]} OR d.deducted > 0)`,
    [caseId, debtorId ?? null],
  );
  return rows.map((row) => ({
    id: row.id,
    value: row.value,
    deducted: row.deducted,
    inForce: row.in_force,
    asset: row.asset,
    byAmount: row.by_amount,
  }));
}
