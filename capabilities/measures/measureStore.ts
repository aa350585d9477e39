/**
 * Recording measures and the agency requests that carry them out. A measure
 * and its request are written together, leased to the recording instance, so a
 * crash between recording and sending loses nothing and the resend carries the
 * same idempotency key (the agency applies it once).
 */
import { randomUUID } from "node:crypto";
import type { ControlCall } from "../../connectors/connector.js";
import { AUDIT_COLUMNS, auditParams, auditValuesSql, type AuditEntry } from "../../gateway/audit/auditEvent.js";
import { LEASED_COLUMNS, sealPayload, type FinishingChange, type LeasedRequest } from "../../gateway/dispatch/agencyRequestStore.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { allowedTransitionSql, sqlList } from "../../gateway/persistence/lifecycleSql.js";
import { MEASURE_TRANSITIONS, measureLifecycle } from "../../domain/measures/measureLifecycle.js";
import type { MeasureChange } from "./controlOutcome.js";
import type { AssetCategory } from "../../domain/measures/measureKinds.js";
import type { ResolvedRoute } from "../../gateway/routing/agencyRoutes.js";

/**
 * A control call as stored; an order also keeps its asset's category, so that a late answer can count the period
 * from the agency's date within the category's maximum (queuedPeriod.ts).
 */
export type ControlCallRecord = Omit<ControlCall, "callbackUrl"> & { assetCategory?: AssetCategory };

export interface MeasureRow {
  id: string;
  case_id: string;
  debtor_id: string;
  agency_kind: string;
  endpoint_key: string;
  asset_identifier: string;
  asset_category: string;
  kind: string;
  value: string;
  starts_on: string;
  expires_on: string;
  status: string;
  notice_number: string;
  apply_request_id: string;
  /** Carried out by another court (事项委托) or by the police (查扣车辆), not through this hub's agency connector. */
  delegated_task_id: string | null;
  police_assistance_id: string | null;
}

export const MEASURE_COLUMNS = `id::text AS id, case_id::text AS case_id, debtor_id::text AS debtor_id, agency_kind, endpoint_key,
  asset_identifier, asset_category, kind, value::text AS value, starts_on::text AS starts_on, expires_on::text AS expires_on,
  status::text AS status, notice_number, apply_request_id::text AS apply_request_id, delegated_task_id::text AS delegated_task_id,
  police_assistance_id::text AS police_assistance_id`;

export interface NewMeasure {
  caseId: string;
  debtorId: string;
  assetId: string | null;
  route: ResolvedRoute;
  assetIdentifier: string;
  assetCategory: string;
  kind: string;
  value: string;
  startsOn: string;
  expiresOn: string;
  noticeNumber: string;
  decision: unknown;
  overrideReason: string | null;
  orderedBy: string;
  /** A deduction (划拨): the freeze of the same case it draws on. */
  deductsMeasureId: string | null;
}

/** A new measure as its row holds it: where its agency is, and what carries it out (a request of this hub, or a delegated task). */
type MeasureValues = Omit<NewMeasure, "route"> & {
  agencyKind: string;
  endpointKey: string;
  applyRequestId: string;
  delegatedTaskId: string | null;
};

const INSERT_MEASURE = `INSERT INTO measure (id, case_id, debtor_id, asset_id, agency_kind, endpoint_key, asset_identifier, asset_category,
                          kind, value, starts_on, expires_on, status, notice_number, decision, override_reason, ordered_by,
                          apply_request_id, deducts_measure_id, delegated_task_id)
     VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6, $7, $8, $9, $10::numeric,
       $11::date, $12::date, 'REQUESTED', $13, $14::jsonb, $15, $16, $17::uuid, $18::uuid, $19::uuid)`;

