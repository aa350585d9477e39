/**
 * Delegated tasks (事项委托) between courts. Where a task changes state: `delegate` creates it, and
 * `act` applies one step of domain/delegation/taskLifecycle.ts (receive, accept, complete, return,
 * reject, withdraw) for the court of the officer calling, and records what it answers (taskStore.ts).
 *
 * When the other court is served by a peer hub (the task's `peerHub`), the delegation and each step
 * recorded here go to that hub as peer messages in the same transaction (taskMessages.ts), and the
 * peer's messages are applied here the same way, on this hub's copy of the task: the same `applyStep`
 * for the court the message says acted. Only the target court's hub decides steps
 * (domain/delegation/stepOrdering.ts); the delegating court's hub follows them, and asks for a
 * withdrawal instead of taking it, so two steps taken at once on the two hubs cannot part the copies.
 */
import { CONTROL_KINDS, isControlKind, type DelegatedTaskKind } from "../../domain/delegation/taskKinds.js";
import { FINAL_STATUSES } from "../../domain/delegation/taskLifecycle.js";
import { routeStep, type HubSide, type StepSource } from "../../domain/delegation/stepOrdering.js";
import {
  applyStep,
  partyOf,
  stepWithdrawalRequest,
  withdrawalRequestOf,
  type TaskAction,
  type TaskParty,
  type TaskState,
  type WithdrawalRequestEvent,
} from "../../domain/delegation/taskLifecycle.js";
import type { Court } from "../../domain/courts/competentCourt.js";
import { requireRole, type Caller } from "../../gateway/auth/access.js";
import { assertCaseAdmits, findCaseForCaller, findDebtorOfCase, lockCaseAdmitting } from "../cases/caseAccess.js";
import type { CourtDirectory } from "../../directory/courtDirectory.js";
import { HubError, guardRefused, invalidField } from "../../gateway/errors.js";
import type { DelegatedTaskEvent, HubEvents } from "../../gateway/events/hubEvents.js";
import type { ReceivedPeerMessage } from "../peering/peerInbox.js";
import type { LeasedPeerMessage } from "../peering/peerOutbox.js";
import type { PeerMessaging } from "../peering/peerMessaging.js";
import { PeerRefusal } from "../peering/peerRefusal.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { readDocuments, type DocumentInput, type DocumentLimits, type TaskDocument } from "./taskDocuments.js";
import {
  TASK_DELEGATED,
  TASK_MESSAGE_TYPES,
  TASK_STEP,
  TASK_WITHDRAWAL_REFUSED,
  TASK_WITHDRAWAL_REQUEST,
  checkArrivedDocuments,
  readTaskDelegated,
  readTaskStep,
  readWithdrawalRefused,
  readWithdrawalRequest,
  refusedForGood,
  sentDocuments,
  type TaskDelegatedBody,
  type TaskMessageType,
  type TaskStepBody,
  type WithdrawalRefusedBody,
  type WithdrawalRequestBody,
} from "./taskMessages.js";
import { checkResults, type TaskResultsInput } from "./taskResults.js";
import { insertTask, linkRenewal, lockTask, recordStep, recordWithdrawalRequest, taskEvent, type TaskRow } from "./taskStore.js";
import type { MeasureChangeInput, MeasureOrderInput, MeasureService } from "../measures/measureService.js";
import {
  endDelegatedMeasure,
  renewDelegatedMeasure,
  reportDelegatedMeasure,
  type DelegatedMeasureMove,
} from "../measures/delegatedMeasures.js";

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
  /** FREEZE, SEAL, DEDUCT: the measure to carry out, as an order made here would give it… */
  control?: DelegatedControl;
  /** …or FREEZE, SEAL: 续行 of a measure an earlier task carried out, as renewMeasure would give it. */
  renewal?: MeasureChangeInput & { expiresOn: string };
}

/** The measure a FREEZE, SEAL or DEDUCT task carries out: an order's asset, value, period, notice, decision. */
export type DelegatedControl = Omit<MeasureOrderInput, "caseNumber" | "debtorIdNumber" | "kind" | "channel">;

