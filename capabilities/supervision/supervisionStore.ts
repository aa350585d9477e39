/**
 * The command centre's reads (执行指挥中心, 每日巡检): aggregates over agency_request, enforcement_case, delegated_task and
 * the audit chain, computed in SQL so a province's rows never travel to be counted. Every statement takes the courts
 * the caller may see (null: every court, for the hub's operators, who get counts and never a case).
 */
import { agencyRequestLifecycle } from "../../domain/inquiry/agencyRequestLifecycle.js";
import { caseLifecycle } from "../../domain/cases/caseLifecycle.js";
import { HELD_AT_AGENCY, MEASURE_TRANSITIONS } from "../../domain/measures/measureLifecycle.js";
import { sqlList } from "../../gateway/persistence/lifecycleSql.js";
import type { Sql } from "../../gateway/persistence/database.js";

/** Open requests: those an answer may still move (the lifecycle's ANSWER sources). */
const OPEN_REQUEST = sqlList(agencyRequestLifecycle.statusesFrom("ANSWER"));
/** Cases not yet finished: those still able to close by performance, and the suspended ones that may go on. */
const OPEN_CASE = sqlList([...new Set([...caseLifecycle.statusesFrom("CLOSE"), ...caseLifecycle.statusesFrom("CONTINUE")])]);

export type RequestOutcome = "PENDING" | "RETRYING" | "OVERDUE" | "ANSWERED" | "REFUSED" | "FAILED" | "TIMED_OUT";

export interface AgencyStatsRow {
  agency_kind: string;
  channel: string;
  answered: number;
  refused: number;
  failed: number;
  timed_out: number;
  pending: number;
  retrying: number;
  overdue: number;
  median_answer_ms: number | null;
  p95_answer_ms: number | null;
  oldest_pending_at: Date | null;
  last_answer_at: Date | null;
  oldest_retrying_at: Date | null;
}

export interface RequestRow {
  id: string;
  case_number: string;
  court_code: string;
  agency_kind: string;
  channel: string;
  operation: string;
  status: string;
  attempts: number;
  failed_rounds: number;
  last_error: string | null;
  created_at: Date;
  finished_at: Date | null;
  deadline_at: Date;
}

export interface OpenCaseRow {
  id: string;
  case_number: string;
  court_code: string;
  status: string;
  creditor_name: string;
  claim_amount: string;
  created_at: Date;
}

export type MeasureWatch = "EXPIRING" | "LAPSED" | "UNCONFIRMED";

export interface MeasureRow {
  id: string;
  case_number: string;
  court_code: string;
  kind: string;
  status: string;
  agency_kind: string;
  asset_identifier: string;
  value: string;
  expires_on: string;
  lapsed_at: Date | null;
  created_at: Date;
}

const MEASURE_WATCH: Record<MeasureWatch, string> = {
  // A deduction is done once and has no period to expire.
  EXPIRING: `m.status IN (${sqlList(HELD_AT_AGENCY)}) AND m.kind <> 'DEDUCT' AND m.expires_on <= $3::date`,
  LAPSED: `m.status = '${MEASURE_TRANSITIONS.LAPSE.to}' AND m.expires_on >= $3::date`,
  UNCONFIRMED: `m.status = '${MEASURE_TRANSITIONS.MISS_DEADLINE.to}'`,
};

export interface ChainState {
  sealed_seq: string | null;
  sealed_hash: string | null;
  sealed_at: Date | null;
  unsealed: number;
  oldest_unsealed_at: Date | null;
}

/** Service levels per agency kind, in milliseconds, joined to the rows; a kind without one uses the request's deadline. */
export interface ServiceLevels {
  kinds: string[];
  ms: number[];
}

const SCOPED_REQUESTS = `
  FROM agency_request r
  JOIN enforcement_case c ON c.id = r.case_id
  LEFT JOIN unnest($2::text[], $3::bigint[]) AS sl(kind, ms) ON sl.kind = r.agency_kind
 WHERE ($1::text[] IS NULL OR c.court_code = ANY ($1::text[]))`;

const OVERDUE = `(r.status IN (${OPEN_REQUEST}) AND now() > COALESCE(r.created_at + sl.ms * interval '1 millisecond', r.deadline_at))`;

const OUTCOME: Record<RequestOutcome, string> = {
  PENDING: `r.status IN (${OPEN_REQUEST})`,
  RETRYING: `r.status IN (${OPEN_REQUEST}) AND r.failed_rounds > 0`,
  OVERDUE,
  ANSWERED: `r.status = 'ANSWERED' AND r.finished_at >= $4`,
  REFUSED: `r.status = 'REFUSED' AND r.finished_at >= $4`,
  FAILED: `r.status = 'FAILED' AND r.finished_at >= $4`,
  TIMED_OUT: `r.status = 'TIMED_OUT' AND r.finished_at >= $4`,
};

export class SupervisionStore {
  constructor(private readonly sql: Sql) {}

