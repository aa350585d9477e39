/**
 * How long the target court has to accept a delegated task, and then to complete it, per kind;
 * when to remind it, and when the task is overdue. Seed 000 item 21 puts 事项委托 under the command
 * centre's daily inspection (每日巡检), which needs these dates; no national rule gives one set of
 * them for every kind, so each default says where it comes from, and every one is configurable.
 *
 * Acceptance runs from the moment the task was sent (a court that never even opens it is late too);
 * completion from the moment it was accepted.
 */
import type { DelegatedTaskKind } from "./taskKinds.js";
import type { TaskStatus } from "./taskLifecycle.js";

export interface KindDeadline {
  acceptWithinDays: number;
  completeWithinDays: number;
  /** Where the figures come from, shown to supervisors and in the docs. */
  source: string;
}

export type DeadlinePolicy = Record<DelegatedTaskKind, KindDeadline>;

const URGENT_CONTROL =
  "local policy: a control measure is urgent, the asset may be moved meanwhile " +
  "(Henan High Court supervision opinion, item 18: 执行财产转移、流失、贬损)";

export const DEFAULT_DEADLINES: DeadlinePolicy = {
  FREEZE: { acceptWithinDays: 1, completeWithinDays: 3, source: URGENT_CONTROL },
  SEAL: { acceptWithinDays: 1, completeWithinDays: 3, source: URGENT_CONTROL },
  DEDUCT: { acceptWithinDays: 1, completeWithinDays: 3, source: URGENT_CONTROL },
  QUERY: { acceptWithinDays: 3, completeWithinDays: 10, source: "local policy" },
  SERVE_DOCUMENTS: { acceptWithinDays: 3, completeWithinDays: 15, source: "local policy" },
  INVESTIGATE: {
    acceptWithinDays: 3,
    completeWithinDays: 30,
    source:
      "acceptance: local policy; completion: 民事诉讼法 (2023) art. 240, 30 days to report on delegated enforcement, applied to the task",
  },
  VALUATION_AUCTION_CONSULTATION: {
    acceptWithinDays: 15,
    completeWithinDays: 30,
    source:
      "acceptance: 民事诉讼法 (2023) art. 240, 15 days to begin delegated enforcement; " +
      "completion: Henan High Court supervision opinion, item 12, reference price within 30 days",
  },
};

/**
 * The defaults with a deployment's own figures for some kinds. Each figure replaced must say where it
 * comes from, like the defaults; a kind that is not one, or a figure that is not a positive number of
 * days, is a configuration error (thrown at start, not found in production).
 */
export function deadlinePolicy(overrides: Partial<Record<string, Partial<KindDeadline>>> = {}): DeadlinePolicy {
  const policy = { ...DEFAULT_DEADLINES };
  for (const [kind, override] of Object.entries(overrides)) {
    if (!(kind in policy)) throw new RangeError(`delegation deadlines: ${kind} is not a task kind (${Object.keys(policy).join(", ")})`);
    const rule = { ...policy[kind as DelegatedTaskKind], ...override };
    for (const field of ["acceptWithinDays", "completeWithinDays"] as const) {
      if (typeof rule[field] !== "number" || !(rule[field] > 0))
        throw new RangeError(`delegation deadlines: ${kind}.${field} must be a positive number of days`);
    }
    if (typeof override?.source !== "string" || !override.source.trim())
      throw new RangeError(`delegation deadlines: ${kind}.source must say where the figures come from`);
    policy[kind as DelegatedTaskKind] = rule;
  }
  return policy;
}

/** Hours before a deadline when the target court and supervisors are reminded; local policy. */
export const DEFAULT_REMINDER_LEAD_HOURS = 24;

const DAY_MS = 86_400_000;

export type DeadlineKind = "ACCEPTANCE" | "COMPLETION";

export interface TaskTimes {
  kind: DelegatedTaskKind;
  status: TaskStatus;
  sentAt: Date;
  acceptedAt: Date | null;
}

export interface RunningDeadline {
  deadline: DeadlineKind;
  dueAt: Date;
}

/** The deadline the task is running against now: acceptance before it is accepted, completion after; none once final. */
export function runningDeadline(task: TaskTimes, policy: DeadlinePolicy): RunningDeadline | undefined {
  const rule = policy[task.kind];
  if (task.status === "SENT" || task.status === "RECEIVED") {
    return { deadline: "ACCEPTANCE", dueAt: new Date(task.sentAt.getTime() + rule.acceptWithinDays * DAY_MS) };
  }
  if (task.status === "ACCEPTED" && task.acceptedAt) {
    return { deadline: "COMPLETION", dueAt: new Date(task.acceptedAt.getTime() + rule.completeWithinDays * DAY_MS) };
  }
  return undefined;
}

export type Alert = "REMINDER" | "OVERDUE";

export interface AlertDue extends RunningDeadline {
  alert: Alert;
}

/** Key under which an alert is remembered as sent, so each is announced once. */
export const alertKey = (alert: Pick<AlertDue, "deadline" | "alert">) => `${alert.deadline}:${alert.alert}`;

/**
 * The alert due now, if any: OVERDUE once the deadline has passed, else a REMINDER within the lead
 * time before it. A reminder not yet sent when the task is already overdue is skipped: the overdue
 * notice says more.
 */
export function alertDue(
  task: TaskTimes,
  now: Date,
  policy: DeadlinePolicy,
  leadHours: number,
  alreadySent: readonly string[],
): AlertDue | undefined {
  const running = runningDeadline(task, policy);
  if (!running) return undefined;
  const left = running.dueAt.getTime() - now.getTime();
  const alert: Alert | undefined = left < 0 ? "OVERDUE" : left <= leadHours * 3_600_000 ? "REMINDER" : undefined;
  if (!alert || alreadySent.includes(alertKey({ deadline: running.deadline, alert }))) return undefined;
  return { ...running, alert };
}
