/**
 * A vehicle the police report seized for the court (查扣车辆, police assistance) is a seizure (扣押) on the case like any
 * other: a SEIZE measure on the vehicle, EFFECTIVE from the day of the seizure for the period of policeSeizurePeriod, so
 * it is watched for expiry, counted for over-seizure (at the value the case's inquiries found for the vehicle, nothing when
 * none did) and met by a second order on the same vehicle. Recorded REQUESTED and moved by measureLifecycle.ts's TAKE_EFFECT,
 * in the transaction that records the police's report; a report applied twice records one measure.
 */
import { todayInChina } from "../../domain/calendarDate.js";
import { policeSeizurePeriod } from "../../domain/measures/policeAssistance.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { changeMeasure } from "./measureStore.js";

export async function recordPoliceSeizure(
  tx: Pick<Sql, "query">,
  assistanceId: string,
  report: { at: string; reference: string },
): Promise<{ measureId: string; caseId: string; status: string } | undefined> {
  const seizedOn = todayInChina(new Date(report.at));
  const period = policeSeizurePeriod(seizedOn);
  const [inserted] = await tx.query<{ id: string; case_id: string }>(
    `INSERT INTO measure (id, case_id, debtor_id, asset_id, agency_kind, endpoint_key, asset_identifier, asset_category, kind, value,
                          starts_on, expires_on, status, notice_number, decision, ordered_by, apply_request_id, police_assistance_id)
     SELECT gen_random_uuid(), a.case_id, a.debtor_id, v.id, 'VEHICLE_REGISTRY', 'police:' || a.endpoint_key, a.plate, 'MOVABLE',
            'SEIZE', coalesce(v.estimated_value, 0), $2::date, $3::date, 'REQUESTED', a.decision_number, a.decision, a.requested_by,
            a.request_id, a.id
       FROM police_assistance a
       LEFT JOIN LATERAL (
         SELECT id, estimated_value FROM asset
          WHERE case_id = a.case_id AND debtor_id = a.debtor_id AND agency_kind = 'VEHICLE_REGISTRY' AND identifier = a.plate
          ORDER BY last_seen_at DESC LIMIT 1) AS v ON true
      WHERE a.id = $1::uuid AND a.kind = 'SEIZE_VEHICLE' AND a.plate IS NOT NULL
     ON CONFLICT DO NOTHING
     RETURNING id::text AS id, case_id::text AS case_id`,
    [assistanceId, period.startsOn, period.expiresOn],
  );
  if (!inserted) return undefined;
  const status = await changeMeasure(tx, inserted.id, {
    event: "TAKE_EFFECT",
    rank: 1,
    effectiveFrom: report.at,
    agencyReference: report.reference,
  });
  return status ? { measureId: inserted.id, caseId: inserted.case_id, status } : undefined;
}
