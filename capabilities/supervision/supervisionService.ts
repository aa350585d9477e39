/**
 * What supervisors (执行指挥中心) see across the courts under them, and operators see of the hub's plumbing: agencies
 * answering or failing against their service level, the requests behind each number, cases open too long, delegated
 * tasks due, and the audit chain's head. Scope comes from the caller's token (gateway/auth/access.ts): a supervisor sees
 * the courts under its own court, an operator counts without cases, a court's officers nothing here.
 */
import type { AgencyKind } from "../../connectors/connector.js";
import { todayInChina } from "../../domain/calendarDate.js";
import { addDays, daysFromTo } from "../../domain/measures/periodDates.js";
import { agencyHealth, serviceLevelMs, type AgencyHealth } from "../../domain/supervision/agencyHealth.js";
import { assertCourtAccess, requireRole, type Caller } from "../../gateway/auth/access.js";
import type { Principal } from "../../gateway/auth/principal.js";
import type { Sql } from "../../gateway/persistence/database.js";
import type { AgencyRoutes } from "../../gateway/routing/agencyRoutes.js";
import { dueReinquiries } from "../cases/conclusionWatch.js";
import type { DelegationDeadlineWatch } from "../delegation/deadlineWatch.js";
import {
  type ChainState,
  type MeasureRow,
  type MeasureWatch,
  type OpenCaseRow,
  type RequestOutcome,
  type RequestRow,
  type ServiceLevels,
  SupervisionStore,
} from "./supervisionStore.js";

/** The windows the console compares: the last hour (what is happening) and the last day (每日巡检). */
export const STATS_WINDOWS = { HOUR: 3_600_000, DAY: 86_400_000 } as const;
export type StatsWindow = keyof typeof STATS_WINDOWS;

/** Rows one drill-down answers at most; the console says when a list was cut. */
export const MAX_ROWS = 500;

export interface AgencyStats {
  agencyKind: string;
  channel: string;
  answered: number;
  refused: number;
  failed: number;
  timedOut: number;
  pending: number;
  retrying: number;
  overdue: number;
  medianAnswerMs: number | null;
  p95AnswerMs: number | null;
  /** ms since the epoch; what the health was judged by. */
  lastAnswerAt: number | null;
  oldestRetryingAt: number | null;
  serviceLevelMs: number;
  oldestPendingAt: Date | null;
  health: AgencyHealth;
}

export interface TaskDue {
  id: string;
  kind: string;
  status: string;
  delegatingCourt: string;
  targetCourt: string;
  deadline: string;
  dueAt: Date;
  overdue: boolean;
}

export interface ReinquiryCase {
  caseNumber: string;
  courtCode: string;
  concludedOn: string;
  lastInquiryOn: string | null;
  dueOn: string;
  daysLeft: number;
}

export class SupervisionService {
  private readonly store: SupervisionStore;

  constructor(private readonly deps: { sql: Sql; routes: AgencyRoutes; delegationWatch: DelegationDeadlineWatch; clock: () => Date }) {
    this.store = new SupervisionStore(deps.sql);
  }

  async agencyStats(caller: Caller, window: StatsWindow, courtCode?: string): Promise<AgencyStats[]> {
    const principal = requireRole(caller, "SUPERVISOR", "OPERATOR", "HUB_ADMIN");
    const courts = principal.roles.includes("SUPERVISOR") ? this.courts(principal, courtCode) : null;
    const levels = this.serviceLevels();
    const rows = await this.store.agencyStats(courts, levels, this.since(window));
    return rows.map((row) => {
      const level = serviceLevelMs(row.agency_kind, this.answerWithinMs(row.agency_kind));
      const outcomes = {
        answered: row.answered,
        refused: row.refused,
        failed: row.failed,
        timedOut: row.timed_out,
        retrying: row.retrying,
        overdue: row.overdue,
        p95AnswerMs: row.p95_answer_ms,
        lastAnswerAt: row.last_answer_at?.getTime() ?? null,
        oldestRetryingAt: row.oldest_retrying_at?.getTime() ?? null,
      };
      return {
        ...outcomes,
        agencyKind: row.agency_kind,
        channel: row.channel,
        pending: row.pending,
        medianAnswerMs: row.median_answer_ms,
        serviceLevelMs: level,
        oldestPendingAt: row.oldest_pending_at,
        health: agencyHealth(outcomes, level),
      };
    });
  }

  async hourly(caller: Caller, hours: number, courtCode?: string) {
    const principal = requireRole(caller, "SUPERVISOR", "OPERATOR", "HUB_ADMIN");
    const courts = principal.roles.includes("SUPERVISOR") ? this.courts(principal, courtCode) : null;
    const rows = await this.store.hourly(courts, new Date(Date.now() - hours * 3_600_000));
    return rows.map((row) => ({ hour: row.hour, agencyKind: row.agency_kind, answered: row.answered, failed: row.failed }));
  }

