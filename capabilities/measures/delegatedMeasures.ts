/**
 * The measure of a delegated freeze, seal or deduction (事项委托), recorded REQUESTED when the task is sent
 * (MeasureService.recordDelegatedOrder), as the executing court's steps settle it: its report of the agency's registration
 * makes it EFFECTIVE (or QUEUED behind another court's seal) with the period as registered (queuedPeriod.ts), and a sighting
 * of its asset whose source is the task; a task returned, refused or withdrawn leaves no measure at the agency, so the
 * measure FAILs. Every move is one of measureLifecycle.ts, made in the transaction of the task's step.
 */
import { invalidField } from "../../gateway/errors.js";
import { appendAudit } from "../../gateway/audit/auditEvent.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { periodAsRegistered } from "../../domain/measures/queuedPeriod.js";
import { maximumPeriodMonths } from "../../domain/measures/maximumPeriod.js";
import { lastDayOfPeriod } from "../../domain/measures/periodDates.js";
import { HELD_AT_AGENCY } from "../../domain/measures/measureLifecycle.js";
import type { AssetCategory, MeasureKind } from "../../domain/measures/measureKinds.js";
import type { MeasureChange } from "./controlOutcome.js";
import { MEASURE_COLUMNS, changeMeasure, type MeasureRow } from "./measureStore.js";

type Tx = Pick<Sql, "query">;

/** What the executing court reports the agency registered. */
export interface ControlReport {
  /** What was sealed, frozen or deducted from: the asset of the task's measure. */
  assetIdentifier: string;
  /** The agency's registration (查封登记号, 冻结文号). */
  agencyReference: string;
  /** The day the agency registered it (YYYY-MM-DD). */
  registeredOn: string;
  /** The last day the agency registered; the length ordered when not given. */
  registeredUntil?: string;
  /** 轮候 rank at the agency, when another court's seal comes first. */
  rank?: number;
}

/** A delegated measure after its task's step, for the case's measureUpdates. */
export interface DelegatedMeasureMove {
  measureId: string;
  caseId: string;
  status: string;
}

type Row = MeasureRow & { asset_id: string | null };

async function lockMeasureOfTask(tx: Tx, taskId: string): Promise<Row | undefined> {
  const [row] = await tx.query<Row>(
    `SELECT ${MEASURE_COLUMNS}, asset_id::text AS asset_id FROM measure WHERE delegated_task_id = $1::uuid FOR UPDATE`,
    [taskId],
  );
  return row;
}

/** The executing court completed the task: the agency's registration, as it reported it. */
export async function reportDelegatedMeasure(
  tx: Tx,
  task: { id: string; target_court: string },
  report: ControlReport,
  by: { court: string; officer: string },
): Promise<DelegatedMeasureMove | undefined> {
  const measure = await lockMeasureOfTask(tx, task.id);
  if (!measure) return undefined;
  if (report.assetIdentifier.trim() !== measure.asset_identifier) {
    throw invalidField(
      "results.control.assetIdentifier",
      `the task was delegated to ${measure.kind} ${measure.asset_identifier}, not ${report.assetIdentifier}`,
    );
  }
  const change = registeredChange(measure, report);
  const status = await changeMeasure(tx, measure.id, change);
  await addSighting(tx, measure, task.id, report);
  await appendAudit(tx, {
    actorOrg: by.court,
    actorOfficer: by.officer,
    action: "MEASURE_REPORTED_BY_DELEGATION",
    caseId: measure.case_id,
    debtorId: measure.debtor_id,
    subjectId: measure.id,
    purpose: `${measure.kind} ${measure.asset_identifier}`,
    detail: { delegatedTask: task.id, targetCourt: task.target_court, report, status: status ?? measure.status, change },
  });
  return status ? { measureId: measure.id, caseId: measure.case_id, status } : undefined;
}

/**
 * The executing court completed a task renewing (续行) the measure: the agency's new last day, within one maximum period of
 * 民诉法解释 2022 art. 485 after the last day then recorded (renewal.ts), on a measure still held there; a measure lapsed or
 * released meanwhile is not revived. The new last day clears the expiry warnings already sent, as any renewal does.
 */
