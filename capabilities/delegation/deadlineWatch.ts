/**
 * Deadlines of delegated tasks (Henan High Court supervision opinion, item 21: 事项委托 is part of the daily inspection): a reminder
 * before a task's acceptance or completion deadline, and a notice once it has passed, each announced
 * once to both courts and recorded in the audit trail. The clock is injected so tests move time.
 */
import { alertDue, alertKey, runningDeadline, type DeadlinePolicy, type RunningDeadline } from "../../domain/delegation/deadlines.js";
import { AUDIT_COLUMNS } from "../../gateway/audit/auditEvent.js";
import type { HubEvents } from "../../gateway/events/hubEvents.js";
import type { Logger } from "../../gateway/logger.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { CoalescingWake } from "../../gateway/workers/coalescingWake.js";
import type { Worker } from "../../gateway/workers/worker.js";
import { TASK_COLUMNS, taskEvent, type TaskRow } from "./taskStore.js";

const OPEN = `status IN ('SENT', 'RECEIVED', 'ACCEPTED')`;

export interface DeadlineSettings {
  policy: DeadlinePolicy;
  reminderLeadHours: number;
}

const taskTimes = (task: TaskRow) => ({
  kind: task.kind,
  status: task.status,
  sentAt: new Date(task.sent_at),
  acceptedAt: task.accepted_at && new Date(task.accepted_at),
});

/** When the deadline watch runs. */
export interface DeadlineWatchOptions {
  /**
   * How often reminders and overdue notices are looked for (HubConfig.delegation.watchIntervalMs).
   * @default 900_000 (15 minutes)
   */
  intervalMs: number;
}

export const DEFAULT_DEADLINE_WATCH: DeadlineWatchOptions = { intervalMs: 15 * 60_000 };

export class DelegationDeadlineWatch implements Worker {
  private readonly loop: CoalescingWake;

  constructor(
    private readonly deps: { sql: Sql; events: HubEvents; clock: () => Date; settings: DeadlineSettings; log: Logger },
    private readonly options: DeadlineWatchOptions = DEFAULT_DEADLINE_WATCH,
  ) {
    this.loop = new CoalescingWake(
      () => this.runOnce(),
      (error) => this.deps.log.error({ err: error }, "delegation deadline watch failed; will retry"),
    );
  }

  start(): void {
    this.loop.start(this.options.intervalMs);
    // A pass at start as well as on schedule: restarted more often than the interval, an instance would never run one.
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /**
   * Open tasks of a court (or of every court) whose running deadline falls before `withinHours` from now,
   * overdue ones included, soonest first.
   */
  async due(withinHours: number, court?: string): Promise<(TaskRow & RunningDeadline & { overdue: boolean })[]> {
    const now = this.deps.clock().getTime();
    const tasks = await this.deps.sql.query<TaskRow>(
      `SELECT ${TASK_COLUMNS} FROM delegated_task WHERE ${OPEN} ${court ? "AND (delegating_court = $1 OR target_court = $1)" : ""}`,
      court ? [court] : [],
    );
    return tasks
      .map((task) => ({ task, running: runningDeadline(taskTimes(task), this.deps.settings.policy) }))
      .filter(
        (t): t is { task: TaskRow; running: RunningDeadline } => !!t.running && t.running.dueAt.getTime() <= now + withinHours * 3_600_000,
      )
      .sort((a, b) => a.running.dueAt.getTime() - b.running.dueAt.getTime() || a.task.id.localeCompare(b.task.id))
      .map(({ task, running }) => ({ ...task, ...running, overdue: running.dueAt.getTime() < now }));
  }

  async runOnce(): Promise<number> {
    const now = this.deps.clock();
    const tasks = await this.deps.sql.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM delegated_task WHERE ${OPEN}`);
    let announced = 0;
    for (const task of tasks) {
      const due = alertDue(taskTimes(task), now, this.deps.settings.policy, this.deps.settings.reminderLeadHours, task.alerts_sent);
      if (!due) continue;
      const key = alertKey(due);
      // Guarded on the status read and the alerts already sent, so a task that moved on meanwhile,
      // or an alert another instance already claimed, is not announced.
      const [claimed] = await this.deps.sql.query(
        `WITH claimed AS (
           UPDATE delegated_task SET alerts_sent = alerts_sent || ARRAY[$2]
            WHERE id = $1::uuid AND status = $3::"DelegatedTaskStatus" AND NOT ($2 = ANY(alerts_sent))
            RETURNING id, case_id, debtor_id, kind)
         INSERT INTO audit_event (${AUDIT_COLUMNS})
         SELECT 'HUB', NULL, 'DELEGATED_TASK_${due.alert}', case_id, debtor_id, id::text, NULL, NULL, NULL,
                jsonb_build_object('deadline', $4::text, 'dueAt', $5::text, 'kind', kind)
           FROM claimed
         RETURNING id`,
        [task.id, key, task.status, due.deadline, due.dueAt.toISOString()],
      );
      if (!claimed) continue;
      announced += 1;
      this.deps.events.publish(
        "DELEGATED_TASK",
        taskEvent(task, { action: "ALERT", status: task.status, alert: due.alert, deadline: due.deadline, dueAt: due.dueAt.toISOString() }),
      );
    }
    return announced;
  }
}