  /** The requests behind a number: cases are named, so supervisors only. */
  requests(
    caller: Caller,
    filter: { outcome: RequestOutcome; window: StatsWindow; agencyKind?: string; channel?: string; courtCode?: string; first?: number },
  ): Promise<RequestRow[]> {
    const principal = requireRole(caller, "SUPERVISOR");
    return this.store.requests(this.courts(principal, filter.courtCode), this.serviceLevels(), {
      outcome: filter.outcome,
      since: this.since(filter.window),
      agencyKind: filter.agencyKind,
      channel: filter.channel,
      limit: Math.min(filter.first ?? MAX_ROWS, MAX_ROWS),
    });
  }

  /** Cases registered more than `months` months ago and not finished (三个月未执结案件予以警示), oldest first. */
  casesOpenLongerThan(caller: Caller, months: number, courtCode?: string): Promise<OpenCaseRow[]> {
    const principal = requireRole(caller, "SUPERVISOR");
    const before = this.deps.clock();
    before.setUTCMonth(before.getUTCMonth() - months);
    return this.store.casesOpenSince(this.courts(principal, courtCode), before, MAX_ROWS);
  }

  /** 终本 cases whose six-monthly inquiry (法〔2016〕373号 art. 16) is due within `withinDays` days or overdue, soonest first. */
  async casesDueReinquiry(caller: Caller, withinDays: number, courtCode?: string): Promise<ReinquiryCase[]> {
    const principal = requireRole(caller, "SUPERVISOR");
    const today = todayInChina(this.deps.clock());
    const rows = await dueReinquiries(this.deps.sql, addDays(today, withinDays), this.courts(principal, courtCode), MAX_ROWS);
    return rows.map((row) => ({
      caseNumber: row.case_number,
      courtCode: row.court_code,
      concludedOn: row.concluded_on,
      lastInquiryOn: row.last_inquiry_on,
      dueOn: row.next_due_on,
      daysLeft: daysFromTo(today, row.next_due_on),
    }));
  }

  /**
   * Measures expiring within `days` (脱封 to avoid: Henan High Court supervision opinion, item 13), lapsed in the last
   * `days`, or unconfirmed by their agency; with their case and court.
   */
  measures(caller: Caller, watch: MeasureWatch, days: number, courtCode?: string): Promise<MeasureRow[]> {
    const principal = requireRole(caller, "SUPERVISOR");
    const today = todayInChina(this.deps.clock());
    const day = addDays(today, watch === "LAPSED" ? -days : days);
    return this.store.measures(this.courts(principal, courtCode), watch, day, MAX_ROWS);
  }

  /** Open delegated tasks of the courts under the supervisor, delegated or received, due within `withinHours` (overdue ones included). */
  async tasksDue(caller: Caller, withinHours: number, courtCode?: string): Promise<TaskDue[]> {
    const principal = requireRole(caller, "SUPERVISOR");
    const courts = new Set(this.courts(principal, courtCode));
    const due = await this.deps.delegationWatch.due(withinHours);
    return due
      .filter((task) => courts.has(task.target_court) || courts.has(task.delegating_court))
      .slice(0, MAX_ROWS)
      .map((task) => ({
        id: task.id,
        kind: task.kind,
        status: task.status,
        delegatingCourt: task.delegating_court,
        targetCourt: task.target_court,
        deadline: task.deadline,
        dueAt: task.dueAt,
        overdue: task.overdue,
      }));
  }

  /** The audit chain's sealed head and what waits to be sealed; the chain covers every court, so no case is named. */
  chainState(caller: Caller): Promise<ChainState> {
    requireRole(caller, "SUPERVISOR", "OPERATOR", "HUB_ADMIN");
    return this.store.chainState();
  }

  /** The courts a supervisor sees: one of them when named (checked), else all under its court. */
  private courts(principal: Principal, courtCode?: string): string[] {
    if (courtCode) {
      assertCourtAccess(principal, courtCode);
      return [courtCode];
    }
    return [...(principal.supervises ?? [])];
  }

  private since(window: StatsWindow): Date {
    return new Date(Date.now() - STATS_WINDOWS[window]);
  }

  private answerWithinMs(kind: string): number {
    return this.deps.routes.anyEndpoint(kind as AgencyKind).answerWithinMs;
  }

  private serviceLevels(): ServiceLevels {
    const kinds = this.deps.routes.configuredKinds();
    return { kinds, ms: kinds.map((kind) => serviceLevelMs(kind, this.answerWithinMs(kind))) };
  }
}