export async function renewDelegatedMeasure(
  tx: Tx,
  task: { id: string; target_court: string; renews_measure_id: string },
  report: ControlReport,
  by: { court: string; officer: string },
): Promise<DelegatedMeasureMove | undefined> {
  const [measure] = await tx.query<Row>(
    `SELECT ${MEASURE_COLUMNS}, asset_id::text AS asset_id FROM measure WHERE id = $1::uuid FOR UPDATE`,
    [task.renews_measure_id],
  );
  if (report.assetIdentifier.trim() !== measure.asset_identifier) {
    throw invalidField(
      "results.control.assetIdentifier",
      `the task renews ${measure.kind} ${measure.asset_identifier}, not ${report.assetIdentifier}`,
    );
  }
  if (!report.registeredUntil)
    throw invalidField("results.control.registeredUntil", "a renewal reports the new last day the agency registered");
  const maximum = maximumPeriodMonths(measure.kind as MeasureKind, measure.asset_category as AssetCategory);
  const latest = maximum.ok ? lastDayOfPeriod(measure.expires_on, maximum.months) : report.registeredUntil;
  const expiresOn = report.registeredUntil < latest ? report.registeredUntil : latest;
  const held = (HELD_AT_AGENCY as readonly string[]).includes(measure.status);
  if (held) await changeMeasure(tx, measure.id, { expiresOn, agencyReference: report.agencyReference });
  await addSighting(tx, measure, task.id, report);
  await appendAudit(tx, {
    actorOrg: by.court,
    actorOfficer: by.officer,
    action: "MEASURE_RENEWED_BY_DELEGATION",
    caseId: measure.case_id,
    debtorId: measure.debtor_id,
    subjectId: measure.id,
    purpose: `RENEW ${measure.kind} ${measure.asset_identifier}`,
    detail: { delegatedTask: task.id, targetCourt: task.target_court, report, from: measure.expires_on, to: held ? expiresOn : null },
  });
  return held ? { measureId: measure.id, caseId: measure.case_id, status: measure.status } : undefined;
}

/** The task ended without a registration (returned, refused, withdrawn): nothing is held at the agency. */
export async function endDelegatedMeasure(tx: Tx, taskId: string, taskStatus: string, reason: string | null) {
  const measure = await lockMeasureOfTask(tx, taskId);
  if (!measure) return undefined;
  const lastError = `delegated task ${taskStatus}${reason ? `: ${reason}` : ""}`;
  const status = await changeMeasure(tx, measure.id, { event: "FAIL", lastError });
  return status ? { measureId: measure.id, caseId: measure.case_id, status } : undefined;
}

function registeredChange(measure: Row, report: ControlReport): MeasureChange {
  const effectiveFrom = `${report.registeredOn}T00:00:00+08:00`;
  if (report.rank !== undefined && report.rank > 1) {
    return { event: "QUEUE", rank: report.rank, agencyReference: report.agencyReference };
  }
  if (measure.kind === "DEDUCT") return { event: "TAKE_EFFECT", rank: null, effectiveFrom, agencyReference: report.agencyReference };
  const period = periodAsRegistered(
    {
      kind: measure.kind as MeasureKind,
      category: measure.asset_category as AssetCategory,
      startsOn: measure.starts_on,
      expiresOn: measure.expires_on,
    },
    report.registeredOn,
    report.registeredUntil,
  );
  if (!period.ok) throw invalidField("results.control", period.reason);
  return {
    event: "TAKE_EFFECT",
    rank: 1,
    effectiveFrom,
    agencyReference: report.agencyReference,
    startsOn: period.startsOn,
    expiresOn: period.expiresOn,
  };
}

/**
 * The task saw the asset: a sighting of the measure's asset, with the registration. A measure on an asset the court
 * identified itself has no asset row (as a direct order on one has none), so it has no sighting either.
 */
async function addSighting(tx: Tx, measure: Row, taskId: string, report: ControlReport): Promise<void> {
  if (!measure.asset_id) return;
  const seen = { controlledBy: { kind: measure.kind, agencyReference: report.agencyReference, registeredOn: report.registeredOn } };
  await tx.query(
    `WITH seen AS (
       UPDATE asset SET last_seen_at = now() WHERE id = $1::uuid RETURNING id, identifier, description, estimated_value, details)
     INSERT INTO asset_sighting (id, asset_id, delegated_task_id, identifier, description, estimated_value, details)
     SELECT gen_random_uuid(), seen.id, $2::uuid, seen.identifier, seen.description, seen.estimated_value, seen.details || $3::jsonb
       FROM seen
     ON CONFLICT (asset_id, delegated_task_id) DO NOTHING`,
    [measure.asset_id, taskId, JSON.stringify(seen)],
  );
}
