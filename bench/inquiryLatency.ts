/**
 * Benchmark 1: how long a court waits for a complete national inquiry through
 * the hub, against calling the five agencies itself.
 *
 * Sandbox: every agency answers after exactly latencyMs (20 ms, no jitter);
 * the ticket agencies (vehicle, tax) finish their tickets at once
 * (processingMs 0). The vehicle registry still answers "come back later"
 * first, and its connector never polls sooner than 250 ms (MIN_POLL_MS), so
 * both paths spend ~20 + 250 + 20 ms on the vehicle registry; tax answers by
 * callback on both paths.
 *
 * Hub: one graphql-ws subscription to inquiryUpdates(caseNumber) stays open;
 * each iteration posts requestInquiry over HTTP and stops the clock when the
 * subscription reports openParts 0 for that inquiry.
 * Direct: DirectClient (support/directInquiry.ts).
 * The two alternate, in alternating order, so that both see the same noise.
 */
import type { AgencyKind } from "../connectors/connector.js";
import { AGENCY_KINDS } from "../connectors/connector.js";
import { DirectClient } from "./support/directInquiry.js";
import {
  CompletionWatcher,
  COURT,
  REGISTER_CASE,
  REQUEST_INQUIRY,
  nextCaseNumber,
  nextResidentId,
  startBenchHub,
  type DatabaseKind,
} from "./support/benchHub.js";
import { loadAverage } from "./support/machine.js";
import { percentile, sleep, summarize, type Summary } from "./support/stats.js";

export interface LatencyOptions {
  database: DatabaseKind;
  iterations: number;
  warmup: number;
  latencyMs?: number;
  log?: (line: string) => void;
}

export interface LatencyResult {
  database: DatabaseKind;
  iterations: number;
  warmup: number;
  latencyMs: number;
  hub: Summary;
  direct: Summary;
  ratioP50: number;
  ratioP99: number;
  /** Median milliseconds from the start of the iteration until each agency's final answer. */
  perAgencyP50: { hub: Partial<Record<AgencyKind, number>>; direct: Partial<Record<AgencyKind, number>> };
  /** Where a hub iteration's time goes, medians in ms, from database timestamps (ms resolution). */
  hubPhases: {
    clientToRecorded: number;
    recordedToComplete: number;
    completeToClient: number;
  };
  /** Parts of measured hub inquiries that ended other than ANSWERED (should be 0; the direct side throws instead). */
  hubPartsNotAnswered: number;
  /** 1-minute load average of the machine when the run ended (other work on a shared machine adds noise). */
  loadAverage: number;
  wallSeconds: number;
}

const KNOBS = { latencyMs: 20, jitterMs: 0, processingMs: 0 };

