/**
 * Which hub decides the order of a task's steps when its two courts are served by two hubs.
 *
 * Each hub holds a copy of the task. If both copies took steps on their own, two steps taken at once
 * (the delegating court withdraws while the target court, not yet knowing, accepts) would each be
 * refused by the other copy, and the copies would stay apart for good. So one copy orders the steps and
 * the other follows it.
 *
 * The target court's hub orders: this is a design choice, not a rule of the seeds. It follows from them:
 * every step but one is the target court's (Nanzhao court enforcement minutes (2020), 执行实施 5: 办理委托案件; taskLifecycle.ts), and the
 * one step of the delegating court, withdrawing, is allowed only before acceptance (Henan High Court supervision opinion, item 18;
 * Nanzhao court enforcement minutes (2020)), so what a withdrawal races against is always a step of the target court. Deciding where the
 * target court acts, its steps take effect at once and are never undone under it; only a withdrawal
 * becomes a request, which the target court's hub applies or refuses, on its copy, in its order.
 */
import { refuseWith, type Refusal } from "../measures/guardResult.js";
import { stepWithdrawalRequest, type TaskParty, type WithdrawalRequestRefusal, type WithdrawalRequestState } from "./taskLifecycle.js";

/** The party whose hub orders the steps of a task shared by two hubs. */
export const ORDERING_PARTY: TaskParty = "TARGET";

/** Which of the task's courts this hub serves: both (no peer hub), or one of them. */
export type HubSide = TaskParty | "BOTH";

/**
 * How a step reaches this hub: an officer acting here, a step (or an answer to a request) the ordering
 * hub decided, or a request from the following hub for a step of its court.
 */
export type StepSource = "OFFICER" | "PEER_DECISION" | "PEER_REQUEST";

export type StepRoute =
  /** This hub decides, records, and tells the peer hub if there is one. */
  | { ok: true; route: "DECIDE" }
  /** The ordering hub decided: record it as it was decided there. */
  | { ok: true; route: "FOLLOW" }
  /** Record nothing but the request, and ask the ordering hub to decide. */
  | { ok: true; route: "REQUEST" }
  | Refusal<"DELEGATION_STEP_ORDERED_ELSEWHERE", { orderedBy: TaskParty; actorParty: TaskParty }>
  | WithdrawalRequestRefusal;

/**
 * Where a step of `actorParty` goes, on the copy of the hub serving `side`. `withdrawal`: the withdrawal
 * request this copy records (taskLifecycle.ts); a step that becomes a request must be one it can make.
 */
export function routeStep(
  side: HubSide,
  actorParty: TaskParty,
  source: StepSource,
  withdrawal: WithdrawalRequestState = "NONE",
): StepRoute {
  const elsewhere = (reason: string) => refuseWith("DELEGATION_STEP_ORDERED_ELSEWHERE", reason, { orderedBy: ORDERING_PARTY, actorParty });
  if (side === "BOTH") {
    return source === "OFFICER"
      ? { ok: true, route: "DECIDE" }
      : elsewhere("both courts of this task are served here: no other hub takes part in its steps");
  }
  switch (source) {
    case "OFFICER": {
      if (actorParty !== side) return elsewhere(`the ${actorParty.toLowerCase()} court of this task is served by the other hub: act there`);
      if (side === ORDERING_PARTY) return { ok: true, route: "DECIDE" };
      const request = stepWithdrawalRequest(withdrawal, "REQUEST");
      return request.ok ? { ok: true, route: "REQUEST" } : request;
    }
    case "PEER_DECISION":
      return side === ORDERING_PARTY
        ? elsewhere("this hub orders the steps of this task: the other hub requests them, it does not decide them")
        : { ok: true, route: "FOLLOW" };
    case "PEER_REQUEST":
      return side === ORDERING_PARTY && actorParty !== ORDERING_PARTY
        ? { ok: true, route: "DECIDE" }
        : elsewhere("the target court's hub orders the steps of this task: requests go there");
  }
}
