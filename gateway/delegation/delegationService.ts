/**
 * Delegated tasks (事项委托) between courts. Where a task changes state: `delegate` creates it, and
 * `act` applies one step of domain/delegation/taskLifecycle.ts (receive, accept, complete, return,
 * reject, withdraw) for the court of the officer calling, and records what it answers (taskStore.ts).
 *
 * The service does not care where the other party is. Each recorded step is announced on the
 * DELEGATED_TASK topic with the task's `peerHub` (the hub serving the target court when it is not this
 * one): subscribers of both courts on this hub hear it, and a peering outbox can carry the same step to
 * the peer hub, which applies it with the same pure function.
 */
import type { DelegatedTaskKind } from "../../domain/delegation/taskKinds.js";
import { applyStep, type TaskAction } from "../../domain/delegation/taskLifecycle.js";
import type { Court } from "../../domain/courts/competentCourt.js";
import { requireRole, type Caller } from "../auth/access.js";
import { findCaseForCaller, findDebtorOfCase } from "../cases/caseAccess.js";
import type { CourtDirectory } from "../courts/courtDirectory.js";
import { HubError, guardRefused, invalidField } from "../errors.js";
import type { HubEvents } from "../events/hubEvents.js";
import type { Sql } from "../persistence/database.js";
import { readDocuments, type DocumentInput } from "./taskDocuments.js";
import { checkResults, type TaskResultsInput } from "./taskResults.js";
import { insertTask, lockTask, recordStep, taskEvent } from "./taskStore.js";

export interface DelegateInput {
  caseNumber: string;
  debtorIdNumber: string;
  kind: DelegatedTaskKind;
  instructions: string;
  /** The target court's code (皖0104)… */
  targetCourt?: string;
  /** …or where the asset or person is; the directory resolves the competent court. */
  divisionCode?: string;
  documents?: DocumentInput[];
}

export interface StepInput {
  taskId: string;
  action: TaskAction;
  reason?: string;
  results?: TaskResultsInput;
  documents?: DocumentInput[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class DelegationService {
  constructor(
    private readonly deps: {
      sql: Sql;
      directory: CourtDirectory;
      events: HubEvents;
      clock: () => Date;
      /** This hub's identifier in the directory; unset, it serves every court there. */
      hubId?: string;
      maxDocumentBytes: number;
    },
  ) {}

  async delegate(caller: Caller, input: DelegateInput): Promise<string> {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    const instructions = input.instructions.trim();
    if (!instructions) throw invalidField("instructions", "say what the target court is to do");
    const documents = readDocuments(input.documents, this.deps.maxDocumentBytes);
    const target = this.targetCourt(input);
    const enforcementCase = await findCaseForCaller(this.deps.sql, principal, input.caseNumber);
    // Supervisors may see any case, but only the court that owns the case delegates its work.
    if (enforcementCase.court_code !== principal.org) {
      throw new HubError("FORBIDDEN", `only court ${enforcementCase.court_code}, which owns the case, delegates its tasks`, { reason: "NOT_THE_CASE_COURT" });
    }
    if (target.code === principal.org) throw invalidField("targetCourt", "a court does not delegate a task to itself");
    const debtor = await findDebtorOfCase(this.deps.sql, enforcementCase, input.debtorIdNumber);
    const targetHub = this.deps.directory.hubOf(target);
    const at = this.deps.clock();
    const task = await this.deps.sql.transaction((tx) =>
      insertTask(
        tx,
        {
          caseId: enforcementCase.id,
          debtorId: debtor.id,
          caseNumber: enforcementCase.case_number,
          debtor: { kind: debtor.kind, idNumber: debtor.id_number, name: debtor.name },
          kind: input.kind,
          instructions,
          delegatingCourt: principal.org,
          targetCourt: target.code,
          divisionCode: input.divisionCode ?? null,
          peerHub: this.deps.hubId && targetHub !== this.deps.hubId ? targetHub : null,
          delegatedBy: principal.officer,
          at,
        },
        documents,
        {
          actorOrg: principal.org,
          actorOfficer: principal.officer,
          action: "DELEGATED_TASK_SENT",
          caseId: enforcementCase.id,
          debtorId: debtor.id,
          purpose: `${input.kind} → ${target.code}`,
          detail: { kind: input.kind, targetCourt: target.code, divisionCode: input.divisionCode ?? null, instructions, documents: documents.map(({ name, size, sm3 }) => ({ name, size, sm3 })) },
        },
      ),
    );
    this.deps.events.publish("DELEGATED_TASK", taskEvent(task, { action: "DELEGATE", status: "SENT", seq: 1 }));
    return task.id;
  }

  /** A step by an officer of this hub, acting for their court. */
  async act(caller: Caller, input: StepInput): Promise<string> {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    return this.record({ court: principal.org, officer: principal.officer }, input);
  }

  /**
   * Applies one step for a court, whoever brings it: an officer here (act), or, once peering is wired,
   * a step a peer hub signed for its court. The lifecycle decides, the store records, the step is
   * announced.
   */
  async record(actor: { court: string; officer: string }, input: StepInput): Promise<string> {
    if (!UUID.test(input.taskId)) throw invalidField("taskId", "not a task id this hub issued");
    const documents = readDocuments(input.documents, this.deps.maxDocumentBytes);
    const at = this.deps.clock();
    const { task, status, seq } = await this.deps.sql.transaction(async (tx) => {
      const task = await lockTask(tx, input.taskId);
      if (!task) throw new HubError("NOT_FOUND", `no delegated task ${input.taskId}`, { field: "taskId" });
      const step = applyStep(
        { status: task.status, delegatingCourt: task.delegating_court, targetCourt: task.target_court },
        { actorCourt: actor.court, action: input.action, reason: input.reason },
      );
      if (!step.ok) throw guardRefused(step);
      const results = input.action === "COMPLETE" ? checkResults(task.kind, input.results) : null;
      const reason = input.reason?.trim() || null;
      const seq = await recordStep(
        tx,
        task,
        { action: input.action, status: step.status, actorCourt: actor.court, actorOfficer: actor.officer, reason, at },
        { results: results && { summary: results.summary, assets: results.assets ?? [] }, documents },
        {
          actorOrg: actor.court,
          actorOfficer: actor.officer,
          action: `DELEGATED_TASK_${step.status}`,
          caseId: task.case_id,
          debtorId: task.debtor_id,
          subjectId: task.id,
          purpose: `${input.action} ${task.kind}`,
          detail: {
            from: task.status,
            to: step.status,
            reason,
            results: results && { summary: results.summary, assets: (results.assets ?? []).map((a) => a.identifier) },
            documents: documents.map(({ name, size, sm3 }) => ({ name, size, sm3 })),
          },
        },
      );
      return { task, status: step.status, seq };
    });
    this.deps.events.publish("DELEGATED_TASK", taskEvent(task, { action: input.action, status, seq }));
    return task.id;
  }

  private targetCourt(input: DelegateInput): Court {
    if (input.targetCourt && input.divisionCode) throw invalidField("targetCourt", "name the target court or give a division code, not both");
    if (input.targetCourt) {
      const court = this.deps.directory.court(input.targetCourt.trim());
      if (!court) throw invalidField("targetCourt", `${input.targetCourt} is not a court in the hub's court directory`);
      return court;
    }
    if (!input.divisionCode) throw invalidField("targetCourt", "name the target court, or give the division code of where the asset or person is");
    const resolved = this.deps.directory.competentCourt(input.divisionCode.trim());
    if (!resolved.ok) throw guardRefused({ ...resolved, field: "divisionCode" });
    return resolved.court;
  }
}
