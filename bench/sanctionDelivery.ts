/**
 * `npx tsx bench/sanctionDelivery.ts`: delivery of the dishonest-debtor and consumption-restriction
 * lists to sandbox push partners (alternately verifying SM2 and HMAC-SM3), each reading the change log
 * by its own cursor, on PostgreSQL. Prints a markdown section for docs/BENCHMARKS.md, with the figure
 * the per-partner outbox this replaced measured (OUTBOX_BEFORE) beside this run's.
 *
 * 1. Throughput, once per partner count in SANCTION_BENCH_PARTNERS (5,44), each on a fresh database:
 *    SANCTION_BENCH_CHANGES (1,000,000) list changes, over SANCTION_BENCH_DEBTORS (100,000) debtors,
 *    are written to the change log in bulk SQL (as a mass listing would leave it) while the partners,
 *    registered first, are inactive; then they are reactivated and catch up: signed batches, POSTed,
 *    acknowledged, in order per debtor. The figure is the time from reactivation until every partner's
 *    cursor is at the end of the log with nothing out, held back or dead.
 * 2. Lag, on the first (5-partner) hub: SANCTION_BENCH_RATE (100) changes a second for
 *    SANCTION_BENCH_LAG_S (30) seconds, each written through the hub's own write path (one
 *    transaction: change log, audit), timed from commit to the moment the partner applies it (its
 *    acknowledgement is the reply to that same POST); p50 and p99 over every change and partner.
 *
 * BENCH_DATABASE_URL / DATABASE_URL: the PostgreSQL server (a fresh database is created and dropped).
 * From bench/run.ts: `report += await runSanctionDelivery(log)`; with BENCH_ONLY=sanction-lag,
 * `runSanctionDelivery(log, { throughput: false })` measures the lag alone, on an empty log.
 * The partners run in this process, so they share its CPU with the hub, as on a one-machine test.
 */
import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { generateKeyPair } from "jose";
import { AGENCY_KINDS } from "../connectors/connector.js";
import { issueToken } from "../gateway/auth/tokens.js";
import { generateSm2KeyPair } from "../gateway/signing/sm2Keys.js";
import type { ChangeMessage } from "../capabilities/sanctions/delivery/changeMessage.js";
import { DEFAULT_PUSH_OPTIONS } from "../capabilities/sanctions/delivery/pushDelivery.js";
import { startHub, type RunningHub } from "../gateway/hub.js";
import { reseal } from "../gateway/persistence/dataAtRest.js";
import { dataCipher } from "../gateway/persistence/dataCipher.js";
import { createLogger } from "../gateway/logger.js";
import { sandboxRoutes } from "../gateway/routing/sandboxRoutes.js";
import type { Sql } from "../gateway/persistence/database.js";
import { appendChange } from "../capabilities/sanctions/sanctionStore.js";
import { startPartner, type RunningPartner } from "../sandbox/partners/partnerAgency.js";
import { createBenchDatabase, describePostgres } from "./support/database.js";
import { describeMachine, loadAverage } from "./support/machine.js";
import { summarize } from "./support/stats.js";

const env = process.env;
const CHANGES = Number(env.SANCTION_BENCH_CHANGES ?? 1_000_000);
const DEBTORS = Math.min(CHANGES, Number(env.SANCTION_BENCH_DEBTORS ?? 100_000));
const PARTNER_COUNTS = (env.SANCTION_BENCH_PARTNERS ?? "5,44").split(",").map(Number);
const RATE = Number(env.SANCTION_BENCH_RATE ?? 100);
const LAG_SECONDS = Number(env.SANCTION_BENCH_LAG_S ?? 30);
const CHUNK = 100_000;
const NAMED_PARTNERS = [
  { code: "CREDIT_PLATFORM", signing: "SM2" },
  { code: "CIVIL_AVIATION", signing: "HMAC_SM3" },
  { code: "RAILWAY", signing: "SM2" },
  { code: "MARKET_REGULATOR", signing: "SM2" },
  { code: "TAX_BUREAU", signing: "HMAC_SM3" },
] as const;
/**
 * The per-partner outbox's figure, before push partners read the log by cursor: docs/BENCHMARKS.md of
 * 0a75881, PostgreSQL on this machine class (2 × AMD EPYC), batches of 500 with 4 in flight per partner.
 */