/** The parameters $1…$19 of INSERT_MEASURE. */
function measureParams(id: string, measure: MeasureValues): unknown[] {
  return [
    id,
    measure.caseId,
    measure.debtorId,
    measure.assetId,
    measure.agencyKind,
    measure.endpointKey,
    measure.assetIdentifier,
    measure.assetCategory,
    measure.kind,
    measure.value,
    measure.startsOn,
    measure.expiresOn,
    measure.noticeNumber,
    JSON.stringify(measure.decision),
    measure.overrideReason,
    measure.orderedBy,
    measure.applyRequestId,
    measure.deductsMeasureId,
    measure.delegatedTaskId,
  ];
}

/** Inserts the measure unless the same decision already ordered it; returns the measure held either way. */
export async function recordMeasure(
  tx: Pick<Sql, "query">,
  measure: NewMeasure,
  call: Omit<ControlCallRecord, "idempotencyKey">,
  audit: AuditEntry,
  lease: { owner: string; leaseMs: number },
): Promise<{ measure: MeasureRow; created: boolean; request?: LeasedRequest<ControlCallRecord> }> {
  const id = randomUUID();
  const requestId = randomUUID();
  const { route, ...values } = measure;
  const inserted = await tx.query<MeasureRow>(
    `${INSERT_MEASURE}
     ON CONFLICT (case_id, agency_kind, asset_identifier, kind, notice_number) DO NOTHING
     RETURNING ${MEASURE_COLUMNS}`,
    measureParams(id, {
      ...values,
      agencyKind: route.kind,
      endpointKey: route.endpointKey,
      applyRequestId: requestId,
      delegatedTaskId: null,
    }),
  );
  if (inserted.length === 0) {
    const [held] = await tx.query<MeasureRow>(
      `SELECT ${MEASURE_COLUMNS} FROM measure WHERE case_id = $1::uuid AND agency_kind = $2
         AND asset_identifier = $3 AND kind = $4 AND notice_number = $5`,
      [measure.caseId, route.kind, measure.assetIdentifier, measure.kind, measure.noticeNumber],
    );
    return { measure: held, created: false };
  }
  const request = await recordControlRequest(
    tx,
    inserted[0],
    { ...call, idempotencyKey: requestId },
    route,
    { ...audit, subjectId: id },
    lease,
  );
  return { measure: inserted[0], created: true, request };
}

/**
 * A measure another court carries out for this case (事项委托): REQUESTED, with its task and no agency request of this hub;
 * the executing court's report of the agency's registration moves it (delegatedMeasures.ts). Its apply_request_id is a key
 * of its own, which no request of this hub carries.
 */
export async function insertDelegatedMeasure(
  tx: Pick<Sql, "query">,
  measure: Omit<NewMeasure, "route"> & { agencyKind: string; endpointKey: string; delegatedTaskId: string },
  audit: AuditEntry,
): Promise<MeasureRow> {
  const id = randomUUID();
  const [inserted] = await tx.query<MeasureRow>(
    `WITH audit AS (INSERT INTO audit_event (${AUDIT_COLUMNS}) VALUES ${auditValuesSql(20)})
     ${INSERT_MEASURE}
     RETURNING ${MEASURE_COLUMNS}`,
    [...measureParams(id, { ...measure, applyRequestId: randomUUID() }), ...auditParams({ ...audit, subjectId: id })],
  );
  return inserted;
}

/**
 * A held request is due at this instant, i.e. never, until heldReleases.ts makes it due: a release
 * ordered while the agency has not yet answered the order waits for that answer.
 */
export const HELD_UNTIL = "9999-12-31T00:00:00Z";

/**
 * Records one control request (apply, release or renew) of a measure, leased to this instance,
 * or, when `lease` is "HELD", held unleased until heldReleases.ts lets it go.
 */
