/**
 * `npm run bench`: the hub's benchmarks, in one run so that ratios compare
 * figures measured under the same conditions; prints them and writes
 * docs/BENCHMARKS.md.
 *
 * 1. Inquiry latency, hub vs direct (bench/inquiryLatency.ts), on PGlite and PostgreSQL.
 * 2. Throughput of agency requests (bench/throughput.ts), on PostgreSQL and PGlite,
 *    with the client CPU of one agency exchange per HTTP client (bench/transportCost.ts).
 * 3. Delivery of the sanction lists to push partners reading the log by cursor
 *    (bench/sanctionDelivery.ts), on PostgreSQL: changes to 5 and to 44 partners, beside the per-partner
 *    outbox's figure, a new partner's snapshot, and the lag at a steady 100 changes a second while it runs
 *    (its SANCTION_BENCH_* settings are in that file; SANCTION_BENCH_SCALE=1 for the full size).
 * 4. The hub's own CPU per agency request and its memory, each instance in a process of its own (bench/hubProcesses.ts):
 *    undici's request vs fetch, one vs two instances on one PostgreSQL, and peak RSS with 10,000 requests in flight.
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL / DATABASE_URL  PostgreSQL server (default postgresql://postgres@127.0.0.1:5432/postgres);
 *                                      each benchmark creates a fresh bench_<random> database there and drops it
 *   BENCH_DATABASE_NAME                instead, this existing database, emptied before and after each benchmark
 *   BENCH_ITERATIONS (100)             measured hub/direct pairs per database
 *   BENCH_WARMUP (10)                  unmeasured pairs first
 *   BENCH_WINDOW_S (10)                throughput measuring window
 *   BENCH_CONCURRENCY (64)             throughput: officers with an inquiry in flight
 *   BENCH_POOL_SIZE                    throughput on PostgreSQL: the hub's pool (default: the hub's own default)
 *   BENCH_ONLY=latency|throughput|sanctions|sanction-lag|hub-processes  run one benchmark (sanction-lag: the
 *                                      snapshot and lag part of [3] alone; hub-processes is printed only, unless
 *                                      BENCH_OUT names a file)
 *   BENCH_IN_FLIGHT (10000)            [4b]: agency requests in flight
 *   BENCH_DATABASES=pglite,postgres    which databases
 *   BENCH_OUT (docs/BENCHMARKS.md)     report path; BENCH_OUT=- prints it only
 */
import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runInquiryLatency, type LatencyResult } from "./inquiryLatency.js";
import { renderHubProcesses, runHubProcesses } from "./hubProcesses.js";
import { runSanctionDelivery } from "./sanctionDelivery.js";
import { runThroughput, type ThroughputResult } from "./throughput.js";
import { measureTransportCost, type TransportCost } from "./transportCost.js";
import { describePostgres, POSTGRES_SERVER_URL } from "./support/database.js";
import { describeMachine, loadAverage } from "./support/machine.js";
import { renderReport } from "./report.js";
import type { DatabaseKind } from "./support/benchHub.js";

const env = process.env;
const iterations = Number(env.BENCH_ITERATIONS ?? 100);
const warmup = Number(env.BENCH_WARMUP ?? 10);
const windowSeconds = Number(env.BENCH_WINDOW_S ?? 10);
const concurrency = Number(env.BENCH_CONCURRENCY ?? 64);
const poolSize = env.BENCH_POOL_SIZE ? Number(env.BENCH_POOL_SIZE) : undefined;
const only = env.BENCH_ONLY;
const databases = (env.BENCH_DATABASES ?? "pglite,postgres").split(",").map((d) => d.trim()) as DatabaseKind[];
// The lag alone is a section of the report, not a report: printed, unless BENCH_OUT names a file.
const out =
  env.BENCH_OUT ??
  (only === "sanction-lag" || only === "hub-processes" ? "-" : fileURLToPath(new URL("../docs/BENCHMARKS.md", import.meta.url)));

const log = (line: string) => console.log(line);
const started = new Date();
const startedAt = performance.now();
const machine = describeMachine();
const postgres = databases.includes("postgres") ? await describePostgres() : undefined;
const loadAtStart = loadAverage();
log(`benchmarks on ${machine.nproc} CPUs (${machine.cpuModel}), Node ${machine.node}, load average ${loadAtStart.toFixed(2)}`);
if (postgres) log(`${postgres} at ${new URL(POSTGRES_SERVER_URL).host}`);

const latency: LatencyResult[] = [];
const throughput: ThroughputResult[] = [];

