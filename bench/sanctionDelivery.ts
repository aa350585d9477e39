/**
 * `npx tsx bench/sanctionDelivery.ts`: delivery of the dishonest-debtor and consumption-restriction
 * lists to sandbox push partners (alternately verifying SM2 and HMAC-SM3), each reading the change log
 * by its own cursor, on PostgreSQL. Prints a markdown section for docs/BENCHMARKS.md, with the figure
 * the per-partner outbox this replaced measured (OUTBOX_BEFORE) beside this run's.
 *
 * Sizes scale with SANCTION_BENCH_SCALE: by default 0.1, as the full size (1: the issue's 1,000,000 changes and
 * 8,000,000 entries) takes long on a machine of two cores; each SANCTION_BENCH_* size below, given, overrides its
 * scaled default (shown here at scale 1).
 *
 * 1. Throughput, once per partner count in SANCTION_BENCH_PARTNERS (5,44), each on a fresh database:
 *    SANCTION_BENCH_CHANGES (1,000,000) list changes, over SANCTION_BENCH_DEBTORS (100,000) debtors,
 *    are written to the change log in bulk SQL (as a mass listing would leave it) while the partners,
 *    registered first, are inactive; then they are reactivated and catch up: signed batches, POSTed,
 *    acknowledged, in order per debtor. The figure is the time from reactivation until every partner's
 *    cursor is at the end of the log with nothing out, held back or dead, with the CPU seconds the hub's
 *    process (partners included) and the database's backends spent meanwhile.
 * 2. Snapshot and lag, on a fresh database with 5 partners following the log: SANCTION_BENCH_SNAPSHOT
 *    (8,000,000) entries in force (over half as many debtors, each on both lists) are written in bulk SQL, a new
 *    push partner is registered (it gets a snapshot of them first), and while its snapshot runs,
 *    SANCTION_BENCH_RATE (100) changes a second for SANCTION_BENCH_LAG_S (30) seconds are written through the
 *    hub's own write path (one transaction: change log, audit), each timed from commit to the moment one of the
 *    5 partners applies it (its acknowledgement is the reply to that same POST); p50 and p99 over every change and
 *    partner. The snapshot's figure is the time from registration until the new partner holds every entry.
 *
 * BENCH_DATABASE_URL / DATABASE_URL: the PostgreSQL server (a fresh database is created and dropped).
 * From bench/run.ts: `report += await runSanctionDelivery(log)`; with BENCH_ONLY=sanction-lag,
 * `runSanctionDelivery(log, { throughput: false })` measures [2] alone.
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
import { dataCipher } from "../gateway/persistence/dataCipher.js";
import { createLogger } from "../gateway/logger.js";
import { sandboxRoutes } from "../gateway/routing/sandboxRoutes.js";
import type { Sql } from "../gateway/persistence/database.js";
import { appendChange } from "../capabilities/sanctions/sanctionStore.js";
import { startPartner, type RunningPartner } from "../sandbox/partners/partnerAgency.js";
import { createBenchDatabase, describePostgres } from "./support/database.js";
import { processCpuSeconds } from "./support/cpu.js";
import { describeMachine, loadAverage } from "./support/machine.js";
import { summarize } from "./support/stats.js";

const env = process.env;
const SCALE = Number(env.SANCTION_BENCH_SCALE ?? 0.1);
const CHANGES = Number(env.SANCTION_BENCH_CHANGES ?? Math.round(1_000_000 * SCALE));
const DEBTORS = Math.min(CHANGES, Number(env.SANCTION_BENCH_DEBTORS ?? Math.round(100_000 * SCALE)));
const SNAPSHOT = Number(env.SANCTION_BENCH_SNAPSHOT ?? Math.round(8_000_000 * SCALE));
const PARTNER_COUNTS = (env.SANCTION_BENCH_PARTNERS ?? "5,44").split(",").map(Number);
const RATE = Number(env.SANCTION_BENCH_RATE ?? 100);
const LAG_SECONDS = Number(env.SANCTION_BENCH_LAG_S ?? 30);
const CHUNK = 100_000;
/** Distinct published-field records the bulk-written changes take turns with (sealed once each). */
const FIELD_VARIANTS = 1_000;
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
  /** Starts a sandbox partner and registers it with the hub (a push partner gets a snapshot first). */
  register(partner: BenchPartner): Promise<RunningPartner>;
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
  const others: RunningPartner[] = [];
  const close = async () => {
    await hub.close();
    await Promise.all([...partners, ...others].map((partner) => partner.close()));
    await database.drop();
  };
  const admin = await issueToken(keys, { org: "HUB", roles: ["HUB_ADMIN"], officer: "bench" });
  const register = async ({ code, signing }: BenchPartner): Promise<RunningPartner> => {
    const secret = signing === "HMAC_SM3" ? `${code}-shared-secret-for-the-benchmark` : undefined;
    const partner = await startPartner(code, secret ? { secret } : { publicKeyPem: signingKey.publicKeyPem });
    others.push(partner);
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
    return partner;
  };
  try {
    for (const partner of partnersOf(count)) partners.push(await register(partner));
    others.length = 0;
    // Inactive while the backlog is written, as partners out of service would be: they catch up when reactivated.
    await hub.db.sql.query(`UPDATE sanction_partner SET active = false, inactive_reason = 'bench: backlog being written'`);
    return { hub, partners, register, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** CPU seconds, from a start, of this process (hub and partners) and of the database's backends for the bench database. */
async function cpuMeter(sql: Sql): Promise<() => Promise<{ hub: number; database: number }>> {
  const backends = async () =>
    (await sql.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)).map((r) => r.pid);
  const databaseSeconds = (pids: number[]) => pids.reduce((sum, pid) => sum + (processCpuSeconds(pid) ?? 0), 0);
  const pids = await backends();
  const hubStart = process.cpuUsage();
  const databaseStart = databaseSeconds(pids);
  return async () => {
    const hub = process.cpuUsage(hubStart);
    // Backends the pool opened meanwhile count from their start; one closed meanwhile is missed (the pool keeps them).
    const later = (await backends()).filter((pid) => !pids.includes(pid));
    return { hub: (hub.user + hub.system) / 1e6, database: databaseSeconds(pids) - databaseStart + databaseSeconds(later) };
  };
}

interface ThroughputRun {
  partners: number;
  writeSeconds: number;
  deliverySeconds: number;
  cpu: { hub: number; database: number };
  load: number;
  applied: number;
  violations: number;
}

async function measureThroughput(bench: Bench, log: (line: string) => void): Promise<ThroughputRun> {
  const writeSeconds = await writeBacklog(bench.hub.db.sql, log);
  const cpu = await cpuMeter(bench.hub.db.sql);
  const deliveryStarted = performance.now();
  await bench.hub.db.sql.query(`UPDATE sanction_partner SET active = true, inactive_reason = NULL`);
  bench.hub.pushDelivery.wake();
  await untilCaughtUp(bench.hub.db.sql, log);
  return {
    partners: bench.partners.length,
    writeSeconds,
    deliverySeconds: (performance.now() - deliveryStarted) / 1000,
    cpu: await cpu(),
    load: loadAverage(),
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
  for (const count of throughput ? PARTNER_COUNTS : []) {
    log(`${count} partners`);
    const bench = await startBench(count);
    try {
      runs.push(await measureThroughput(bench, log));
    } finally {
      await bench.close();
    }
  }
  log(`snapshot of ${SNAPSHOT.toLocaleString("en")} entries to a new partner, lag at ${NAMED_PARTNERS.length} partners meanwhile`);
  const bench = await startBench(NAMED_PARTNERS.length);
  let snapshotRows: string;
  try {
    snapshotRows = await measureSnapshotAndLag(bench, log);
  } finally {
    await bench.close();
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
CPU: hub and partners ${run.cpu.hub.toFixed(1)} s, PostgreSQL ${run.cpu.database.toFixed(1)} s \
(${(((run.cpu.hub + run.cpu.database) * 1e6) / (CHANGES * run.partners)).toFixed(1)} µs per partner delivery); \
load average ${run.load.toFixed(1)} at the end; applied ${run.applied.toLocaleString("en")}, out of order ${run.violations} |
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
PostgreSQL${throughput ? "" : ": snapshot and lag only (BENCH_ONLY=sanction-lag)"}

Machine: ${machine.nproc} CPUs (${machine.cpuModel}), Node ${machine.node}, load average ${loadAtStart.toFixed(1)} at the start, \
${loadAverage().toFixed(1)} at the end; ${postgres}. Partners are sandbox servers in the hub's process (alternately verifying SM2 \
and HMAC-SM3), each answering after 5–10 ms. Sizes: SANCTION_BENCH_SCALE ${SCALE}.
Hub defaults: batches of ${DEFAULT_PUSH_OPTIONS.batchSize}, one out per partner, one instance.

| measure | figure |
| --- | --- |
${before}${throughputRows}${snapshotRows}`;
}

/** [2]: a new partner's snapshot of SNAPSHOT entries, and the lag at the others while it runs. */
async function measureSnapshotAndLag(bench: Bench, log: (line: string) => void): Promise<string> {
  const { hub, partners } = bench;
  const writeSeconds = await writeEntries(hub.db.sql, log);
  await hub.db.sql.query(`UPDATE sanction_partner SET active = true, inactive_reason = NULL`);
  hub.pushDelivery.wake();
  await untilCaughtUp(hub.db.sql, log);
  const cpu = await cpuMeter(hub.db.sql);
  const snapshotStarted = performance.now();
  const newcomer = await bench.register({ code: "NEW_PARTNER", signing: "SM2" });
  newcomer.receiver.holdEntries = false;
  const lagging = measureLag(hub, partners, log);
  const caughtUp = untilCaughtUp(hub.db.sql, log, "NEW_PARTNER").then(() => (performance.now() - snapshotStarted) / 1000);
  const lagRow = await lagging;
  const snapshotSeconds = await caughtUp;
  const used = await cpu();
  const received = newcomer.receiver.applied;
  return `| snapshot of ${SNAPSHOT.toLocaleString("en")} entries in force (${(SNAPSHOT / 2).toLocaleString("en")} debtors on both lists; \
written in ${writeSeconds.toFixed(1)} s, bulk SQL) to a new SM2 partner, while the changes of the next row are made | \
${snapshotSeconds.toFixed(1)} s: **${Math.round(SNAPSHOT / snapshotSeconds).toLocaleString("en")} entries/s**; CPU meanwhile: hub and \
partners ${used.hub.toFixed(1)} s, PostgreSQL ${used.database.toFixed(1)} s; load average ${loadAverage().toFixed(1)} at the end; \
received ${received.toLocaleString("en")} (entries and the changes made meanwhile), out of order ${newcomer.receiver.violations.length} |
${lagRow}`;
}

async function measureLag(hub: RunningHub, partners: RunningPartner[], log: (line: string) => void): Promise<string> {
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
  return `| lag, commit to applied at the partner, ${RATE} changes/s for ${LAG_SECONDS} s to ${partners.length} partners while the \
snapshot above runs (achieved ${achievedRate.toFixed(1)}/s) | p50 **${lag.p50.toFixed(1)} ms**, p99 **${lag.p99.toFixed(1)} ms**, \
max ${lag.max.toFixed(1)} ms (n = ${lag.n.toLocaleString("en")}), out of order \
${partners.reduce((sum, p) => sum + p.receiver.violations.length, 0)} |
`;
}

/**
 * `count` debtors with their ID numbers sealed and digested as the hub's own writes leave them (dataCipher.ts), in a
 * table of the benchmark's (bench_debtor: d, id_number, id_digest) for bulk SQL to join, and FIELD_VARIANTS sealed
 * published-field records (bench_fields: i, sealed). Sealing in SQL is not possible (no SM4 there), and sealing each
 * written value afterwards took longer than the delivery measured.
 */
async function sealedDebtors(sql: Sql, count: number, log: (line: string) => void): Promise<void> {
  const cipher = dataCipher();
  await sql.query(`DROP TABLE IF EXISTS bench_debtor; DROP TABLE IF EXISTS bench_fields`);
  await sql.query(`CREATE TABLE bench_debtor (d int PRIMARY KEY, id_number text NOT NULL, id_digest text NOT NULL)`);
  await sql.query(`CREATE TABLE bench_fields (i int PRIMARY KEY, sealed text NOT NULL)`);
  const variants = Array.from({ length: FIELD_VARIANTS }, (_, i) =>
    cipher.sealJson({ name: `被执行人${i}`, expiresOn: "2027-01-01", performance: `第${i}次更正` }),
  );
  await sql.query(`INSERT INTO bench_fields SELECT i - 1, s FROM unnest($1::text[]) WITH ORDINALITY AS v(s, i)`, [variants]);
  for (let from = 0; from < count; from += CHUNK) {
    const ids: number[] = [];
    const sealed: string[] = [];
    const digests: string[] = [];
    for (let d = from; d < Math.min(count, from + CHUNK); d++) {
      const idNumber = `BENCH${String(d).padStart(13, "0")}`;
      ids.push(d);
      sealed.push(cipher.seal(idNumber));
      digests.push(cipher.lookup(idNumber));
    }
    await sql.query(`INSERT INTO bench_debtor SELECT * FROM unnest($1::int[], $2::text[], $3::text[])`, [ids, sealed, digests]);
    log(`  ${Math.min(count, from + CHUNK).toLocaleString("en")} debtors sealed`);
  }
}

/** The record of a bulk-written change, as appendChange stores it (ID number and fields sealed). */
const RECORD_SQL = (list: string) => `jsonb_build_object('entryId', entry_id, 'list', ${list}, 'idNumber', b.id_number,
  'status', 'LISTED', 'fields', to_jsonb(f.sealed))`;

/** The changes of the throughput run, in bulk SQL, to the change log only: partners read it by their cursors. */
async function writeBacklog(sql: Sql, log: (line: string) => void): Promise<number> {
  log(`writing ${CHANGES.toLocaleString("en")} changes over ${DEBTORS.toLocaleString("en")} debtors`);
  const writeStarted = performance.now();
  await sealedDebtors(sql, DEBTORS, log);
  for (let from = 1; from <= CHANGES; from += CHUNK) {
    const to = Math.min(CHANGES, from + CHUNK - 1);
    await sql.query(
      `INSERT INTO sanction_change (entry_id, id_number, id_digest, debtor_seq, list, operation, record)
       SELECT entry_id, b.id_number, b.id_digest, debtor_seq, 'DISHONEST_DEBTOR', CASE WHEN debtor_seq = 1 THEN 'LIST' ELSE 'CORRECT' END,
              ${RECORD_SQL("'DISHONEST_DEBTOR'")}
         FROM (SELECT g, g % $3 AS d, (g - 1) / $3 + 1 AS debtor_seq, g % ${FIELD_VARIANTS} AS i,
                      ('00000000-0000-4000-8000-' || lpad((g % $3)::text, 12, '0'))::uuid AS entry_id
                 FROM generate_series($1::int, $2::int) g) s
         JOIN bench_debtor b USING (d) JOIN bench_fields f USING (i)
        ORDER BY s.g`,
      [from, to, DEBTORS],
    );
    log(`  ${to.toLocaleString("en")} written`);
  }
  return (performance.now() - writeStarted) / 1000;
}

/**
 * The entries in force of the snapshot run: SNAPSHOT entries over SNAPSHOT / 2 debtors, each listed on both lists,
 * every entry with its listing in the change log, in bulk SQL.
 */
async function writeEntries(sql: Sql, log: (line: string) => void): Promise<number> {
  log(`writing ${SNAPSHOT.toLocaleString("en")} entries in force`);
  const writeStarted = performance.now();
  const debtors = Math.ceil(SNAPSHOT / 2);
  await sealedDebtors(sql, debtors, log);
  for (let from = 0; from < SNAPSHOT; from += CHUNK) {
    const to = Math.min(SNAPSHOT, from + CHUNK) - 1;
    const entries = `SELECT k / 2 AS d, k % ${FIELD_VARIANTS} AS i, k % 2 + 1 AS debtor_seq,
              (CASE WHEN k % 2 = 0 THEN 'DISHONEST_DEBTOR' ELSE 'CONSUMPTION_RESTRICTION' END)::"SanctionList" AS list,
              ('00000000-0000-4000-9000-' || lpad(k::text, 12, '0'))::uuid AS entry_id
         FROM generate_series($1::int, $2::int) k`;
    await sql.query(
      `INSERT INTO sanction_entry (id, list, case_id, debtor_id, id_number, id_digest, court_code, status, decision_number, starts_on,
                                   published, created_by)
       SELECT entry_id, list, entry_id, entry_id, b.id_number, b.id_digest, '豫0225', 'LISTED', '(2026)豫0225执' || d || '号',
              '2026-01-01', to_jsonb(f.sealed), 'bench'
         FROM (${entries}) s JOIN bench_debtor b USING (d) JOIN bench_fields f USING (i)`,
      [from, to],
    );
    await sql.query(
      `INSERT INTO sanction_change (entry_id, id_number, id_digest, debtor_seq, list, operation, record)
       SELECT entry_id, b.id_number, b.id_digest, debtor_seq, list, 'LIST', ${RECORD_SQL("list")}
         FROM (${entries}) s JOIN bench_debtor b USING (d) JOIN bench_fields f USING (i) ORDER BY s.d, s.debtor_seq`,
      [from, to],
    );
    log(`  ${(to + 1).toLocaleString("en")} written`);
  }
  await sql.query(`ANALYZE sanction_entry; ANALYZE sanction_change`);
  return (performance.now() - writeStarted) / 1000;
}

/** Until every push partner's cursor (or `partner`'s) is at the end of the log with nothing out, held back or dead. */
async function untilCaughtUp(sql: Sql, log: (line: string) => void, partner?: string): Promise<void> {
  for (;;) {
    const [{ behind, exceptions }] = await sql.query<{ behind: number; exceptions: number }>(
      `SELECT (SELECT count(*) FROM sanction_push_cursor
                WHERE ($1::text IS NULL OR partner_code = $1)
                  AND (seq < (SELECT max(seq) FROM sanction_change) OR cardinality(batch_seqs) > 0 OR snapshot_cut IS NOT NULL))::int
                AS behind,
              (SELECT count(*) FROM sanction_delivery)::int AS exceptions`,
      [partner ?? null],
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