export async function recordControlRequest(
  tx: Pick<Sql, "query">,
  measure: Pick<MeasureRow, "id" | "case_id" | "debtor_id">,
  call: ControlCallRecord,
  route: ResolvedRoute,
  audit: AuditEntry,
  lease: { owner: string; leaseMs: number } | "HELD",
): Promise<LeasedRequest<ControlCallRecord>> {
  const held = lease === "HELD";
  const [request] = await tx.query<LeasedRequest<ControlCallRecord>>(
    `WITH audit AS (INSERT INTO audit_event (${AUDIT_COLUMNS}) VALUES ${auditValuesSql(13)})
     INSERT INTO agency_request (id, operation, agency_kind, channel, endpoint_key, case_id, debtor_id, status, payload,
                                 next_attempt_at, deadline_at, lease_owner, lease_until, measure_id)
     VALUES ($1::uuid, 'CONTROL', $2, $3::"Channel", $4, $5::uuid, $6::uuid, 'QUEUED', $7::jsonb,
             CASE WHEN $12::boolean THEN '${HELD_UNTIL}'::timestamptz ELSE now() END,
             now() + $8 * interval '1 millisecond', $9,
               CASE WHEN $12::boolean THEN NULL ELSE now() + $10 * interval '1 millisecond' END, $11::uuid)
     RETURNING ${LEASED_COLUMNS}`,
    [
      call.idempotencyKey,
      route.kind,
      route.channel,
      route.endpointKey,
      measure.case_id,
      measure.debtor_id,
      JSON.stringify(sealPayload(call)),
      route.answerWithinMs,
      held ? null : lease.owner,
      held ? 0 : lease.leaseMs,
      measure.id,
      held,
      ...auditParams(audit),
    ],
  );
  return request;
}

const MISS_DEADLINE = MEASURE_TRANSITIONS.MISS_DEADLINE;

/**
 * The order's deadline passed unanswered: the measure is UNCONFIRMED (it may be in force at the agency), with the reason and
 * its audit row. Returns the case's court when the measure moved, undefined when it had moved on (answered, released) or
 * was already unconfirmed.
 */
export async function markUnconfirmed(
  sql: Pick<Sql, "query">,
  measureId: string,
  reason: string,
  audit: AuditEntry,
): Promise<{ courtCode: string } | undefined> {
  const [moved] = await sql.query<{ court_code: string }>(
    `WITH moved AS (
       UPDATE measure SET status = '${MISS_DEADLINE.to}', last_error = $2, updated_at = now()
        WHERE id = $1::uuid AND status IN (${sqlList(MISS_DEADLINE.from)})
        RETURNING id, case_id),
     audit AS (
       INSERT INTO audit_event (${AUDIT_COLUMNS})
       SELECT * FROM (VALUES ${auditValuesSql(3)}) AS a WHERE EXISTS (SELECT 1 FROM moved))
     SELECT c.court_code FROM moved JOIN enforcement_case c ON c.id = moved.case_id`,
    [measureId, reason, ...auditParams(audit)],
  );
  return moved && { courtCode: moved.court_code };
}

/**
 * Still UNCONFIRMED past the final horizon of lookups (HUB_UNCONFIRMED_GIVE_UP_DAYS): flagged for a supervisor, with the reason
 * and its audit row; its status stays UNCONFIRMED, since the agency may hold it. Returns the case's court when newly flagged.
 */
export async function markNeedsAttention(
  sql: Pick<Sql, "query">,
  measureId: string,
  reason: string,
  audit: AuditEntry,
): Promise<{ courtCode: string } | undefined> {
  const [flagged] = await sql.query<{ court_code: string }>(
    `WITH flagged AS (
       UPDATE measure SET needs_attention_at = now(), last_error = $2, updated_at = now()
        WHERE id = $1::uuid AND status = '${MISS_DEADLINE.to}' AND needs_attention_at IS NULL
        RETURNING id, case_id),
     audit AS (
       INSERT INTO audit_event (${AUDIT_COLUMNS})
       SELECT * FROM (VALUES ${auditValuesSql(3)}) AS a WHERE EXISTS (SELECT 1 FROM flagged))
     SELECT c.court_code FROM flagged JOIN enforcement_case c ON c.id = flagged.case_id`,
    [measureId, reason, ...auditParams(audit)],
  );
  return flagged && { courtCode: flagged.court_code };
}

const CHANGE_ALLOWED = allowedTransitionSql(measureLifecycle, "c.change_event", "measure.status");