const OUTBOX_BEFORE = { changes: 1_000_000, partners: 5, seconds: 902.5, outboxRows: 5_000_000 };

interface BenchPartner {
  code: string;
  signing: "SM2" | "HMAC_SM3";
}

function partnersOf(count: number): BenchPartner[] {
  return Array.from({ length: count }, (_, i) =>
    i < NAMED_PARTNERS.length
      ? NAMED_PARTNERS[i]
      : { code: `JOINT_UNIT_${String(i + 1).padStart(2, "0")}`, signing: i % 2 === 0 ? "SM2" : "HMAC_SM3" },
  );
}

interface Bench {
  hub: RunningHub;
  partners: RunningPartner[];
  close(): Promise<void>;
}

/** A hub on a fresh database with `count` push partners registered and then deactivated: nothing is sent yet. */
async function startBench(count: number): Promise<Bench> {
  const database = await createBenchDatabase();
  const signingKey = generateSm2KeyPair();
  const keys = await generateKeyPair("EdDSA");
  const hub = await startHub({
    port: 0,
    host: "127.0.0.1",
    databaseUrl: database.url,
    agencies: sandboxRoutes(Object.fromEntries(AGENCY_KINDS.map((kind) => [kind, "http://127.0.0.1:9"])), "unused"),
    keys,
    sanctionSigningKeyPem: signingKey.privateKeyPem,
    log: createLogger(env.BENCH_LOG_LEVEL ?? "error"),
  });
  const partners: RunningPartner[] = [];
  const close = async () => {
    await hub.close();
    await Promise.all(partners.map((partner) => partner.close()));
    await database.drop();
  };
  try {
    const admin = await issueToken(keys, { org: "HUB", roles: ["HUB_ADMIN"], officer: "bench" });
    for (const { code, signing } of partnersOf(count)) {
      const secret = signing === "HMAC_SM3" ? `${code}-shared-secret-for-the-benchmark` : undefined;
      const partner = await startPartner(code, secret ? { secret } : { publicKeyPem: signingKey.publicKeyPem });
      partners.push(partner);
      const response = await fetch(`${hub.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
        body: JSON.stringify({
          query: `mutation($input: SanctionPartnerInput!) { registerSanctionPartner(input: $input) { created } }`,
          variables: {
            input: {
              code,
              name: code,
              lists: ["DISHONEST_DEBTOR", "CONSUMPTION_RESTRICTION"],
              fields: ["name", "expiresOn"],
              mode: "PUSH",
              endpoint: partner.endpoint,
              signing,
              secret,
              publicKey: secret ? undefined : partner.receiver.key.publicKeyPem,
            },
          },
        }),
      });
      const result = (await response.json()) as { errors?: unknown };
      if (result.errors) throw new Error(JSON.stringify(result.errors));
    }
    // Inactive while the backlog is written, as partners out of service would be: they catch up when reactivated.
    await hub.db.sql.query(`UPDATE sanction_partner SET active = false, inactive_reason = 'bench: backlog being written'`);
    return { hub, partners, close };
  } catch (error) {
    await close();
    throw error;
  }
}

interface ThroughputRun {
  partners: number;
  writeSeconds: number;
  deliverySeconds: number;
  applied: number;
  violations: number;
}

async function measureThroughput(bench: Bench, log: (line: string) => void): Promise<ThroughputRun> {
  const writeSeconds = await writeBacklog(bench.hub.db.sql, log);
  const deliveryStarted = performance.now();
  await bench.hub.db.sql.query(`UPDATE sanction_partner SET active = true, inactive_reason = NULL`);
  bench.hub.pushDelivery.wake();
  await untilCaughtUp(bench.hub.db.sql, log);
  return {
    partners: bench.partners.length,
    writeSeconds,
    deliverySeconds: (performance.now() - deliveryStarted) / 1000,
    applied: bench.partners.reduce((sum, p) => sum + p.receiver.applied, 0),
    violations: bench.partners.reduce((sum, p) => sum + p.receiver.violations.length, 0),
  };
}

/** Runs the measurements on fresh PostgreSQL databases and answers the markdown section. */
export async function runSanctionDelivery(
  log: (line: string) => void = (line) => console.error(line),
  options: { throughput?: boolean } = {},
): Promise<string> {
  const throughput = options.throughput ?? true;
  const machine = describeMachine();
  const loadAtStart = loadAverage();
  const runs: ThroughputRun[] = [];
  const counts = throughput ? PARTNER_COUNTS : [NAMED_PARTNERS.length];
  let lagRows = "";
  for (const [index, count] of counts.entries()) {
    log(`${count} partners`);
    const bench = await startBench(count);
    try {
      if (throughput) runs.push(await measureThroughput(bench, log));
      if (index === 0) lagRows = await measureLag(bench, log);
    } finally {
      await bench.close();
    }
  }
  const postgres = await describePostgres();
  const first = runs[0];
  const throughputRows = runs
    .map(
      (run) => `| ${CHANGES.toLocaleString("en")} changes over ${DEBTORS.toLocaleString("en")} debtors delivered to and acknowledged by \
${run.partners} partners (log written in ${run.writeSeconds.toFixed(1)} s, bulk SQL) | ${run.deliverySeconds.toFixed(1)} s: \
**${Math.round(CHANGES / run.deliverySeconds).toLocaleString("en")} changes/s** \
(${Math.round((CHANGES * run.partners) / run.deliverySeconds).toLocaleString("en")} partner deliveries/s)\
${run === first ? "" : `, ${(run.deliverySeconds / first.deliverySeconds).toFixed(2)}× the ${first.partners}-partner time`}; \
applied ${run.applied.toLocaleString("en")}, out of order ${run.violations} |
`,
    )
    .join("");
  const before = throughput
    ? `| before: the per-partner outbox (${OUTBOX_BEFORE.outboxRows.toLocaleString("en")} rows), \
${OUTBOX_BEFORE.changes.toLocaleString("en")} changes to ${OUTBOX_BEFORE.partners} partners, quoted from the previous run | \
${OUTBOX_BEFORE.seconds} s: ${Math.round(OUTBOX_BEFORE.changes / OUTBOX_BEFORE.seconds).toLocaleString("en")} changes/s |
`
    : "";
  return `## Sanction-list delivery (失信 / 限消) to push partners reading the log by cursor, \
PostgreSQL${throughput ? "" : ": lag only (BENCH_ONLY=sanction-lag)"}

Machine: ${machine.nproc} CPUs (${machine.cpuModel}), Node ${machine.node}, load average ${loadAtStart.toFixed(1)} at the start, \
${loadAverage().toFixed(1)} at the end; ${postgres}. Partners are sandbox servers in the hub's process (alternately verifying SM2 \
and HMAC-SM3), each answering after 5–10 ms.
Hub defaults: batches of ${DEFAULT_PUSH_OPTIONS.batchSize}, one out per partner, one instance.\
${throughput ? "" : " The lag was measured on its own, on an empty log."}

| measure | figure |
| --- | --- |
${before}${throughputRows}${lagRows}`;
}

async function measureLag(bench: Bench, log: (line: string) => void): Promise<string> {
  const { hub, partners } = bench;
  await hub.db.sql.query(`UPDATE sanction_partner SET active = true, inactive_reason = NULL`);
  hub.pushDelivery.wake();
  log(`lag: ${RATE} changes/s for ${LAG_SECONDS} s`);
  const published = new Map<string, number>();
  const lags: number[] = [];
  for (const partner of partners) {
    partner.receiver.onApplied = (change: ChangeMessage) => {
      const at = published.get(`${change.entryId}:${change.debtorSeq}`);
      if (at !== undefined) lags.push(performance.now() - at);
    };
  }
  const total = RATE * LAG_SECONDS;
  const lagStarted = performance.now();
  // Changes are started on schedule, not after the previous one commits: a slow commit must not lower the rate offered.
  const publishing: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = lagStarted + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const entryId = randomUUID();
    const idNumber = `LAG${String(i).padStart(15, "0")}`;
    publishing.push(
      hub.db.sql
        .transaction((tx) =>
          appendChange(
            tx,
            { entryId, list: "DISHONEST_DEBTOR", idNumber, status: "LISTED", fields: { name: `被执行人${i}`, expiresOn: "2027-01-01" } },
            "LIST",
            {
              actorOrg: "豫0225",
              actorOfficer: "bench",
              action: "DISHONEST_DEBTOR_LISTED",
              subjectId: entryId,
              detail: {},
            },
          ),
        )
        .then(() => {
          published.set(`${entryId}:1`, performance.now());
          hub.pushDelivery.wake();
        }),
    );
  }
  await Promise.all(publishing);
  const achievedRate = total / ((performance.now() - lagStarted) / 1000);
  const deadline = performance.now() + 60_000;
  while (lags.length < total * partners.length && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const lag = summarize(lags);
  return `| lag, commit to applied at the partner, ${RATE} changes/s for ${LAG_SECONDS} s to ${partners.length} partners (achieved \
${achievedRate.toFixed(1)}/s) | p50 **${lag.p50.toFixed(1)} ms**, p99 **${lag.p99.toFixed(1)} ms**, max ${lag.max.toFixed(1)} ms \
(n = ${lag.n.toLocaleString("en")}), out of order ${partners.reduce((sum, p) => sum + p.receiver.violations.length, 0)} |
`;
}

/** The changes of the throughput run, in bulk SQL, to the change log only: partners read it by their cursors. */
async function writeBacklog(sql: Sql, log: (line: string) => void): Promise<number> {
  log(`writing ${CHANGES.toLocaleString("en")} changes over ${DEBTORS.toLocaleString("en")} debtors`);
  const writeStarted = performance.now();
  for (let from = 1; from <= CHANGES; from += CHUNK) {
    const to = Math.min(CHANGES, from + CHUNK - 1);
    await sql.query(
      `INSERT INTO sanction_change (entry_id, id_number, debtor_seq, list, operation, record)
       SELECT entry_id, id_number, debtor_seq, 'DISHONEST_DEBTOR', CASE WHEN debtor_seq = 1 THEN 'LIST' ELSE 'CORRECT' END,
              jsonb_build_object('entryId', entry_id, 'list', 'DISHONEST_DEBTOR', 'idNumber', id_number, 'status', 'LISTED',
                                 'fields', jsonb_build_object('name', '被执行人' || d, 'expiresOn', '2027-01-01', 'performance', '第'
                                   || debtor_seq || '次更正'))
         FROM (SELECT g % $3 AS d, (g - 1) / $3 + 1 AS debtor_seq,
                      ('00000000-0000-4000-8000-' || lpad((g % $3)::text, 12, '0'))::uuid AS entry_id,
                      'BENCH' || lpad((g % $3)::text, 13, '0') AS id_number
                 FROM generate_series($1::int, $2::int) g) s`,
      [from, to, DEBTORS],
    );
    log(`  ${to.toLocaleString("en")} written`);
  }
  // Written in bulk SQL, the ID numbers and fields are plain: sealed here as the hub's own writes seal them (dataAtRest.ts).
  log(`  sealed ${(await reseal(sql, dataCipher(), "plain")).toLocaleString("en")} values`);
  return (performance.now() - writeStarted) / 1000;
}

/** Until every push partner's cursor is at the end of the log with nothing out, held back or dead. */
async function untilCaughtUp(sql: Sql, log: (line: string) => void): Promise<void> {
  for (;;) {
    const [{ behind, exceptions }] = await sql.query<{ behind: number; exceptions: number }>(
      `SELECT (SELECT count(*) FROM sanction_push_cursor
                WHERE seq < (SELECT max(seq) FROM sanction_change) OR cardinality(batch_seqs) > 0)::int AS behind,
              (SELECT count(*) FROM sanction_delivery)::int AS exceptions`,
    );
    if (behind === 0 && exceptions === 0) return;
    const [{ left }] = await sql.query<{ left: string }>(
      `SELECT coalesce(sum((SELECT max(seq) FROM sanction_change) - seq), 0)::text AS left FROM sanction_push_cursor`,
    );
    log(`  ${Number(left).toLocaleString("en")} partner deliveries left, ${behind} partners behind, ${exceptions} held or dead`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(await runSanctionDelivery());
}
