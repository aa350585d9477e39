/**
 * The life of a delegated task (事项委托), as a pure function of (task state, actor, action).
 *
 * Seed 000 item 18: work outside the province goes "通过执行指挥管理平台委托当地法院代为办理"; the receiving
 * court does it (Nanzhao court enforcement minutes (2020), 执行实施 5: 办理委托案件) or says why it cannot. So:
 *
 *   SENT ──RECEIVE──▶ RECEIVED ──ACCEPT──▶ ACCEPTED ──COMPLETE──▶ COMPLETED
 *     │                 │                     └──RETURN──▶ RETURNED
 *     │                 ├──RETURN──▶ RETURNED (with reasons: 退回)
 *     ├──REJECT─────────┴──REJECT──▶ REJECTED (with reasons: 不予受理)
 *     └──WITHDRAW───────┴──WITHDRAW─▶ WITHDRAWN (delegating court, before acceptance only)
 *
 * The delegating court only withdraws; everything else is the target court's. A third court can do
 * nothing. Where the other party is (this hub or a peer hub) is not this function's business: the
 * service records what it answers and announces it, and whoever carries the announcement decides.
 * Across two hubs, the delegating court's withdrawal is first a request with its own life (below).
 */
import { refuseWith, type Refusal } from "../measures/guardResult.js";

