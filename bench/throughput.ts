/**
 * Benchmark 2: agency requests recorded, sent and answered per second.
 *
 * A closed loop of `concurrency` case officers, each with a case of its own:
 * every officer posts requestInquiry (national channel, five agencies) over
 * HTTP, waits until its graphql-ws subscription reports the inquiry complete
 * (openParts 0), and at once asks again. Agencies answer after latencyMs
 * (5 ms, no jitter) and finish tickets at once (processingMs 0), so the
 * vehicle registry's 250 ms minimum poll interval is the only wait on the
 * agency side. After a warm-up, the rate is the number of agency_request rows
 * whose finished_at (the database clock) falls inside a fixed window, divided
 * by the window. Every finished request in the window has been recorded, sent,
 * answered, audited and announced to its subscriber.
 */
import { AGENCY_KINDS } from "../connectors/connector.js";
import { startBenchHub, type DatabaseKind } from "./support/benchHub.js";
import { startOfficers } from "./support/officers.js";
import { cpuMeter } from "./support/cpu.js";
import { loadAverage } from "./support/machine.js";
import { percentile, sleep } from "./support/stats.js";

export interface ThroughputOptions {
  database: DatabaseKind;
  concurrency: number;
  warmupSeconds: number;
  windowSeconds: number;
  dbPoolSize?: number;
  latencyMs?: number;
  log?: (line: string) => void;
}

export interface ThroughputResult {
  database: DatabaseKind;
  concurrency: number;
  windowSeconds: number;
  dbPoolSize?: number;
  latencyMs: number;
  /** agency_request rows finished per second inside the window */
  finishedPerSecond: number;
  recordedPerSecond: number;
  inquiriesCompletedPerSecond: number;
  byStatus: Record<string, number>;
  /** Medians per agency kind, from the database's timestamps. */
  perAgencyP50: Record<string, { recordedToSentMs: number; recordedToFinishedMs: number }>;
  /** Inquiry round trip as each officer saw it, inside the window. */
  inquiryP50Ms: number;
  inquiryP99Ms: number;
  /** Requests still unfinished when the window closed (backlog). */
  openAtEnd: number;
  /** Unsealed audit rows when the window closed: whether the sealer keeps up. */
  unsealedAuditAtEnd: number;
  /**
   * Cores in use during the window: the hub's process (with the load generator), the sandbox's, the whole machine,
   * and (PostgreSQL) the server backends serving the hub's database.
   */
  cores: { self: number; other?: number; machineBusy?: number; database?: number };
  /** CPU milliseconds per finished agency request: the hub's process (load generator included), the sandbox's, PostgreSQL's backends. */
  cpuMsPerRequest: { self: number; other?: number; database?: number };
  /**
   * PostgreSQL: transactions committed in the hub's database per finished request, from pg_stat_database, i.e.
   * statements outside transactions plus transactions (approximate: backends report their counts about once a second).
   */
  commitsPerRequest?: number;
  /** 1-minute load average of the machine when the window closed. */
  loadAverage: number;
  /** Officers' requests that failed (GraphQL errors, timeouts) during the whole run. */
  clientErrors: number;
}

async function commitCount(sql: { query<T>(text: string): Promise<T[]> }, database: DatabaseKind): Promise<number | undefined> {
  if (database !== "postgres") return undefined;
  const [row] = await sql.query<{ n: string }>(`SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()`);
  return Number(row.n);
}