if (only === undefined || only === "latency") {
  for (const database of databases) {
    log(`\n[1] inquiry latency on ${database}: ${warmup} warm-up + ${iterations} measured pairs (hub, direct)`);
    const result = await runInquiryLatency({ database, iterations, warmup, log });
    latency.push(result);
    log(
      `  hub    p50 ${result.hub.p50.toFixed(1)} ms  p99 ${result.hub.p99.toFixed(1)} ms\n` +
        `  direct p50 ${result.direct.p50.toFixed(1)} ms  p99 ${result.direct.p99.toFixed(1)} ms\n` +
        `  ratio  p50 ${result.ratioP50.toFixed(3)}×  p99 ${result.ratioP99.toFixed(3)}×  (target ≤ 1.15×)  ` +
        `[${result.wallSeconds.toFixed(0)} s]`,
    );
  }
}

if (only === undefined || only === "throughput") {
  for (const database of [...databases].reverse()) {
    log(`\n[2] throughput on ${database}: ${concurrency} officers, 3 s warm-up, ${windowSeconds} s window`);
    const result = await runThroughput({
      database,
      concurrency,
      warmupSeconds: 3,
      windowSeconds,
      dbPoolSize: database === "postgres" ? poolSize : undefined,
      log,
    });
    throughput.push(result);
    log(
      `  ${result.finishedPerSecond.toFixed(0)} agency requests finished/s (${result.recordedPerSecond.toFixed(0)} recorded/s, ` +
        `${result.inquiriesCompletedPerSecond.toFixed(1)} inquiries/s); inquiry p50 ${result.inquiryP50Ms.toFixed(0)} ms; ` +
        `cores: hub ${result.cores.self.toFixed(2)}, sandbox ${result.cores.other?.toFixed(2) ?? "?"}, postgres ` +
        `${result.cores.database?.toFixed(2) ?? "?"}, ` +
        `machine ${result.cores.machineBusy?.toFixed(2) ?? "?"} busy; CPU ms per request: hub ${result.cpuMsPerRequest.self.toFixed(2)}, ` +
        `sandbox ${result.cpuMsPerRequest.other?.toFixed(2) ?? "?"}, postgres ${result.cpuMsPerRequest.database?.toFixed(2) ?? "?"}; ` +
        `commits per request ${result.commitsPerRequest?.toFixed(2) ?? "?"}`,
    );
  }
}

let transport: TransportCost | undefined;
if (only === undefined || only === "throughput") {
  log("\n[2b] client CPU per agency exchange: fetch vs undici.request vs node:http");
  transport = await measureTransportCost();
  log(
    `  fetch ${transport.fetch.toFixed(0)} µs, undici.request ${transport.undiciRequest.toFixed(0)} µs, node:http ` +
      `${transport.nodeHttp.toFixed(0)} µs`,
  );
}

let sanctions = "";
if ((only === undefined || only === "sanctions" || only === "sanction-lag") && databases.includes("postgres")) {
  log(`\n[3] sanction-list delivery to push partners on PostgreSQL${only === "sanction-lag" ? ": lag only" : ""}`);
  sanctions = await runSanctionDelivery(log, { throughput: only !== "sanction-lag" });
}

let hubProcesses = "";
if ((only === undefined || only === "hub-processes") && databases.includes("postgres")) {
  log("\n[4] hub CPU per agency request (request vs fetch, one vs two instances) and memory in flight, on PostgreSQL");
  const loadStart = loadAverage();
  const result = await runHubProcesses({
    concurrency,
    warmupSeconds: 3,
    windowSeconds,
    inFlight: Number(env.BENCH_IN_FLIGHT ?? 10_000),
    log,
  });
  hubProcesses = renderHubProcesses(result, {
    date: new Date(),
    load: { start: loadStart, end: loadAverage() },
    concurrency,
    windowSeconds,
  });
}

const report =
  only === "hub-processes"
    ? hubProcesses
    : renderReport({
        date: started,
        durationSeconds: (performance.now() - startedAt) / 1000,
        machine,
        postgres,
        loadAverage: { start: loadAtStart, end: loadAverage() },
        settings: { iterations, warmup, windowSeconds, concurrency, poolSize },
        latency,
        throughput,
        transport,
      }) +
      sanctions +
      hubProcesses;
if (out === "-") {
  log(`\n${report}`);
} else {
  writeFileSync(out, report);
  log(`\nwrote ${out} (${((performance.now() - startedAt) / 1000).toFixed(0)} s in all)`);
}
// Kept-alive client sockets and pools would hold the process open a while longer.
process.exit(0);
