/**
 * Delegated tasks (事项委托) between courts. Where a task changes state: `delegate` creates it, and
 * `act` applies one step of domain/delegation/taskLifecycle.ts (receive, accept, complete, return,
 * reject, withdraw) for the court of the officer calling, and records what it answers (taskStore.ts).
 *
 * When the other court is served by a peer hub (the task's `peerHub`), the delegation and each step
 * recorded here go to that hub as peer messages in the same transaction (taskMessages.ts), and the
 * peer's messages are applied here the same way, on this hub's copy of the task: the same `applyStep`
 * for the court the message says acted, which must be a court the sending hub serves.
 */
import type { DelegatedTaskKind } from "../../domain/delegation/taskKinds.js";
import { applyStep, type TaskAction } from "../../domain/delegation/taskLifecycle.js";
import type { Court } from "../../domain/courts/competentCourt.js";
import { requireRole, type Caller } from "../auth/access.js";
import { findCaseForCaller, findDebtorOfCase } from "../cases/caseAccess.js";
import type { CourtDirectory } from "../courts/courtDirectory.js";
import { HubError, guardRefused, invalidField } from "../errors.js";
import type { DelegatedTaskEvent, HubEvents } from "../events/hubEvents.js";
import type { ReceivedPeerMessage } from "../peering/peerInbox.js";
import type { PeerMessaging } from "../peering/peerMessaging.js";
import { PeerRefusal } from "../peering/peerRefusal.js";
import type { Sql } from "../persistence/database.js";
import { readDocuments, type DocumentInput, type TaskDocument } from "./taskDocuments.js";
import {
  TASK_DELEGATED,
  TASK_STEP,
  checkArrivedDocuments,
  readTaskDelegated,
  readTaskStep,
  refusedForGood,
  sentDocuments,
  type TaskDelegatedBody,
  type TaskStepBody,
} from "./taskMessages.js";
import { checkResults, type TaskResultsInput } from "./taskResults.js";
import { insertTask, lockTask, recordStep, taskEvent, type TaskRow } from "./taskStore.js";

type Tx = Pick<Sql, "query">;

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

/** Who brings a step: an officer of this hub, or a peer hub with the step as it recorded it. */
type StepOrigin = { peer?: undefined; at: Date } | { peer: string; at: Date; seq: number };