export async function runThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const log = options.log ?? (() => undefined);
  const latencyMs = options.latencyMs ?? 5;
  const knobs = Object.fromEntries(AGENCY_KINDS.map((kind) => [kind, { latencyMs, jitterMs: 0, processingMs: 0 }]));
  const bench = await startBenchHub({ database: options.database, knobs, dbPoolSize: options.dbPoolSize });
  const sql = bench.hub.db.sql;
  try {
    const officers = await startOfficers([bench], options.concurrency, log);

    await sleep(options.warmupSeconds * 1000);
    const [{ at: startAt }] = await sql.query<{ at: string }>(`SELECT now()::text AS at`);
    // The server's backends for this database (the hub's pool and its LISTEN connection), on PostgreSQL only:
    // PGlite runs inside the hub's process. Other databases on the server are not counted.
    const backends =
      options.database === "postgres"
        ? (await sql.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)).map((r) => r.pid)
        : [];
    const commitsAtStart = await commitCount(sql, options.database);
    const cpu = cpuMeter(bench.sandbox.pid, backends);
    officers.measuring = true;
    await sleep(options.windowSeconds * 1000);
    officers.measuring = false;
    const [{ at: endAt }] = await sql.query<{ at: string }>(`SELECT now()::text AS at`);
    const cores = cpu();
    const commitsAtEnd = await commitCount(sql, options.database);
    const seconds = (Date.parse(endAt) - Date.parse(startAt)) / 1000;
    const [counts] = await sql.query<{ finished: number; recorded: number; inquiries: number; open: number; unsealed: number }>(
      `SELECT (SELECT count(*) FROM agency_request WHERE finished_at >= $1::timestamptz AND finished_at < $2::timestamptz)::int AS finished,
              (SELECT count(*) FROM agency_request WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz)::int AS recorded,
              (SELECT count(*) FROM inquiry WHERE completed_at >= $1::timestamptz AND completed_at < $2::timestamptz)::int AS inquiries,
              (SELECT count(*) FROM agency_request WHERE finished_at IS NULL)::int AS open,
              (SELECT count(*) FROM audit_event WHERE seq IS NULL)::int AS unsealed`,
      [startAt, endAt],
    );
    const statusRows = await sql.query<{ status: string; n: number }>(
      `SELECT status::text AS status, count(*)::int AS n FROM agency_request
        WHERE finished_at >= $1::timestamptz AND finished_at < $2::timestamptz GROUP BY status`,
      [startAt, endAt],
    );
    const perAgency = await sql.query<{ kind: string; to_sent: number; to_finished: number; attempts: number }>(
      `SELECT agency_kind AS kind,
              percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - created_at) * 1000)::float8 AS to_sent,
              percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at) * 1000)::float8 AS to_finished,
              avg(attempts)::float8 AS attempts
         FROM agency_request WHERE finished_at >= $1::timestamptz AND finished_at < $2::timestamptz GROUP BY agency_kind ORDER BY 1`,
      [startAt, endAt],
    );
    await officers.stop();
    return {
      database: options.database,
      concurrency: options.concurrency,
      windowSeconds: seconds,
      dbPoolSize: options.dbPoolSize,
      latencyMs,
      finishedPerSecond: counts.finished / seconds,
      recordedPerSecond: counts.recorded / seconds,
      inquiriesCompletedPerSecond: counts.inquiries / seconds,
      byStatus: Object.fromEntries(statusRows.map((r) => [r.status, r.n])),
      perAgencyP50: Object.fromEntries(
        perAgency.map((r) => [r.kind, { recordedToSentMs: r.to_sent, recordedToFinishedMs: r.to_finished }]),
      ),
      inquiryP50Ms: percentile(officers.latencies, 50),
      inquiryP99Ms: percentile(officers.latencies, 99),
      openAtEnd: counts.open,
      unsealedAuditAtEnd: counts.unsealed,
      cores,
      cpuMsPerRequest: {
        self: (cores.self * seconds * 1000) / counts.finished,
        other: cores.other === undefined ? undefined : (cores.other * seconds * 1000) / counts.finished,
        database: cores.database === undefined ? undefined : (cores.database * seconds * 1000) / counts.finished,
      },
      commitsPerRequest:
        commitsAtStart === undefined || commitsAtEnd === undefined ? undefined : (commitsAtEnd - commitsAtStart) / counts.finished,
      loadAverage: loadAverage(),
      clientErrors: officers.errors,
    };
  } finally {
    await bench.close();
  }
}
