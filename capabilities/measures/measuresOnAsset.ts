/**
 * The case's seals, freezes and seizures on one asset that are requested, queued or in force, as
 * domain/measures/oneMeasurePerAsset.ts reads them. An asset is matched by its row when the order named one,
 * and by agency and registry identifier as well, since a court may identify an asset it found itself.
 * The order being submitted again (same kind, same notice number) is not another measure: recordMeasure finds it.
 */
import type { MeasureOnAsset } from "../../domain/measures/oneMeasurePerAsset.js";
import { OPEN_MEASURES } from "../../domain/measures/measureLifecycle.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { sqlList } from "../../gateway/persistence/lifecycleSql.js";

const OPEN = sqlList(OPEN_MEASURES);

export function measuresOnAsset(
  tx: Pick<Sql, "query">,
  caseId: string,
  asset: { assetId: string | null; agency: string; identifier: string },
  order: { kind: string; notice: string },
): Promise<MeasureOnAsset[]> {
  return tx.query<MeasureOnAsset>(
    `SELECT id::text AS id, kind, status::text AS status, value::text AS value FROM measure
      WHERE case_id = $1::uuid AND kind <> 'DEDUCT' AND status IN (${OPEN})
        AND (asset_id = $2::uuid OR (agency_kind = $3 AND asset_identifier = $4))
        AND NOT (kind = $5 AND notice_number = $6)
      ORDER BY created_at, id`,
    [caseId, asset.assetId, asset.agency, asset.identifier, order.kind, order.notice],
  );
}
