/**
 * The rows of a delegated task: the task itself, its steps, its documents, and the assets its results
 * reported. Each change is written in one transaction with its step and its audit row.
 */
import { assetIdentity } from "../../domain/inquiry/assetIdentity.js";
import { dataCipher } from "../../gateway/persistence/dataCipher.js";
import type { AgencyKind } from "../../connectors/connector.js";
import { FINAL_STATUSES, type TaskStatus } from "../../domain/delegation/taskLifecycle.js";
import type { DelegatedTaskKind } from "../../domain/delegation/taskKinds.js";
import { appendAudit, type AuditEntry } from "../../gateway/audit/auditEvent.js";
import type { DelegatedTaskEvent } from "../../gateway/events/hubEvents.js";
import type { Sql } from "../../gateway/persistence/database.js";
import type { TaskDocument } from "./taskDocuments.js";
import type { ReportedAsset } from "./taskResults.js";
import type { ControlReport } from "../measures/delegatedMeasures.js";

type Tx = Pick<Sql, "query">;

export interface TaskRow {
  id: string;
  /** Null on a peer hub's copy (see DelegatedTask in prisma/schema.prisma). */
  case_id: string | null;
  debtor_id: string | null;
  kind: DelegatedTaskKind;
  status: TaskStatus;
  delegating_court: string;
  target_court: string;
  peer_hub: string | null;
  sent_at: Date;
  accepted_at: Date | null;
  alerts_sent: string[];
  withdrawal_requested_at: Date | null;
  withdrawal_refused_at: Date | null;
  /** A FREEZE or SEAL task renewing (续行) a measure an earlier task carried out. */
  renews_measure_id: string | null;
}

/** What both courts hear about a task: a step (action, status, seq), a withdrawal asked or refused, or a deadline alert. */
export function taskEvent(
  task: TaskRow,
  change: Pick<DelegatedTaskEvent, "action" | "status"> & Partial<DelegatedTaskEvent>,
): DelegatedTaskEvent {
  return {
    taskId: task.id,
    delegatingCourt: task.delegating_court,
    targetCourt: task.target_court,
    peerHub: task.peer_hub,
    seq: null,
    alert: null,
    deadline: null,
    dueAt: null,
    reason: null,
    ...change,
  };
}

export const TASK_COLUMNS = `id::text AS id, case_id::text AS case_id, debtor_id::text AS debtor_id, kind, status::text AS status,
  delegating_court, target_court, peer_hub, sent_at, accepted_at, alerts_sent, withdrawal_requested_at, withdrawal_refused_at,
  renews_measure_id::text AS renews_measure_id`;

export interface NewTask {
  /** Given on a peer hub's copy: the same id as on the delegating court's hub. */
  id?: string;
  /** Null on a peer hub's copy, which has no case. */
  caseId: string | null;
  debtorId: string | null;
  caseNumber: string;
  debtor: { kind: string; idNumber: string; name: string };
  kind: DelegatedTaskKind;
  instructions: string;
  delegatingCourt: string;
  targetCourt: string;
  divisionCode: string | null;
  peerHub: string | null;
  delegatedBy: string;
  at: Date;
}

export async function insertTask(tx: Tx, task: NewTask, documents: TaskDocument[], audit: Omit<AuditEntry, "subjectId">): Promise<TaskRow> {
  const [row] = await tx.query<TaskRow>(
    `INSERT INTO delegated_task (id, case_id, debtor_id, case_number, debtor_kind, debtor_id_number, debtor_name,
                                 kind, status, instructions, delegating_court, target_court, division_code, peer_hub, delegated_by, sent_at)
     VALUES (COALESCE($15::uuid, gen_random_uuid()), $1::uuid, $2::uuid, $3, $4::"DebtorKind",
       $5, $6, $7, 'SENT', $8, $9, $10, $11, $12, $13, $14)
     RETURNING ${TASK_COLUMNS}`,
    [
      task.caseId,
      task.debtorId,
      task.caseNumber,
      task.debtor.kind,
      // Sealed at rest (dataCipher.ts); only GraphQL's reads open them.
      dataCipher().seal(task.debtor.idNumber),
      dataCipher().seal(task.debtor.name),
      task.kind,
      task.instructions,
      task.delegatingCourt,
      task.targetCourt,
      task.divisionCode,
      task.peerHub,
      task.delegatedBy,
      task.at,
      task.id ?? null,
    ],
  );
  await insertStep(tx, row.id, 1, {
    action: "DELEGATE",
    status: "SENT",
    actorCourt: task.delegatingCourt,
    actorOfficer: task.delegatedBy,
    reason: null,
    at: task.at,
  });
  await insertDocuments(tx, row.id, 1, task.delegatingCourt, documents);
  await appendAudit(tx, { ...audit, subjectId: row.id });
  return row;
}

/** The task renews (续行) the measure: its completion moves that measure's last day (delegatedMeasures.ts). */
export async function linkRenewal(tx: Tx, taskId: string, measureId: string): Promise<void> {
  await tx.query(`UPDATE delegated_task SET renews_measure_id = $2::uuid WHERE id = $1::uuid`, [taskId, measureId]);
}