export async function runInquiryLatency(options: LatencyOptions): Promise<LatencyResult> {
  const log = options.log ?? (() => undefined);
  const latencyMs = options.latencyMs ?? KNOBS.latencyMs;
  const started = performance.now();
  const knobs = Object.fromEntries(AGENCY_KINDS.map((kind) => [kind, { ...KNOBS, latencyMs }]));
  const bench = await startBenchHub({ database: options.database, knobs });
  const direct = new DirectClient(bench.agencies);
  await direct.start();
  try {
    const caseNumber = nextCaseNumber();
    const idNumber = nextResidentId();
    const debtor = { kind: "PERSON" as const, idNumber, name: "王五" };
    await bench.gql(REGISTER_CASE, { input: { caseNumber, creditorName: "开封农商银行", claimAmount: "250000", debtors: [debtor] } });
    const watcher = new CompletionWatcher(bench.ws(), caseNumber);
    await watcher.ready;
    await sleep(1000); // let the registration's own first inquiry finish

    const input = { caseNumber, debtorIdNumber: idNumber, channel: "NATIONAL", purpose: "基准测试：财产查询时延" };
    const directCall = { caseNumber, courtCode: COURT, debtor, purpose: input.purpose, officer: "bench-officer" };
    const divisionCode = "410225";

    const hubOnce = async () => {
      const wallStart = Date.now();
      const t0 = performance.now();
      const data = await bench.gql<{ requestInquiry: { id: string } }>(REQUEST_INQUIRY, { input });
      const t1 = await watcher.completion(data.requestInquiry.id);
      return { ms: t1 - t0, inquiryId: data.requestInquiry.id, wallStart, wallEnd: wallStart + (t1 - t0) };
    };
    const directOnce = async () => {
      const result = await direct.inquire(directCall, divisionCode);
      const refused = Object.entries(result.outcomes).filter(([, kind]) => kind !== "ANSWERED");
      if (refused.length) throw new Error(`direct inquiry not answered by ${refused.map(([k, v]) => `${k}=${v}`).join(", ")}`);
      return result;
    };

    const hubSamples: number[] = [];
    const directSamples: number[] = [];
    const hubRuns: { inquiryId: string; wallStart: number; wallEnd: number }[] = [];
    const directByAgency: Record<string, number[]> = {};
    const total = options.warmup + options.iterations;
    for (let i = 0; i < total; i++) {
      const measured = i >= options.warmup;
      const runHub = async () => {
        const run = await hubOnce();
        if (measured) {
          hubSamples.push(run.ms);
          hubRuns.push(run);
        }
      };
      const runDirect = async () => {
        const run = await directOnce();
        if (measured) {
          directSamples.push(run.totalMs);
          for (const [kind, value] of Object.entries(run.byAgency)) (directByAgency[kind] ??= []).push(value);
        }
      };
      if (i % 2 === 0) {
        await runHub();
        await sleep(10);
        await runDirect();
      } else {
        await runDirect();
        await sleep(10);
        await runHub();
      }
      await sleep(10);
      if (measured && (i - options.warmup + 1) % 50 === 0) {
        log(
          `  ${options.database}: ${i - options.warmup + 1}/${options.iterations} pairs, hub p50 so far ` +
            `${percentile(hubSamples, 50).toFixed(1)} ms, direct ${percentile(directSamples, 50).toFixed(1)} ms`,
        );
      }
    }
    watcher.close();

    const phases = await hubPhases(bench.hub.db.sql, hubRuns);
    const hub = summarize(hubSamples);
    const directSummary = summarize(directSamples);
    return {
      database: options.database,
      iterations: options.iterations,
      warmup: options.warmup,
      latencyMs,
      hub,
      direct: directSummary,
      ratioP50: hub.p50 / directSummary.p50,
      ratioP99: hub.p99 / directSummary.p99,
      perAgencyP50: {
        hub: phases.perAgency,
        direct: Object.fromEntries(Object.entries(directByAgency).map(([kind, values]) => [kind, percentile(values, 50)])),
      },
      hubPhases: phases.phases,
      hubPartsNotAnswered: phases.notAnswered,
      wallSeconds: (performance.now() - started) / 1000,
      loadAverage: loadAverage(),
    };
  } finally {
    await direct.close();
    await bench.close();
  }
}

/** Breaks hub iterations down using the database's own timestamps (same machine clock, ms resolution). */
async function hubPhases(
  sql: { query<T>(text: string, params?: unknown[]): Promise<T[]> },
  runs: { inquiryId: string; wallStart: number; wallEnd: number }[],
) {
  const rows = await sql.query<{
    id: string;
    created: string;
    completed: string;
    parts: { kind: AgencyKind; status: string; created: string; sent: string | null; finished: string }[];
  }>(
    `SELECT i.id::text AS id, (extract(epoch FROM i.created_at) * 1000)::float8 AS created,
            (extract(epoch FROM i.completed_at) * 1000)::float8 AS completed,
            json_agg(json_build_object('kind', r.agency_kind, 'status', r.status,
                                       'created', extract(epoch FROM r.created_at) * 1000,
                                       'sent', extract(epoch FROM r.sent_at) * 1000,
                                       'finished', extract(epoch FROM r.finished_at) * 1000)) AS parts
       FROM inquiry i JOIN agency_request r ON r.inquiry_id = i.id
      WHERE i.id = ANY($1::uuid[]) GROUP BY i.id`,
    [runs.map((r) => r.inquiryId)],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const clientToRecorded: number[] = [];
  const recordedToComplete: number[] = [];
  const completeToClient: number[] = [];
  const perAgency: Record<string, number[]> = {};
  let notAnswered = 0;
  for (const run of runs) {
    const row = byId.get(run.inquiryId);
    if (!row) continue;
    const created = Number(row.created);
    const completed = Number(row.completed);
    clientToRecorded.push(created - run.wallStart);
    recordedToComplete.push(completed - created);
    completeToClient.push(run.wallEnd - completed);
    for (const part of row.parts) {
      (perAgency[part.kind] ??= []).push(Number(part.finished) - run.wallStart);
      if (part.status !== "ANSWERED") notAnswered++;
    }
  }
  return {
    phases: {
      clientToRecorded: percentile(clientToRecorded, 50),
      recordedToComplete: percentile(recordedToComplete, 50),
      completeToClient: percentile(completeToClient, 50),
    },
    perAgency: Object.fromEntries(Object.entries(perAgency).map(([kind, values]) => [kind, percentile(values, 50)])),
    notAnswered,
  };
}
