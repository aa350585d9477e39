/**
 * Each month's withholding of income (扣留、提取收入, 民事诉讼法 2023 art. 254) as the payer reports it: the part that counts
 * toward the case (domain/measures/incomeWithholding.ts: within what the order has left and what is still owed) becomes a
 * DEDUCT measure drawing on the WITHHOLD measure, EFFECTIVE on the day it was taken, so the claim, the over-seizure limit
 * and the listing bar count it as they count every deduction (measuresOnCase.ts, caseClaim.ts). The order's total reached,
 * the measure is COMPLETED. One month of one order is recorded once: a repeated report finds its month and changes nothing.
 */
import { randomUUID } from "node:crypto";
import { AgencyProtocolError, type AgencyKind, type WithheldReport } from "../../connectors/connector.js";
import { monthlyWithholdingCounted } from "../../domain/measures/incomeWithholding.js";
import { MEASURE_TRANSITIONS } from "../../domain/measures/measureLifecycle.js";
import { formatYuan, parseYuan } from "../../domain/measures/yuan.js";
import { appendAudit } from "../../gateway/audit/auditEvent.js";
import { sm3 } from "../../gateway/audit/sm3.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { sqlList } from "../../gateway/persistence/lifecycleSql.js";
import { claimOf } from "../cases/caseClaim.js";

const COMPLETE = MEASURE_TRANSITIONS.COMPLETE;

interface WithholdingRow {
  id: string;
  case_id: string;
  debtor_id: string;
  court_code: string;
  claim_amount: string;
  status: string;
  value: string;
  notice_number: string;
  withheld: string;
}

export interface RecordedWithholding {
  caseId: string;
  courtCode: string;
  measureId: string;
  status: string;
}

/** Records one month's report; undefined when that month was already recorded. */
export async function recordWithholding(
  sql: Sql,
  kind: AgencyKind,
  report: WithheldReport,
  body: string,
  today: string,
): Promise<RecordedWithholding | undefined> {
  const reported = parseYuan(report.amount, "amount");
  if (!reported.ok) throw new AgencyProtocolError(`${kind} withholding report: ${reported.reason}`, body);
  if (report.withheldOn > today)
    throw new AgencyProtocolError(`${kind} withholding report is dated after today (${report.withheldOn})`, body);
  return sql.transaction(async (tx) => {
    // The case row first, as orders lock it, so the claim read here and an order's over-seizure check see each other.
    const [caseRow] = await tx.query<{ case_id: string }>(
      `SELECT c.id::text AS case_id FROM measure m JOIN enforcement_case c ON c.id = m.case_id
        WHERE m.apply_request_id = $1::uuid AND m.agency_kind = $2 AND m.kind = 'WITHHOLD' FOR UPDATE OF c`,
      [report.measureRef, kind],
    );
    if (!caseRow) throw new AgencyProtocolError(`${kind} reports a withholding under no order of this hub (${report.measureRef})`, body);
    const [measure] = await tx.query<WithholdingRow>(
      `SELECT m.id::text AS id, m.case_id::text AS case_id, m.debtor_id::text AS debtor_id, c.court_code,
              c.claim_amount::text AS claim_amount, m.status::text AS status, m.value::text AS value, m.notice_number,
              (SELECT coalesce(sum(d.value), 0)::numeric(18, 2)::text FROM measure d WHERE d.deducts_measure_id = m.id) AS withheld
         FROM measure m JOIN enforcement_case c ON c.id = m.case_id
        WHERE m.apply_request_id = $1::uuid AND m.agency_kind = $2 FOR UPDATE OF m`,
      [report.measureRef, kind],
    );
    const monthNotice = `${measure.notice_number}/${report.month}`;
    const [seen] = await tx.query(`SELECT 1 FROM measure WHERE deducts_measure_id = $1::uuid AND notice_number = $2`, [
      measure.id,
      monthNotice,
    ]);
    if (seen) return undefined;

    const inEffect = (COMPLETE.from as readonly string[]).includes(measure.status);
    const claim = await claimOf(tx, { id: measure.case_id, claim_amount: measure.claim_amount }, "EFFECTIVE", today);
    const [total, withheld, outstanding] = [measure.value, measure.withheld, claim.outstanding].map((v) => cents(v));
    // Withheld after the order ended (released, lapsed, completed) is the debtor's: the payer must return it, and it pays nothing.
    const month = inEffect ? monthlyWithholdingCounted(reported.cents, total, withheld, outstanding) : undefined;
    const counted = month?.counted ?? 0n;
    if (counted > 0n) {
      await tx.query(
        `INSERT INTO measure (id, case_id, debtor_id, asset_id, agency_kind, endpoint_key, asset_identifier, asset_category, kind, value,
                              starts_on, expires_on, status, effective_from, agency_reference, notice_number, decision, ordered_by,
                              apply_request_id, deducts_measure_id)
         SELECT $2::uuid, case_id, debtor_id, asset_id, agency_kind, endpoint_key, asset_identifier, asset_category, 'DEDUCT', $3::numeric,
                $4::date, $4::date, 'EFFECTIVE', ($4::date)::timestamp AT TIME ZONE 'Asia/Shanghai', $5, $6, decision, ordered_by,
                $7::uuid, id
           FROM measure WHERE id = $1::uuid`,
        [measure.id, randomUUID(), formatYuan(counted), report.withheldOn, report.reference, monthNotice, randomUUID()],
      );
    }
    let status = measure.status;
    if (month?.completes) {
      await tx.query(
        `UPDATE measure SET status = '${COMPLETE.to}', updated_at = now() WHERE id = $1::uuid AND status IN (${sqlList(COMPLETE.from)})`,
        [measure.id],
      );
      status = COMPLETE.to;
    }
    await appendAudit(tx, {
      actorOrg: kind,
      action: "INCOME_WITHHELD",
      caseId: measure.case_id,
      debtorId: measure.debtor_id,
      subjectId: measure.id,
      purpose: `WITHHOLD ${report.month}`,
      replyDigest: sm3(body),
      detail: {
        month: report.month,
        reported: formatYuan(reported.cents),
        counted: formatYuan(counted),
        // What the payer took beyond the order or the debt, to be returned to the debtor.
        excess: formatYuan(reported.cents - counted),
        withheldOn: report.withheldOn,
        reference: report.reference,
        measureStatus: status,
        outstandingAfter: formatYuan(outstanding > counted ? outstanding - counted : 0n),
      },
    });
    return { caseId: measure.case_id, courtCode: measure.court_code, measureId: measure.id, status };
  });
}

function cents(value: string): bigint {
  const parsed = parseYuan(value);
  if (!parsed.ok) throw new Error(`the records hold an amount that is not yuan: ${value}`);
  return parsed.cents;
}