export async function lockTask(tx: Tx, id: string): Promise<TaskRow | undefined> {
  const [row] = await tx.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM delegated_task WHERE id = $1::uuid FOR UPDATE`, [id]);
  return row;
}

export interface StepRecord {
  action: string;
  status: TaskStatus;
  actorCourt: string;
  actorOfficer: string;
  reason: string | null;
  at: Date;
}

const FINAL_SQL = FINAL_STATUSES.map((status) => `'${status}'`).join(", ");

/** Moves the task to the step's status, with its timestamp, results, documents and found assets; returns the step's number. */
export async function recordStep(
  tx: Tx,
  task: TaskRow,
  step: StepRecord,
  extra: { results: { summary: string; assets: ReportedAsset[]; control?: ControlReport } | null; documents: TaskDocument[] },
  audit: AuditEntry,
): Promise<number> {
  await tx.query(
    `UPDATE delegated_task SET status = $2::"DelegatedTaskStatus",
            received_at = CASE WHEN $2 = 'RECEIVED' THEN $3 ELSE received_at END,
            accepted_at = CASE WHEN $2 = 'ACCEPTED' THEN $3 ELSE accepted_at END,
            finished_at = CASE WHEN $2 IN (${FINAL_SQL}) THEN $3 ELSE finished_at END,
            results = COALESCE($4::jsonb, results),
            withdrawal_requested_at = CASE WHEN $2 = 'WITHDRAWN' THEN NULL ELSE withdrawal_requested_at END,
            withdrawal_requested_by = CASE WHEN $2 = 'WITHDRAWN' THEN NULL ELSE withdrawal_requested_by END,
            withdrawal_reason = CASE WHEN $2 = 'WITHDRAWN' THEN NULL ELSE withdrawal_reason END
      WHERE id = $1::uuid`,
    [task.id, step.status, step.at, extra.results ? JSON.stringify(extra.results) : null],
  );
  const [{ seq }] = await tx.query<{ seq: number }>(
    `SELECT COALESCE(max(seq), 0)::int + 1 AS seq FROM delegated_task_step WHERE task_id = $1::uuid`,
    [task.id],
  );
  await insertStep(tx, task.id, seq, step);
  await insertDocuments(tx, task.id, seq, step.actorCourt, extra.documents);
  // Found assets join the case where the case is: on the delegating court's hub.
  if (task.case_id) for (const asset of extra.results?.assets ?? []) await insertFoundAsset(tx, task, asset);
  await appendAudit(tx, audit);
  return seq;
}

export interface WithdrawalRequest {
  requestedAt: Date;
  requestedBy: string;
  reason: string | null;
  /** Set once the target court's hub refused it; until then the request is pending. */
  refused: { at: Date; reason: string } | null;
}

/** The delegating court's withdrawal as asked of the target court's hub, or as that hub refused it. */
export async function recordWithdrawalRequest(tx: Tx, task: TaskRow, request: WithdrawalRequest, audit: AuditEntry): Promise<void> {
  await tx.query(
    `UPDATE delegated_task SET withdrawal_requested_at = $2, withdrawal_requested_by = $3, withdrawal_reason = $4,
            withdrawal_refused_at = $5, withdrawal_refusal = $6
      WHERE id = $1::uuid`,
    [task.id, request.requestedAt, request.requestedBy, request.reason, request.refused?.at ?? null, request.refused?.reason ?? null],
  );
  await appendAudit(tx, audit);
}

async function insertStep(tx: Tx, taskId: string, seq: number, step: StepRecord): Promise<void> {
  await tx.query(
    `INSERT INTO delegated_task_step (id, task_id, seq, action, status, actor_court, actor_officer, reason, at)
     VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4::"DelegatedTaskStatus", $5, $6, $7, $8)`,
    [taskId, seq, step.action, step.status, step.actorCourt, step.actorOfficer, step.reason, step.at],
  );
}

async function insertDocuments(tx: Tx, taskId: string, seq: number, sentBy: string, documents: TaskDocument[]): Promise<void> {
  for (const document of documents) {
    await tx.query(
      `INSERT INTO delegated_task_document (id, task_id, step_seq, sent_by, name, size, sm3, content)
       VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4, $5, $6, $7)`,
      [taskId, seq, sentBy, document.name, document.size, document.sm3, document.content],
    );
  }
}

/** The asset a delegated task reports: a sighting of the case's asset of that identity, created if new. */
async function insertFoundAsset(tx: Tx, task: TaskRow, asset: ReportedAsset): Promise<void> {
  const { agency, ...finding } = asset;
  await tx.query(
    `WITH found AS (
       INSERT INTO asset AS t (id, case_id, debtor_id, agency_kind, identity, type, identifier, description, estimated_value, details,
                               found_by)
       VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $4, $10, $5, $6, $7, $8::numeric, $9::jsonb, $3::uuid)
       ON CONFLICT (case_id, debtor_id, agency_kind, identity) DO UPDATE
          SET type = excluded.type, identifier = excluded.identifier, description = excluded.description,
              estimated_value = excluded.estimated_value, details = excluded.details, last_seen_at = now()
       RETURNING t.id)
     INSERT INTO asset_sighting (id, asset_id, delegated_task_id, identifier, description, estimated_value, details)
     SELECT gen_random_uuid(), found.id, $3::uuid, $6, $7, $8::numeric, $9::jsonb FROM found
     ON CONFLICT (asset_id, delegated_task_id) DO NOTHING`,
    [
      task.case_id,
      task.debtor_id,
      task.id,
      agency satisfies AgencyKind,
      finding.type,
      finding.identifier,
      finding.description,
      finding.estimatedValue ?? null,
      JSON.stringify({ ...finding, encumbrances: finding.encumbrances ?? [] }),
      assetIdentity(finding),
    ],
  );
}