  /** Per agency and channel: outcomes finished since `since`, what is open now, and answer times (ms) in the window. */
  agencyStats(courts: string[] | null, levels: ServiceLevels, since: Date): Promise<AgencyStatsRow[]> {
    const answerMs = `extract(epoch FROM r.finished_at - r.created_at) * 1000`;
    return this.sql.query<AgencyStatsRow>(
      `SELECT r.agency_kind, r.channel::text AS channel,
              count(*) FILTER (WHERE ${OUTCOME.ANSWERED})::int AS answered,
              count(*) FILTER (WHERE ${OUTCOME.REFUSED})::int AS refused,
              count(*) FILTER (WHERE ${OUTCOME.FAILED})::int AS failed,
              count(*) FILTER (WHERE ${OUTCOME.TIMED_OUT})::int AS timed_out,
              count(*) FILTER (WHERE ${OUTCOME.PENDING})::int AS pending,
              count(*) FILTER (WHERE ${OUTCOME.RETRYING})::int AS retrying,
              count(*) FILTER (WHERE ${OVERDUE})::int AS overdue,
              (percentile_cont(0.5) WITHIN GROUP (ORDER BY ${answerMs}) FILTER (WHERE ${OUTCOME.ANSWERED}))::float8 AS median_answer_ms,
              (percentile_cont(0.95) WITHIN GROUP (ORDER BY ${answerMs}) FILTER (WHERE ${OUTCOME.ANSWERED}))::float8 AS p95_answer_ms,
              min(r.created_at) FILTER (WHERE ${OUTCOME.PENDING}) AS oldest_pending_at,
              max(r.finished_at) FILTER (WHERE ${OUTCOME.ANSWERED} OR ${OUTCOME.REFUSED}) AS last_answer_at,
              min(r.created_at) FILTER (WHERE ${OUTCOME.RETRYING}) AS oldest_retrying_at
         ${SCOPED_REQUESTS}
          AND (r.status IN (${OPEN_REQUEST}) OR r.finished_at >= $4)
        GROUP BY r.agency_kind, r.channel
        ORDER BY r.agency_kind, r.channel`,
      [courts, levels.kinds, levels.ms, since],
    );
  }

  /** Answered and failed requests per hour since `since`: the trend beside the table. */
  hourly(courts: string[] | null, since: Date): Promise<{ hour: Date; agency_kind: string; answered: number; failed: number }[]> {
    return this.sql.query(
      `SELECT date_trunc('hour', r.finished_at) AS hour, r.agency_kind,
              count(*) FILTER (WHERE r.status IN ('ANSWERED', 'REFUSED'))::int AS answered,
              count(*) FILTER (WHERE r.status IN ('FAILED', 'TIMED_OUT'))::int AS failed
         FROM agency_request r JOIN enforcement_case c ON c.id = r.case_id
        WHERE ($1::text[] IS NULL OR c.court_code = ANY ($1::text[])) AND r.finished_at >= $2
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [courts, since],
    );
  }

  /** The rows behind one number of agencyStats; open ones oldest first, finished ones latest first. */
  requests(
    courts: string[],
    levels: ServiceLevels,
    filter: { outcome: RequestOutcome; since: Date; agencyKind?: string; channel?: string; limit: number },
  ): Promise<RequestRow[]> {
    const open = filter.outcome === "PENDING" || filter.outcome === "RETRYING" || filter.outcome === "OVERDUE";
    return this.sql.query<RequestRow>(
      `SELECT r.id::text AS id, c.case_number, c.court_code, r.agency_kind, r.channel::text AS channel, r.operation,
              r.status::text AS status, r.attempts, r.failed_rounds, r.last_error, r.created_at, r.finished_at, r.deadline_at
         ${SCOPED_REQUESTS}
          AND ${OUTCOME[filter.outcome]}
          -- Open outcomes do not look at the window; the cast types the parameter for them too.
          AND $4::timestamptz <= now()
          AND ($5::text IS NULL OR r.agency_kind = $5) AND ($6::text IS NULL OR r.channel::text = $6)
        ORDER BY ${open ? "r.created_at ASC" : "r.finished_at DESC"}, r.id
        LIMIT $7`,
      [courts, levels.kinds, levels.ms, filter.since, filter.agencyKind ?? null, filter.channel ?? null, filter.limit],
    );
  }

  /** Cases not finished, registered before `before`, oldest first. */
  casesOpenSince(courts: string[], before: Date, limit: number): Promise<OpenCaseRow[]> {
    return this.sql.query<OpenCaseRow>(
      `SELECT id::text AS id, case_number, court_code, status::text AS status, creditor_name, claim_amount::text AS claim_amount, created_at
         FROM enforcement_case
        WHERE court_code = ANY ($1::text[]) AND status IN (${OPEN_CASE}) AND created_at < $2
        ORDER BY created_at, case_number
        LIMIT $3`,
      [courts, before, limit],
    );
  }

  /** Measures expiring by `day`, lapsed since `day`, or unconfirmed; soonest expiry first. */
  measures(courts: string[], watch: MeasureWatch, day: string, limit: number): Promise<MeasureRow[]> {
    return this.sql.query<MeasureRow>(
      `SELECT m.id::text AS id, c.case_number, c.court_code, m.kind, m.status::text AS status, m.agency_kind, m.asset_identifier,
              m.value::text AS value, to_char(m.expires_on, 'YYYY-MM-DD') AS expires_on, m.lapsed_at, m.created_at
         FROM measure m JOIN enforcement_case c ON c.id = m.case_id
        WHERE c.court_code = ANY ($1::text[]) AND ${MEASURE_WATCH[watch]}
        ORDER BY m.expires_on, m.id
        LIMIT $2`,
      // An unconfirmed measure has no day to compare; a parameter no clause names could not be typed.
      watch === "UNCONFIRMED" ? [courts, limit] : [courts, limit, day],
    );
  }

  async chainState(): Promise<ChainState> {
    const [row] = await this.sql.query<ChainState>(
      `SELECT h.seq::text AS sealed_seq, h.hash AS sealed_hash,
              (SELECT at FROM audit_event WHERE seq = h.seq) AS sealed_at,
              (SELECT count(*)::int FROM audit_event WHERE seq IS NULL) AS unsealed,
              (SELECT min(at) FROM audit_event WHERE seq IS NULL) AS oldest_unsealed_at
         FROM (SELECT 1) one LEFT JOIN audit_chain_head h ON h.id = 1`,
    );
    return row;
  }
}