/** A MeasureChange's columns, as measureChangeSql reads them from a record (jsonb_to_recordset). */
const MEASURE_CHANGE_COLUMNS = `change_event text, change_status "MeasureStatus", change_rank int, keep_rank boolean,
  change_effective_from timestamptz, change_agency_reference text, change_starts_on date, change_expires_on date,
    change_released_at timestamptz, change_last_error text`;

/** One record of MEASURE_CHANGE_COLUMNS. */
function measureChangeRecord(change: MeasureChange): Record<string, unknown> {
  return {
    change_event: change.event ?? null,
    change_status: change.event ? MEASURE_TRANSITIONS[change.event].to : null,
    change_rank: change.rank ?? null,
    keep_rank: change.rank === undefined,
    change_effective_from: change.effectiveFrom ?? null,
    change_agency_reference: change.agencyReference ?? null,
    change_starts_on: change.startsOn ?? null,
    change_expires_on: change.expiresOn ?? null,
    change_released_at: change.releasedAt ?? null,
    change_last_error: change.lastError ?? null,
  };
}

/**
 * An UPDATE of the measures that `match` selects, each applying the MeasureChange of its row `c` of `from`
 * (records of MEASURE_CHANGE_COLUMNS).
 *
 * The change applies only where measureLifecycle.ts lets its event move the measure: the answer to an order
 * moves only a measure still REQUESTED (a resent order's answer may be stale), a release whatever the status;
 * renewals and errors carry no event.
 *
 * A new last day (a renewal) clears the expiry warnings already sent: the 30/7/1-day warnings are due
 * again before it, and kept, those of the old period would silence those of the new one (Henan High Court supervision opinion, item 13).
 */
function measureChangeSql(from: string, match: string): string {
  return `UPDATE measure SET
      status = coalesce(c.change_status, measure.status),
      rank = CASE WHEN c.keep_rank THEN measure.rank ELSE c.change_rank END,
      effective_from = coalesce(c.change_effective_from, measure.effective_from),
      agency_reference = coalesce(c.change_agency_reference, measure.agency_reference),
      starts_on = coalesce(c.change_starts_on, measure.starts_on),
      expires_on = coalesce(c.change_expires_on, measure.expires_on),
      warned_days = CASE WHEN c.change_expires_on <> measure.expires_on THEN '{}'::int[] ELSE measure.warned_days END,
      released_at = coalesce(c.change_released_at, measure.released_at),
      last_error = coalesce(c.change_last_error, measure.last_error),
      updated_at = now()
    FROM ${from}
    WHERE ${match} AND (c.change_event IS NULL OR ${CHANGE_ALLOWED})`;
}

/**
 * One MeasureChange of one measure, outside an agency exchange (a delegated task's report, delegatedMeasures.ts), where
 * measureLifecycle.ts lets its event move the measure; returns the measure's status after it, undefined when the table did
 * not allow the move.
 */
export async function changeMeasure(tx: Pick<Sql, "query">, measureId: string, change: MeasureChange): Promise<string | undefined> {
  const [row] = await tx.query<{ status: string }>(
    `${measureChangeSql(`jsonb_to_record($2::jsonb) AS c(${MEASURE_CHANGE_COLUMNS})`, "measure.id = $1::uuid")}
     RETURNING measure.status::text AS status`,
    [measureId, JSON.stringify(measureChangeRecord(change))],
  );
  return row?.status;
}

/**
 * A control request's answer changes its measure in the statement that finishes the request (AgencyRequestStore.finish),
 * and the audit row of the exchange shows the measure after it (`detail.measure`: its status, rank, expiry, …).
 */
export const MEASURE_FINISHING: FinishingChange<MeasureChange> = {
  columns: MEASURE_CHANGE_COLUMNS,
  record: measureChangeRecord,
  update: `${measureChangeSql("req JOIN input AS c ON c.ord = req.ord", "measure.id = req.measure_id")}
    RETURNING req.ord, measure.status::text AS status, measure.rank, measure.starts_on::text AS "startsOn",
              measure.expires_on::text AS "expiresOn",
              measure.agency_reference AS "agencyReference", measure.released_at AS "releasedAt"`,
  auditKey: "measure",
};
