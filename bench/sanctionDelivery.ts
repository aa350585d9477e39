/**
 * `npx tsx bench/sanctionDelivery.ts`: delivery of the dishonest-debtor and consumption-restriction
 * lists to 5 sandbox push partners (3 verifying SM2, 2 HMAC-SM3), on PostgreSQL. Prints a markdown
 * section for docs/BENCHMARKS.md.
 *
 * 1. Throughput: SANCTION_BENCH_CHANGES (1,000,000) list changes, over SANCTION_BENCH_DEBTORS
 *    (100,000) debtors, are written to the change log and the outbox in bulk SQL (as a mass listing
 *    would leave them), then delivered: signed batches, POSTed, acknowledged, in order per debtor.
 *    The figure is changes delivered to all 5 partners per second, from the first claim to an empty
 *    outbox.
 * 2. Lag: SANCTION_BENCH_RATE (100) changes a second for SANCTION_BENCH_LAG_S (30) seconds, each
 *    written through the hub's own write path (one transaction: change log, outbox, audit), timed
 *    from commit to the moment the partner applies it (its acknowledgement is the reply to that
 *    same POST); p50 and p99 over every change and partner.
 *
 * BENCH_DATABASE_URL / DATABASE_URL: the PostgreSQL server (a fresh database is created and dropped).
 * From bench/run.ts: `report += await runSanctionDelivery(log)`; with BENCH_ONLY=sanction-lag,
 * `runSanctionDelivery(log, { throughput: false })` measures the lag alone, on an empty outbox.
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
import { startHub } from "../gateway/hub.js";
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
const RATE = Number(env.SANCTION_BENCH_RATE ?? 100);
const LAG_SECONDS = Number(env.SANCTION_BENCH_LAG_S ?? 30);
const CHUNK = 100_000;
const PARTNERS = [
  { code: "CREDIT_PLATFORM", signing: "SM2" },
  { code: "CIVIL_AVIATION", signing: "HMAC_SM3" },
  { code: "RAILWAY", signing: "SM2" },
  { code: "MARKET_REGULATOR", signing: "SM2" },
  { code: "TAX_BUREAU", signing: "HMAC_SM3" },
] as const;

/** Runs both measurements on a fresh PostgreSQL database and answers the markdown section. */
export async function runSanctionDelivery(
  log: (line: string) => void = (line) => console.error(line),
  options: { throughput?: boolean } = {},
): Promise<string> {
  const throughput = options.throughput ?? true;
  const machine = describeMachine();
  const loadAtStart = loadAverage();
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
  try {
    // 1. Throughput. The outbox rows name partners not registered yet, so nothing is claimed while they are written.
    const writeSeconds = throughput ? await writeBacklog(hub.db.sql, log) : 0;

    // Delivery starts as each partner is registered: the outbox is already full.
    const deliveryStarted = performance.now();
    const admin = await issueToken(keys, { org: "HUB", roles: ["HUB_ADMIN"], officer: "bench" });
    for (const { code, signing } of PARTNERS) {
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

    if (throughput) await untilOutboxEmpty(hub.db.sql, log);
    const deliverySeconds = (performance.now() - deliveryStarted) / 1000;
    const violations = partners.reduce((sum, p) => sum + p.receiver.violations.length, 0);
    const applied = partners.reduce((sum, p) => sum + p.receiver.applied, 0);

    // 2. Lag at a steady rate.
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
    while (lags.length < total * PARTNERS.length && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const lag = summarize(lags);

    const postgres = await describePostgres();
    const throughputRows = throughput
      ? `| changes written to the log and outbox (bulk SQL) | ${CHANGES.toLocaleString("en")} over ${DEBTORS.toLocaleString("en")} \
debtors, ${(CHANGES * PARTNERS.length).toLocaleString("en")} outbox rows, in ${writeSeconds.toFixed(1)} s |
| delivered and acknowledged by all ${PARTNERS.length} partners | ${deliverySeconds.toFixed(1)} s: \
**${Math.round(CHANGES / deliverySeconds).toLocaleString("en")} changes/s** \
(${Math.round((CHANGES * PARTNERS.length) / deliverySeconds).toLocaleString("en")} partner deliveries/s) |
| changes applied at partners / out of order | ${applied.toLocaleString("en")} / ${violations} |
`
      : "";
    return `## Sanction-list delivery (失信 / 限消) to ${PARTNERS.length} push partners, \
PostgreSQL${throughput ? "" : ": lag only (BENCH_ONLY=sanction-lag)"}

Machine: ${machine.nproc} CPUs (${machine.cpuModel}), Node ${machine.node}, load average ${loadAtStart.toFixed(1)} at the start, \
${loadAverage().toFixed(1)} at the end; ${postgres}. Partners are sandbox servers in the hub's process (3 verify SM2, 2 HMAC-SM3), \
each answering after 5–10 ms.
Hub defaults: batches of 500, 4 in flight per partner, one \
instance.${throughput ? "" : " The lag was measured on its own, on an empty outbox, without the 1,000,000-change run before it."}

| measure | figure |
| --- | --- |
${throughputRows}| lag, commit to applied at the partner, ${RATE} changes/s for ${LAG_SECONDS} s (achieved \
${achievedRate.toFixed(1)}/s) | p50 **${lag.p50.toFixed(1)} ms**, p99 **${lag.p99.toFixed(1)} ms**, max ${lag.max.toFixed(1)} ms \
(n = ${lag.n.toLocaleString("en")}), out of order ${partners.reduce((sum, p) => sum + p.receiver.violations.length, 0)} |
`;
  } finally {
    await hub.close();
    await Promise.all(partners.map((partner) => partner.close()));
    await database.drop();
  }
}

/** The changes of the throughput run, in bulk SQL, fanned out to the partners before they are registered. */
async function writeBacklog(sql: Sql, log: (line: string) => void): Promise<number> {
  log(
    `writing ${CHANGES.toLocaleString("en")} changes over ${DEBTORS.toLocaleString("en")} debtors, fanned out to ` +
      `${PARTNERS.length} partners`,
  );
  const writeStarted = performance.now();
  for (let from = 1; from <= CHANGES; from += CHUNK) {
    const to = Math.min(CHANGES, from + CHUNK - 1);
    await sql.transaction(async (tx) => {
      const [{ before }] = await tx.query<{ before: string }>(`SELECT coalesce(max(seq), 0)::text AS before FROM sanction_change`);
      await tx.query(
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
      await tx.query(
        `INSERT INTO sanction_delivery (partner_code, change_seq, id_number, priority, status)
         SELECT code, c.seq, c.id_number, 1, 'PENDING' FROM sanction_change c CROSS JOIN unnest($2::text[]) AS code
          WHERE c.seq > $1::bigint`,
        [before, PARTNERS.map((p) => p.code)],
      );
    });
    log(`  ${to.toLocaleString("en")} written`);
  }
  return (performance.now() - writeStarted) / 1000;
}

async function untilOutboxEmpty(sql: Sql, log: (line: string) => void): Promise<void> {
  for (;;) {
    const [{ left }] = await sql.query<{ left: number }>(`SELECT count(*)::int AS left FROM sanction_delivery`);
    if (left === 0) return;
    log(`  ${left.toLocaleString("en")} deliveries left`);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(await runSanctionDelivery());
}