export interface StepInput {
  taskId: string;
  action: TaskAction;
  reason?: string;
  results?: TaskResultsInput;
  documents?: DocumentInput[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Who brings a step: an officer of this hub; the peer hub with a step it decided, numbered as it recorded
 * it; or the peer hub asking this one to decide a step of its court.
 */
type StepOrigin =
  | { source: "OFFICER"; at: Date }
  | { source: "PEER_DECISION"; peer: string; at: Date; seq: number }
  | { source: "PEER_REQUEST"; peer: string; at: Date };

type Actor = { court: string; officer: string };
/** A step's event for both courts, and the move of the task's measure it made, for the case's measureUpdates. */
type Recorded = DelegatedTaskEvent & { measure?: DelegatedMeasureMove };
/** Who a peer message is sent for, in its audit row: a court's officer, or this hub itself. */
type Sender = { org: string; officer: string | null };

const stateOf = (task: TaskRow): TaskState => ({
  status: task.status,
  delegatingCourt: task.delegating_court,
  targetCourt: task.target_court,
});
const withdrawalRequest = (task: TaskRow) =>
  withdrawalRequestOf({ status: task.status, requestedAt: task.withdrawal_requested_at, refusedAt: task.withdrawal_refused_at });
/** Whether the withdrawal request the task's copy records can take `event` (and is the one asked at `requestedAt`, if given). */
const withdrawalRequestAllows = (task: TaskRow, event: WithdrawalRequestEvent, requestedAt?: string) =>
  stepWithdrawalRequest(withdrawalRequest(task), event).ok &&
  (requestedAt === undefined || task.withdrawal_requested_at!.getTime() === Date.parse(requestedAt));

export class DelegationService {
  constructor(
    private readonly deps: {
      sql: Sql;
      directory: CourtDirectory;
      events: HubEvents;
      clock: () => Date;
      /** This hub's identifier in the directory and to its peers; unset, it serves every court there. */
      hubId?: string;
      documentLimits: DocumentLimits;
      /** Carries tasks to and from the hubs serving other provinces' courts. */
      peering?: PeerMessaging;
      /** Checks and records the measure of a FREEZE, SEAL or DEDUCT task with the guards of any order. */
      measures: Pick<MeasureService, "checkDelegatedOrder" | "recordDelegatedOrder" | "recordDelegatedRenewal">;
    },
  ) {
    const receivers: Record<TaskMessageType, (message: ReceivedPeerMessage, tx: Tx) => Promise<() => void>> = {
      [TASK_DELEGATED]: (message, tx) => this.receiveTask(message, tx),
      [TASK_STEP]: (message, tx) => this.receiveStep(message, tx),
      [TASK_WITHDRAWAL_REQUEST]: (message, tx) => this.receiveWithdrawalRequest(message, tx),
      [TASK_WITHDRAWAL_REFUSED]: (message, tx) => this.receiveWithdrawalRefused(message, tx),
    };
    for (const type of TASK_MESSAGE_TYPES) deps.peering?.handle(type, (message, tx) => refusedForGood(() => receivers[type](message, tx)));
    deps.peering?.onRefused(TASK_WITHDRAWAL_REQUEST, (message, reason, tx) => this.withdrawalRequestUndeliverable(message, reason, tx));
  }

  async delegate(caller: Caller, input: DelegateInput): Promise<string> {
    const principal = requireRole(caller, "CASE_OFFICER", "JUDGE");
    const instructions = input.instructions.trim();
    if (!instructions) throw invalidField("instructions", "say what the target court is to do");
    const documents = readDocuments(input.documents, this.deps.documentLimits);
    const target = this.targetCourt(input);
    const enforcementCase = await findCaseForCaller(this.deps.sql, principal, input.caseNumber);
    assertCaseAdmits(enforcementCase, "DELEGATION");
    // Supervisors may see any case, but only the court that owns the case delegates its work.
    if (enforcementCase.court_code !== principal.org) {
      throw new HubError("FORBIDDEN", `only court ${enforcementCase.court_code}, which owns the case, delegates its tasks`, {
        reason: "NOT_THE_CASE_COURT",
      });
    }
    if (target.code === principal.org) throw invalidField("targetCourt", "a court does not delegate a task to itself");
    const debtor = await findDebtorOfCase(this.deps.sql, enforcementCase, input.debtorIdNumber);
    const order = this.controlOrder(input);
    const checked = order && (await this.deps.measures.checkDelegatedOrder(caller, order));
    const targetHub = this.deps.directory.hubOf(target);
    const at = this.deps.clock();
    const task = await this.deps.sql.transaction(async (tx) => {
      await lockCaseAdmitting(tx, enforcementCase, "DELEGATION", "SHARE");
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
          detail: {
            kind: input.kind,
            targetCourt: target.code,
            divisionCode: input.divisionCode ?? null,
            instructions,
            documents: documents.map(({ name, size, sm3 }) => ({ name, size, sm3 })),
          },
        },
      );
      if (checked) await this.deps.measures.recordDelegatedOrder(tx, checked, order!, { id: task.id, targetCourt: target.code });
      if (input.renewal) {
        const renewing = { id: task.id, caseId: enforcementCase.id, kind: input.kind, targetCourt: target.code };
        await linkRenewal(tx, task.id, await this.deps.measures.recordDelegatedRenewal(tx, caller, input.renewal, renewing));
      }
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
      await this.tellPeer(tx, task, TASK_DELEGATED, sent, { org: principal.org, officer: principal.officer });
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

  /**
   * Applies one step for a court: the lifecycle decides, the store records, the step is announced. A
   * withdrawal of a task whose target court another hub serves is recorded as a request to that hub.
   */
  async record(actor: Actor, input: StepInput): Promise<string> {
    if (!UUID.test(input.taskId)) throw invalidField("taskId", "not a task id this hub issued");
    const documents = readDocuments(input.documents, this.deps.documentLimits);
    const event = await this.deps.sql.transaction((tx) =>
      this.recordIn(tx, actor, input, documents, { source: "OFFICER", at: this.deps.clock() }),
    );
    this.announce(event);
    return input.taskId;
  }

  /** `locked`: the task, when the caller has already locked it in `tx`. */
  private async recordIn(
    tx: Tx,
    actor: Actor,
    input: StepInput,
    documents: TaskDocument[],
    origin: StepOrigin,
    locked?: TaskRow,
  ): Promise<Recorded> {
    const task = locked ?? (await lockTask(tx, input.taskId));
    if (!task) throw new HubError("NOT_FOUND", `no delegated task ${input.taskId}`, { field: "taskId" });
    const step = applyStep(stateOf(task), { actorCourt: actor.court, action: input.action, reason: input.reason });
    if (!step.ok) throw guardRefused(step);
    const route = this.route(task, step.party, origin.source);
    if (!route.ok) throw guardRefused(route);
    const reason = input.reason?.trim() || null;
    if (route.route === "REQUEST") return this.requestWithdrawal(tx, task, actor, reason, origin.at);
    if (origin.source === "PEER_DECISION" && step.party === "DELEGATING" && !withdrawalRequestAllows(task, "APPLY")) {
      throw new PeerRefusal(
        "REJECTED",
        `this hub asked for no withdrawal of task ${task.id}: the delegating court's steps are its own to ask for`,
      );
    }
    const results = input.action === "COMPLETE" ? checkResults(task.kind, input.results) : null;
    const seq = await recordStep(
      tx,
      task,
      { action: input.action, status: step.status, actorCourt: actor.court, actorOfficer: actor.officer, reason, at: origin.at },
      { results: results && { summary: results.summary, assets: results.assets ?? [], control: results.control }, documents },
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
          ...(origin.source === "PEER_DECISION" ? { fromHub: origin.peer } : {}),
          ...(origin.source === "PEER_REQUEST" ? { requestedOnHub: origin.peer } : {}),
        },
      },
    );
    const measure = await this.settleMeasure(tx, task, step.status, results?.control, actor, reason);
    if (origin.source === "PEER_DECISION") {
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
      await this.tellPeer(tx, task, TASK_STEP, sent, { org: actor.court, officer: actor.officer });
    }
    return { ...taskEvent(task, { action: input.action, status: step.status, seq, reason }), measure };
  }

  /**
   * A FREEZE, SEAL or DEDUCT task's measure, on the delegating court's hub (where the case is), as the step leaves it: the
   * agency's registration reported on completion, or no measure when the task ended otherwise.
   */
  private async settleMeasure(
    tx: Tx,
    task: TaskRow,
    status: TaskState["status"],
    control: TaskResultsInput["control"],
    actor: Actor,
    reason: string | null,
  ): Promise<DelegatedMeasureMove | undefined> {
    if (!task.case_id || !isControlKind(task.kind) || !FINAL_STATUSES.includes(status)) return undefined;
    // A renewal not carried out leaves the measure as it was, running to its last day (and warned of before it).
    if (task.renews_measure_id) {
      return status === "COMPLETED" && control
        ? renewDelegatedMeasure(tx, { ...task, renews_measure_id: task.renews_measure_id }, control, actor)
        : undefined;
    }
    if (status === "COMPLETED" && control) return reportDelegatedMeasure(tx, task, control, actor);
    return endDelegatedMeasure(tx, task.id, status, reason);
  }

  /** Which of the task's courts this hub serves decides who orders its steps. */
  private route(task: TaskRow, party: TaskParty, source: StepSource) {
    return routeStep(this.sideOf(task), party, source, withdrawalRequest(task));
  }

  private sideOf(task: TaskRow): HubSide {
    if (!task.peer_hub) return "BOTH";
    const target = this.deps.directory.court(task.target_court);
    return target && this.deps.directory.hubOf(target) === this.deps.hubId ? "TARGET" : "DELEGATING";
  }

  /** The delegating court's withdrawal, asked of the target court's hub; the task itself waits for its answer. */
  private async requestWithdrawal(tx: Tx, task: TaskRow, actor: Actor, reason: string | null, at: Date): Promise<DelegatedTaskEvent> {
    await recordWithdrawalRequest(
      tx,
      task,
      { requestedAt: at, requestedBy: actor.officer, reason, refused: null },
      {
        actorOrg: actor.court,
        actorOfficer: actor.officer,
        action: "DELEGATED_TASK_WITHDRAWAL_REQUESTED",
        caseId: task.case_id,
        debtorId: task.debtor_id,
        subjectId: task.id,
        purpose: `WITHDRAW ${task.kind}`,
        detail: { status: task.status, reason, toHub: task.peer_hub },
      },
    );
    const request: WithdrawalRequestBody = { actorCourt: actor.court, actorOfficer: actor.officer, reason, requestedAt: at.toISOString() };
    await this.tellPeer(tx, task, TASK_WITHDRAWAL_REQUEST, request, { org: actor.court, officer: actor.officer });
    return taskEvent(task, { action: "WITHDRAWAL_REQUESTED", status: task.status, reason });
  }

  /** A peer hub's delegation to a court of this hub: this hub's copy of the task, with the same id. */
  private async receiveTask(message: ReceivedPeerMessage, tx: Tx): Promise<() => void> {
    const body = readTaskDelegated(message.body);
    const id = message.conversation;
    if (!UUID.test(id)) throw new PeerRefusal("REJECTED", `${id} is not a task id`);
    this.requireServedBy(message.from, body.delegatingCourt);
    this.requireServedBy(this.deps.hubId, body.targetCourt);
    const documents = readDocuments(body.documents, this.deps.documentLimits);
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

  /**
   * A step the peer hub decided, applied here on this hub's copy: one of its own courts' steps, or the
   * withdrawal this hub asked it for (checked in recordIn).
   */
  private async receiveStep(message: ReceivedPeerMessage, tx: Tx): Promise<() => void> {
    const body = readTaskStep(message.body);
    if (body.action !== "WITHDRAW") this.requireServedBy(message.from, body.actorCourt);
    const documents = readDocuments(body.documents, this.deps.documentLimits);
    checkArrivedDocuments(body.documents, documents);
    const event = await this.recordIn(
      tx,
      { court: body.actorCourt, officer: body.actorOfficer },
      { taskId: message.conversation, action: body.action, reason: body.reason ?? undefined, results: body.results ?? undefined },
      documents,
      { source: "PEER_DECISION", peer: message.from, at: new Date(body.at), seq: body.seq },
    );
    // Only the two hubs of a task exchange its steps: a third hub's message about it is not one of them.
    if (event.peerHub !== message.from)
      throw new PeerRefusal("REJECTED", `task ${message.conversation} is not shared with hub ${message.from}`);
    return () => this.announce(event);
  }

  /**
   * The delegating court's hub asks this one, the target court's, to withdraw the task. Decided here on
   * this copy, in this copy's order: withdrawn and the step sent back like any other, or, if a step of the
   * target court came first (it accepted, returned, rejected), refused with the lifecycle's reason.
   */
  private async receiveWithdrawalRequest(message: ReceivedPeerMessage, tx: Tx): Promise<() => void> {
    const body = readWithdrawalRequest(message.body);
    this.requireServedBy(message.from, body.actorCourt);
    const task = await this.sharedTask(tx, message);
    const party = partyOf(stateOf(task), body.actorCourt);
    const route = party && this.route(task, party, "PEER_REQUEST");
    if (!route?.ok) throw new PeerRefusal("REJECTED", route?.reason ?? `court ${body.actorCourt} is not a party to task ${task.id}`);
    const verdict = applyStep(stateOf(task), { actorCourt: body.actorCourt, action: "WITHDRAW", reason: body.reason });
    if (!verdict.ok) return this.refuseWithdrawal(tx, task, body, verdict, message.from);
    const event = await this.recordIn(
      tx,
      { court: body.actorCourt, officer: body.actorOfficer },
      { taskId: task.id, action: "WITHDRAW", reason: body.reason ?? undefined },
      [],
      { source: "PEER_REQUEST", peer: message.from, at: this.deps.clock() },
      task,
    );
    return () => this.announce(event);
  }

  private async refuseWithdrawal(
    tx: Tx,
    task: TaskRow,
    request: WithdrawalRequestBody,
    verdict: { code: string; reason: string },
    fromHub: string,
  ): Promise<() => void> {
    const refusedAt = this.deps.clock();
    const refused: WithdrawalRefusedBody = { ...request, refusedAt: refusedAt.toISOString(), code: verdict.code, refusal: verdict.reason };
    const hub = `hub:${this.deps.hubId}`;
    await this.recordRefusal(tx, task, refused, { actorOrg: hub, fromHub });
    await this.tellPeer(tx, task, TASK_WITHDRAWAL_REFUSED, refused, { org: hub, officer: null });
    return () => this.announce(taskEvent(task, { action: "WITHDRAWAL_REFUSED", status: task.status, reason: verdict.reason }));
  }

  /** The target court's hub refused the withdrawal this hub asked for: the request stays on record, answered. */
  private async receiveWithdrawalRefused(message: ReceivedPeerMessage, tx: Tx): Promise<() => void> {
    const body = readWithdrawalRefused(message.body);
    const task = await this.sharedTask(tx, message);
    const route = this.route(task, "DELEGATING", "PEER_DECISION");
    if (!route.ok) throw guardRefused(route);
    if (!withdrawalRequestAllows(task, "REFUSE", body.requestedAt)) {
      throw new PeerRefusal("REJECTED", `no withdrawal of task ${task.id} asked at ${body.requestedAt} is waiting for an answer here`);
    }
    await this.recordRefusal(tx, task, body, { actorOrg: `hub:${message.from}`, fromHub: message.from });
    return () => this.announce(taskEvent(task, { action: "WITHDRAWAL_REFUSED", status: task.status, reason: body.refusal }));
  }

  /**
   * The target court's hub refused this hub's withdrawal request for good (it does not take the message type,
   * or does not know the task): no answer will come, so the request is answered here as refused, with that
   * hub's reason, and the delegating court may withdraw again or take the matter up with the target court.
   */
  private async withdrawalRequestUndeliverable(message: LeasedPeerMessage, reason: string, tx: Tx): Promise<(() => void) | undefined> {
    const body = readWithdrawalRequest(message.body);
    const task = await lockTask(tx, message.conversation);
    if (!task || !withdrawalRequestAllows(task, "REFUSE", body.requestedAt)) return undefined;
    const refusal = `hub ${message.to_hub} refused the withdrawal request: ${reason}`;
    const refused: WithdrawalRefusedBody = { ...body, refusedAt: this.deps.clock().toISOString(), code: "PEER_MESSAGE_REFUSED", refusal };
    await this.recordRefusal(tx, task, refused, { actorOrg: `hub:${this.deps.hubId}`, fromHub: message.to_hub });
    return () => this.announce(taskEvent(task, { action: "WITHDRAWAL_REFUSED", status: task.status, reason: refusal }));
  }

  /** Both copies record the refused request alike, from the same message body. */
  private recordRefusal(tx: Tx, task: TaskRow, refused: WithdrawalRefusedBody, by: { actorOrg: string; fromHub: string }): Promise<void> {
    return recordWithdrawalRequest(
      tx,
      task,
      {
        requestedAt: new Date(refused.requestedAt),
        requestedBy: refused.actorOfficer,
        reason: refused.reason,
        refused: { at: new Date(refused.refusedAt), reason: refused.refusal },
      },
      {
        actorOrg: by.actorOrg,
        action: "DELEGATED_TASK_WITHDRAWAL_REFUSED",
        caseId: task.case_id,
        debtorId: task.debtor_id,
        subjectId: task.id,
        purpose: `WITHDRAW ${task.kind}`,
        detail: { status: task.status, requestedBy: refused.actorCourt, code: refused.code, reason: refused.refusal, peerHub: by.fromHub },
      },
    );
  }

  /** This hub's copy of the task a peer's message is about, locked; it must be shared with that peer. */
  private async sharedTask(tx: Tx, message: ReceivedPeerMessage): Promise<TaskRow> {
    const task = UUID.test(message.conversation) ? await lockTask(tx, message.conversation) : undefined;
    if (!task) throw new PeerRefusal("REJECTED", `no delegated task ${message.conversation} here`);
    if (task.peer_hub !== message.from) throw new PeerRefusal("REJECTED", `task ${task.id} is not shared with hub ${message.from}`);
    return task;
  }

  /** A hub speaks only for the courts the directory says it serves. */
  private requireServedBy(hubId: string | undefined, courtCode: string): void {
    const court = this.deps.directory.court(courtCode);
    if (!court) throw new PeerRefusal("REJECTED", `${courtCode} is not a court in this hub's court directory`);
    const servedBy = this.deps.directory.hubOf(court);
    if (servedBy !== hubId) throw new PeerRefusal("REJECTED", `court ${courtCode} is served by hub ${servedBy}, not ${hubId}`);
  }

  /** Records the message for the task's peer hub in the step's own transaction, so both commit or neither. */
  private async tellPeer(
    tx: Tx,
    task: TaskRow,
    type: TaskMessageType,
    body: TaskDelegatedBody | TaskStepBody | WithdrawalRequestBody | WithdrawalRefusedBody,
    sender: Sender,
  ): Promise<void> {
    if (!task.peer_hub) return;
    if (!this.deps.peering?.registry.peer(task.peer_hub)) {
      throw new HubError("NO_ROUTE", `the task's other court is served by hub ${task.peer_hub}, which is not a peer of this hub`, {
        peerHub: task.peer_hub,
      });
    }
    await this.deps.peering.send(
      tx,
      { to: task.peer_hub, type, conversation: task.id, body },
      { actorOrg: sender.org, actorOfficer: sender.officer, caseId: task.case_id },
    );
  }

  private announce({ measure, ...event }: Recorded): void {
    this.deps.events.publish("DELEGATED_TASK", event);
    if (measure) {
      this.deps.events.publish("MEASURE", { ...measure, courtCode: event.delegatingCourt, warningDays: null });
    }
    if (event.peerHub) this.deps.peering?.deliverNow();
  }

  /** The order a FREEZE, SEAL or DEDUCT task carries out; other kinds put no measure on an asset. */
  private controlOrder(input: DelegateInput): MeasureOrderInput | undefined {
    if (input.renewal) {
      if (input.kind !== "FREEZE" && input.kind !== "SEAL") throw invalidField("renewal", `only a FREEZE or SEAL task renews a measure`);
      if (input.control) throw invalidField("control", "a renewal renews the measure it names; give no new one");
      return undefined;
    }
    if (!isControlKind(input.kind)) {
      if (input.control)
        throw invalidField("control", `a ${input.kind} task puts no measure on an asset; only ${CONTROL_KINDS.join(", ")} do`);
      return undefined;
    }
    if (!input.control) {
      throw invalidField("control", `a ${input.kind} task is a measure: give its asset, period, notice and panel decision as for an order`);
    }
    return { ...input.control, caseNumber: input.caseNumber, debtorIdNumber: input.debtorIdNumber, kind: input.kind };
  }

  private targetCourt(input: DelegateInput): Court {
    if (input.targetCourt && input.divisionCode)
      throw invalidField("targetCourt", "name the target court or give a division code, not both");
    if (input.targetCourt) {
      const court = this.deps.directory.court(input.targetCourt.trim());
      if (!court) throw invalidField("targetCourt", `${input.targetCourt} is not a court in the hub's court directory`);
      return court;
    }
    if (!input.divisionCode)
      throw invalidField("targetCourt", "name the target court, or give the division code of where the asset or person is");
    const resolved = this.deps.directory.competentCourt(input.divisionCode.trim());
    if (!resolved.ok) throw guardRefused({ ...resolved, field: "divisionCode" });
    return resolved.court;
  }
}