export class DelegationService {
  constructor(
    private readonly deps: {
      sql: Sql;
      directory: CourtDirectory;
      events: HubEvents;
      clock: () => Date;
      /** This hub's identifier in the directory and to its peers; unset, it serves every court there. */
      hubId?: string;
      maxDocumentBytes: number;
      /** Carries tasks to and from the hubs serving other provinces' courts. */
      peering?: PeerMessaging;
    },
  ) {
    deps.peering?.handle(TASK_DELEGATED, (message, tx) => refusedForGood(() => this.receiveTask(message, tx)));
    deps.peering?.handle(TASK_STEP, (message, tx) => refusedForGood(() => this.receiveStep(message, tx)));
  }

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
    const task = await this.deps.sql.transaction(async (tx) => {
      const task = await insertTask(
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
      );
      const sent: TaskDelegatedBody = {
        caseNumber: enforcementCase.case_number,
        debtor: { kind: debtor.kind as TaskDelegatedBody["debtor"]["kind"], idNumber: debtor.id_number, name: debtor.name },
        kind: input.kind,
        instructions,
        delegatingCourt: principal.org,
        targetCourt: target.code,
        divisionCode: input.divisionCode ?? null,
        delegatedBy: principal.officer,
        sentAt: at.toISOString(),
        documents: sentDocuments(documents),
      };
      await this.tellPeer(tx, task, TASK_DELEGATED, sent, principal.officer);
      return task;
    });
    this.announce(taskEvent(task, { action: "DELEGATE", status: "SENT", seq: 1 }));
    return task.id;
  }

  /** A step by an officer of this hub, acting for their court. */
  async act(caller: Caller, input: StepInput): Promise<string> {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    return this.record({ court: principal.org, officer: principal.officer }, input);
  }

  /** Applies one step for a court: the lifecycle decides, the store records, the step is announced. */
  async record(actor: { court: string; officer: string }, input: StepInput): Promise<string> {
    if (!UUID.test(input.taskId)) throw invalidField("taskId", "not a task id this hub issued");
    const documents = readDocuments(input.documents, this.deps.maxDocumentBytes);
    const event = await this.deps.sql.transaction((tx) => this.recordIn(tx, actor, input, documents, { at: this.deps.clock() }));
    this.announce(event);
    return input.taskId;
  }

  private async recordIn(tx: Tx, actor: { court: string; officer: string }, input: StepInput, documents: TaskDocument[], origin: StepOrigin): Promise<DelegatedTaskEvent> {
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
      { action: input.action, status: step.status, actorCourt: actor.court, actorOfficer: actor.officer, reason, at: origin.at },
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
          ...(origin.peer ? { fromHub: origin.peer } : {}),
        },
      },
    );
    if (origin.peer) {
      // Both copies number the steps alike; a different number means they no longer hold the same task.
      if (seq !== origin.seq) throw new PeerRefusal("REJECTED", `step ${origin.seq} of task ${task.id} would be step ${seq} here`);
    } else {
      const sent: TaskStepBody = {
        seq,
        action: input.action,
        actorCourt: actor.court,
        actorOfficer: actor.officer,
        reason,
        at: origin.at.toISOString(),
        results,
        documents: sentDocuments(documents),
      };
      await this.tellPeer(tx, task, TASK_STEP, sent, actor.officer);
    }
    return taskEvent(task, { action: input.action, status: step.status, seq });
  }

  /** A peer hub's delegation to a court of this hub: this hub's copy of the task, with the same id. */
  private async receiveTask(message: ReceivedPeerMessage, tx: Tx): Promise<() => void> {
    const body = readTaskDelegated(message.body);
    const id = message.conversation;
    if (!UUID.test(id)) throw new PeerRefusal("REJECTED", `${id} is not a task id`);
    this.requireServedBy(message.from, body.delegatingCourt);
    this.requireServedBy(this.deps.hubId, body.targetCourt);
    const documents = readDocuments(body.documents, this.deps.maxDocumentBytes);
    checkArrivedDocuments(body.documents, documents);
    const [existing] = await tx.query(`SELECT 1 FROM delegated_task WHERE id = $1::uuid`, [id]);
    if (existing) throw new PeerRefusal("REJECTED", `task ${id} already exists here`);
    const task = await insertTask(
      tx,
      { id, caseId: null, debtorId: null, ...body, peerHub: message.from, at: new Date(body.sentAt) },
      documents,
      {
        actorOrg: body.delegatingCourt,
        actorOfficer: body.delegatedBy,
        action: "DELEGATED_TASK_SENT",
        caseId: null,
        purpose: `${body.kind} → ${body.targetCourt}`,
        detail: {
          kind: body.kind,
          targetCourt: body.targetCourt,
          caseNumber: body.caseNumber,
          divisionCode: body.divisionCode,
          instructions: body.instructions,
          documents: documents.map(({ name, size, sm3 }) => ({ name, size, sm3 })),
          fromHub: message.from,
        },
      },
    );
    return () => this.announce(taskEvent(task, { action: "DELEGATE", status: "SENT", seq: 1 }));
  }

  /** A step recorded on the peer hub for one of its courts, applied here on this hub's copy. */
  private async receiveStep(message: ReceivedPeerMessage, tx: Tx): Promise<() => void> {
    const body = readTaskStep(message.body);
    this.requireServedBy(message.from, body.actorCourt);
    const documents = readDocuments(body.documents, this.deps.maxDocumentBytes);
    checkArrivedDocuments(body.documents, documents);
    const event = await this.recordIn(
      tx,
      { court: body.actorCourt, officer: body.actorOfficer },
      { taskId: message.conversation, action: body.action, reason: body.reason ?? undefined, results: body.results ?? undefined },
      documents,
      { peer: message.from, at: new Date(body.at), seq: body.seq },
    );
    // Only the two hubs of a task exchange its steps: a third hub's message about it is not one of them.
    if (event.peerHub !== message.from) throw new PeerRefusal("REJECTED", `task ${message.conversation} is not shared with hub ${message.from}`);
    return () => this.announce(event);
  }

  /** A hub speaks only for the courts the directory says it serves. */
  private requireServedBy(hubId: string | undefined, courtCode: string): void {
    const court = this.deps.directory.court(courtCode);
    if (!court) throw new PeerRefusal("REJECTED", `${courtCode} is not a court in this hub's court directory`);
    const servedBy = this.deps.directory.hubOf(court);
    if (servedBy !== hubId) throw new PeerRefusal("REJECTED", `court ${courtCode} is served by hub ${servedBy}, not ${hubId}`);
  }

  /** Records the message for the task's peer hub in the step's own transaction, so both commit or neither. */
  private async tellPeer(tx: Tx, task: TaskRow, type: string, body: TaskDelegatedBody | TaskStepBody, officer: string): Promise<void> {
    if (!task.peer_hub) return;
    if (!this.deps.peering?.registry.peer(task.peer_hub)) {
      throw new HubError("NO_ROUTE", `the task's other court is served by hub ${task.peer_hub}, which is not a peer of this hub`, { peerHub: task.peer_hub });
    }
    const actorOrg = type === TASK_DELEGATED ? task.delegating_court : (body as TaskStepBody).actorCourt;
    await this.deps.peering.send(tx, { to: task.peer_hub, type, conversation: task.id, body }, { actorOrg, actorOfficer: officer, caseId: task.case_id });
  }

  private announce(event: DelegatedTaskEvent): void {
    this.deps.events.publish("DELEGATED_TASK", event);
    if (event.peerHub) this.deps.peering?.deliverNow();
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