export const TASK_STATUSES = ["SENT", "RECEIVED", "ACCEPTED", "COMPLETED", "RETURNED", "REJECTED", "WITHDRAWN"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TASK_ACTIONS = ["RECEIVE", "ACCEPT", "COMPLETE", "RETURN", "REJECT", "WITHDRAW"] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

export type TaskParty = "DELEGATING" | "TARGET";

interface Rule {
  by: TaskParty;
  from: readonly TaskStatus[];
  to: TaskStatus;
  /** A RETURN or REJECT without reasons leaves the delegating court nothing to correct. */
  needsReason?: boolean;
}

const RULES: Readonly<Record<TaskAction, Rule>> = {
  RECEIVE: { by: "TARGET", from: ["SENT"], to: "RECEIVED" },
  ACCEPT: { by: "TARGET", from: ["RECEIVED"], to: "ACCEPTED" },
  COMPLETE: { by: "TARGET", from: ["ACCEPTED"], to: "COMPLETED" },
  RETURN: { by: "TARGET", from: ["RECEIVED", "ACCEPTED"], to: "RETURNED", needsReason: true },
  REJECT: { by: "TARGET", from: ["SENT", "RECEIVED"], to: "REJECTED", needsReason: true },
  WITHDRAW: { by: "DELEGATING", from: ["SENT", "RECEIVED"], to: "WITHDRAWN" },
};

export const FINAL_STATUSES: readonly TaskStatus[] = ["COMPLETED", "RETURNED", "REJECTED", "WITHDRAWN"];

export interface TaskState {
  status: TaskStatus;
  delegatingCourt: string;
  targetCourt: string;
}

export interface TaskStep {
  /** Court code of the court acting. */
  actorCourt: string;
  action: TaskAction;
  reason?: string | null;
}

export type TransitionRefusal =
  | Refusal<"DELEGATION_NOT_A_PARTY", { actorCourt: string }>
  | Refusal<"DELEGATION_WRONG_PARTY", { action: TaskAction; requiredParty: TaskParty }>
  | Refusal<"DELEGATION_TRANSITION_NOT_ALLOWED", { action: TaskAction; status: TaskStatus; allowedFrom: TaskStatus[] }>
  | Refusal<"DELEGATION_REASON_REQUIRED", { action: TaskAction }>;

export type TransitionResult = { ok: true; status: TaskStatus; party: TaskParty } | TransitionRefusal;

export function partyOf(task: Pick<TaskState, "delegatingCourt" | "targetCourt">, court: string): TaskParty | undefined {
  if (court === task.delegatingCourt) return "DELEGATING";
  if (court === task.targetCourt) return "TARGET";
  return undefined;
}

export function applyStep(task: TaskState, step: TaskStep): TransitionResult {
  const party = partyOf(task, step.actorCourt);
  if (!party) {
    return refuseWith("DELEGATION_NOT_A_PARTY", `court ${step.actorCourt} is neither the delegating nor the target court of this task`, {
      actorCourt: step.actorCourt,
    });
  }
  const rule = RULES[step.action];
  if (rule.by !== party) {
    const who = rule.by === "TARGET" ? `the target court (${task.targetCourt})` : `the delegating court (${task.delegatingCourt})`;
    return refuseWith("DELEGATION_WRONG_PARTY", `only ${who} may ${step.action.toLowerCase()} this task`, {
      action: step.action,
      requiredParty: rule.by,
    });
  }
  if (!rule.from.includes(task.status)) {
    return refuseWith(
      "DELEGATION_TRANSITION_NOT_ALLOWED",
      `a ${task.status} task cannot be ${pastTense(step.action)}; allowed from ${rule.from.join(", ")}`,
      { action: step.action, status: task.status, allowedFrom: [...rule.from] },
    );
  }
  if (rule.needsReason && !step.reason?.trim()) {
    return refuseWith("DELEGATION_REASON_REQUIRED", `${pastTense(step.action)} needs the reasons, for the delegating court to act on`, {
      action: step.action,
    });
  }
  return { ok: true, status: rule.to, party };
}

function pastTense(action: TaskAction | WithdrawalRequestEvent): string {
  const pastTenses: Record<TaskAction | WithdrawalRequestEvent, string> = {
    RECEIVE: "received",
    ACCEPT: "accepted",
    COMPLETE: "completed",
    RETURN: "returned",
    REJECT: "rejected",
    WITHDRAW: "withdrawn",
    REQUEST: "requested",
    APPLY: "applied",
    REFUSE: "refused",
  };
  return pastTenses[action];
}

/*
 * The withdrawal request. When the two courts are served by two hubs, the delegating court's withdrawal
 * is not a step on its hub but a request to the target court's hub, which orders the steps
 * (stepOrdering.ts). That hub applies it (the task is WITHDRAWN there, then here) or refuses it, because
 * a step of the target court came first or because it refused the message for good:
 *
 *   NONE ──REQUEST──▶ REQUESTED ──APPLY───▶ APPLIED (the task is WITHDRAWN)
 *                      ▲     └────REFUSE──▶ REFUSED
 *                      └──────REQUEST─────────┘     (the delegating court may ask again)
 *
 * One request waits at a time; an answer is for the request waiting, and for no other.
 */

export const WITHDRAWAL_REQUEST_STATES = ["NONE", "REQUESTED", "REFUSED", "APPLIED"] as const;
export type WithdrawalRequestState = (typeof WITHDRAWAL_REQUEST_STATES)[number];

export const WITHDRAWAL_REQUEST_EVENTS = ["REQUEST", "APPLY", "REFUSE"] as const;
export type WithdrawalRequestEvent = (typeof WITHDRAWAL_REQUEST_EVENTS)[number];

const WITHDRAWAL_REQUEST_RULES: Readonly<
  Record<WithdrawalRequestEvent, { from: readonly WithdrawalRequestState[]; to: WithdrawalRequestState }>
> = {
  REQUEST: { from: ["NONE", "REFUSED"], to: "REQUESTED" },
  APPLY: { from: ["REQUESTED"], to: "APPLIED" },
  REFUSE: { from: ["REQUESTED"], to: "REFUSED" },
};

/**
 * The request a task's copy records: asked at `requestedAt`, refused at `refusedAt`. Withdrawing the task
 * clears the request it applied, so a WITHDRAWN task's request is APPLIED.
 */
export function withdrawalRequestOf(task: {
  status: TaskStatus;
  requestedAt: Date | null;
  refusedAt: Date | null;
}): WithdrawalRequestState {
  if (task.status === "WITHDRAWN") return "APPLIED";
  if (!task.requestedAt) return "NONE";
  return task.refusedAt ? "REFUSED" : "REQUESTED";
}

export type WithdrawalRequestRefusal =
  | Refusal<"DELEGATION_WITHDRAWAL_PENDING">
  | Refusal<"DELEGATION_WITHDRAWAL_REQUEST_NOT_ALLOWED", { event: WithdrawalRequestEvent; state: WithdrawalRequestState }>;

export type WithdrawalRequestResult = { ok: true; state: WithdrawalRequestState } | WithdrawalRequestRefusal;

export function stepWithdrawalRequest(state: WithdrawalRequestState, event: WithdrawalRequestEvent): WithdrawalRequestResult {
  const rule = WITHDRAWAL_REQUEST_RULES[event];
  if (rule.from.includes(state)) return { ok: true, state: rule.to };
  if (state === "REQUESTED") {
    return refuseWith("DELEGATION_WITHDRAWAL_PENDING", "a withdrawal of this task is already waiting for the target court's hub to answer");
  }
  return refuseWith(
    "DELEGATION_WITHDRAWAL_REQUEST_NOT_ALLOWED",
    `a withdrawal request cannot be ${pastTense(event)} when it is ${state}; allowed from ${rule.from.join(", ")}`,
    { event, state },
  );
}
