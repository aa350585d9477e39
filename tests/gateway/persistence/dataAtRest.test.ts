/**
 * Personal data and secrets at rest, through a real hub on PGlite or PostgreSQL: after a case with its debtor,
 * an inquiry with the agencies' raw replies, a partner with a shared secret and a listing, a dump of the
 * database holds no ID number, no debtor name and no secret, while lookups by ID number, the GraphQL answers and
 * the signed list delivery still work. A rotation re-seals every value under the new key, after which the old key
 * can go; rows left in plain text (from before migration 0018) are sealed when a start applies migrations, and a
 * start that applies none, with the same keys, does not read the sealed columns again. A production hub
 * without keys of its own refuses to start with one line.
 */
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEFAULT_EXCHANGE_RETENTION, ExchangeRetention } from "../../../capabilities/peering/exchangeRetention.js";
import { createLogger } from "../../../gateway/logger.js";
import { sealedVersions, sealPlainAtStart } from "../../../gateway/persistence/dataAtRest.js";
import { useDataKeys } from "../../../gateway/persistence/dataCipher.js";
import { dataKeysFromEnv, newDataKeyFile } from "../../../gateway/persistence/dataKeys.js";
import { debtorProfile, registeredName } from "../../../sandbox/debtorProfile.js";
import { startPartner, type RunningPartner } from "../../../sandbox/partners/partnerAgency.js";
import { residentId } from "../../support/identities.js";
import { registerCase } from "../../support/measures.js";
import { EARLY_REMOVAL, facts, LIST_DEBTOR, registerPartner, untilDelivered } from "../../support/sanctions.js";
import { createTestDatabase, onPostgres, type TestDatabase } from "../../support/testDatabase.js";
import { CASE_INQUIRIES, eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const dir = mkdtempSync(join(tmpdir(), "hub-data-at-rest-"));
const SECRET = "aviation-shared-secret-of-32-bytes-or-more";
const NAME = "孙八";
const debtor = residentId();
let database: TestDatabase;
let partner: RunningPartner;
let t: TestHub | undefined;
let caseNumber: string;
let firstKeys: string;
let onlyV2: { keys: Record<string, string> };

const DEBTOR = `query Debtors($caseNumber: String!) { case(caseNumber: $caseNumber) { debtors { idNumber name } } }`;
const ENTRIES = `query Entries($caseNumber: String!) { sanctionEntries(caseNumber: $caseNumber) { idNumber published } }`;
const REPLIES = `query Replies($caseNumber: String!) { case(caseNumber: $caseNumber) { inquiries(first: 5) { edges { node {
  parts { agency rawReply } } } } } }`;

const keyFile = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

async function startHub(keysJson: string): Promise<TestHub> {
  t = await startTestHub({
    database,
    pgliteDir: onPostgres ? undefined : join(dir, "pglite"),
    dataKeys: dataKeysFromEnv({ HUB_DATA_KEYS: keysJson }),
    sanctionDelivery: { sweepIntervalMs: 50, maxBackoffMs: 300, requestTimeoutMs: 1_000, maxAttempts: 2 },
  });
  return t;
}

async function stopHub(): Promise<void> {
  await t?.close();
  t = undefined;
}

/** The whole database as text: pg_dump on PostgreSQL, every row of every table as JSON on PGlite. */
async function dump(hub: TestHub): Promise<string> {
  if (onPostgres) return (await promisify(execFile)("pg_dump", [database.url!], { maxBuffer: 256 * 1024 * 1024 })).stdout;
  const tables = await hub.hub.db.sql.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  let text = "";
  for (const { name } of tables) {
    for (const row of await hub.hub.db.sql.query<{ r: string }>(`SELECT row_to_json(x)::text AS r FROM "${name}" x`)) text += `${row.r}\n`;
  }
  return text;
}

async function expectNothingPlain(hub: TestHub): Promise<void> {
  const text = await dump(hub);
  expect(text).toContain("sm4gcm:");
  expect(text.includes(debtor), "the ID number").toBe(false);
  expect(text.includes(NAME), "the debtor's name").toBe(false);
  expect(text.includes(SECRET), "the partner's secret").toBe(false);
}

/** What a court reads back through GraphQL: the debtor, the list entry and the agencies' replies, opened. */
async function expectReadable(hub: TestHub): Promise<void> {
  const officer = await hub.token("豫0225", ["CASE_OFFICER"]);
  const debtors = await hub.gql(DEBTOR, { caseNumber }, officer);
  expect(debtors.errors).toBeUndefined();
  expect(debtors.data.case.debtors).toEqual([{ idNumber: debtor, name: NAME }]);
  const entries = await hub.gql(ENTRIES, { caseNumber }, officer);
  // The listing and the consumption restriction made with it, both opened.
  const entry = expect.objectContaining({ idNumber: debtor, published: expect.objectContaining({ name: NAME }) });
  expect(entries.data.sanctionEntries).toEqual([entry, entry]);
  const replies = await hub.gql(REPLIES, { caseNumber }, officer);
  const parts = replies.data.case.inquiries.edges[0].node.parts;
  expect(parts.length).toBeGreaterThan(0);
  // JSON or XML; the depository's paged answer is the array of its pages' envelopes.
  for (const part of parts) expect(part.rawReply).toMatch(/^[[{<]/);
}

beforeAll(async () => {
  database = await createTestDatabase();
  partner = await startPartner("CIVIL_AVIATION", { secret: SECRET });
}, 60_000);

afterAll(async () => {
  await stopHub();
  await partner?.close();
  await database?.drop();
});

it("after a case, an inquiry, a partner and a listing, the dump shows no ID number, name or secret; lookups still work", async () => {
  firstKeys = newDataKeyFile();
  const hub = await startHub(firstKeys);
  const officer = await hub.token("豫0225", ["CASE_OFFICER"], "officer-王");
  await registerPartner(hub, {
    code: "CIVIL_AVIATION",
    lists: ["DISHONEST_DEBTOR"],
    fields: ["name", "startsOn", "expiresOn"],
    endpoint: partner.endpoint,
    signing: "HMAC_SM3",
    secret: SECRET,
  });
  const registered = await registerCase(hub, officer, { debtor, claimAmount: "9000.00" });
  caseNumber = registered.caseNumber;
  // Found by ID number: the listing looks the debtor up by its lookup digest.
  const listed = await hub.gql(LIST_DEBTOR, { input: { ...facts(caseNumber, debtor), ground: "VIOLATES_PROPERTY_REPORTING" } }, officer);
  expect(listed.errors).toBeUndefined();
  // The partner verified the batch with the shared secret the hub opened to sign it.
  await untilDelivered(hub);
  expect(partner.receiver.state().map((held) => held.idNumber)).toEqual([debtor]);
  const done = await hub.gql(CASE_INQUIRIES, { caseNumber }, officer);
  // The police answer the name on the household record, which for some debtors differs from the court's by a character.
  const recorded = registeredName(debtorProfile(debtor).household!, NAME);
  expect(done.data.case.inquiries.edges[0].node.parts.find((p: any) => p.agency === "POLICE").identity).toEqual({ name: recorded });

  await expectNothingPlain(hub);
  await expectReadable(hub);
  const [{ raw }] = await hub.hub.db.sql.query<{ raw: number }>(
    `SELECT count(*)::int AS raw FROM agency_request WHERE raw_reply LIKE 'sm4gcm:%' AND case_id = $1::uuid`,
    [registered.caseId],
  );
  expect(raw).toBeGreaterThan(0);
  expect([...(await sealedVersions(hub.hub.db.sql)).keys()]).toEqual([1]);
}, 120_000);

it("a new key version re-seals every value in the background; then the old key can be removed", async () => {
  await stopHub();
  const v2 = newDataKeyFile(keyFile("keys-v1.json", firstKeys));
  const hub = await startHub(v2);
  // Readable at once, old values and new alike: reads accept every configured version.
  await expectReadable(hub);
  await eventually(
    () => sealedVersions(hub.hub.db.sql),
    (versions) => versions.size === 1 && versions.has(2),
    30_000,
  );

  // A row from before migration 0018, in plain text, on a database an upgrade finds behind this release (here one
  // migration behind): the next start, applying it, seals the row under the migration lock.
  await hub.hub.db.sql.query(`UPDATE debtor SET name = $1 WHERE id_digest IS NOT NULL`, [NAME]);
  await hub.hub.db.sql.query(`UPDATE sanction_partner SET secret = $1 WHERE code = 'CIVIL_AVIATION'`, [SECRET]);
  await hub.hub.db.sql.query(`DROP TABLE data_at_rest_state`);
  await hub.hub.db.sql.query(`DELETE FROM hub_schema_migration WHERE name = '0030_data_at_rest_state'`);
  await stopHub();

  onlyV2 = JSON.parse(v2);
  delete onlyV2.keys["1"];
  const after = await startHub(JSON.stringify(onlyV2));
  expect([...(await sealedVersions(after.hub.db.sql)).keys()]).toEqual([2]);
  await expectNothingPlain(after);
  await expectReadable(after);
  // The secret still signs: a removal reaches the partner, verified with it.
  const officer = await after.token("豫0225", ["CASE_OFFICER"]);
  const entries = (await after.gql(`query E($c: String!) { sanctionEntries(caseNumber: $c) { id list } }`, { c: caseNumber }, officer)).data
    .sanctionEntries;
  const listing = entries.find((e: { list: string }) => e.list === "DISHONEST_DEBTOR");
  const removed = await after.gql(
    `mutation R($input: RemoveSanctionInput!) { removeSanction(input: $input) { status } }`,
    { input: { entryId: listing.id, ...EARLY_REMOVAL } },
    officer,
  );
  expect(removed.errors).toBeUndefined();
  await untilDelivered(after);
  expect(partner.receiver.state()).toEqual([]);
}, 120_000);

it("a second start that migrates nothing and keeps the keys does not scan the sealed columns for plain values", async () => {
  const keys = useDataKeys(dataKeysFromEnv({ HUB_DATA_KEYS: JSON.stringify(onlyV2) })!);
  const scanned = () => t!.hub.db.sql.query<{ at: string }>(`SELECT scanned_at::text AS at FROM data_at_rest_state`);
  const before = await scanned();
  expect(before).toHaveLength(1);
  await stopHub();
  await startHub(JSON.stringify(onlyV2));
  expect(await scanned()).toEqual(before);
  expect(await t!.hub.db.sql.transaction((tx) => sealPlainAtStart(tx, keys, []))).toBeUndefined();
  // A migration applied, or another write version, is when plain values may be new: then it scans.
  expect(await t!.hub.db.sql.transaction((tx) => sealPlainAtStart(tx, keys, ["0099_example"]))).toBe(0);
}, 120_000);

it("removes raw replies past their retention, keeping each one's SM3 digest in the audit trail", async () => {
  const hub = t!;
  const sql = hub.hub.db.sql;
  const exchanged = await sql.query<{ id: string; reply_digest: string }>(
    `SELECT id::text AS id, reply_digest FROM agency_request WHERE raw_reply IS NOT NULL ORDER BY id`,
  );
  expect(exchanged.length).toBeGreaterThan(0);
  const inTwoDays = () => new Date(Date.now() + 2 * 24 * 60 * 60_000);
  const retention = new ExchangeRetention(
    { sql, clock: inTwoDays, log: createLogger("silent") },
    { ...DEFAULT_EXCHANGE_RETENTION, replyRetentionDays: 1, batchSize: 2 },
  );
  expect(await retention.runOnce()).toMatchObject({ replies: exchanged.length });
  expect(await sql.query(`SELECT id FROM agency_request WHERE raw_reply IS NOT NULL`)).toEqual([]);
  const pruned = await sql.query<{ detail: { rows: number; retentionDays: number; replyDigests: Record<string, string> } }>(
    `SELECT detail FROM audit_event WHERE action = 'AGENCY_REPLIES_PRUNED'`,
  );
  expect(pruned.length).toBe(Math.ceil(exchanged.length / 2));
  const digests = Object.assign({}, ...pruned.map((row) => row.detail.replyDigests));
  expect(digests).toEqual(Object.fromEntries(exchanged.map((row) => [row.id, row.reply_digest])));
  // The exchange's own audit row still has the same digest: the trail proves what the agency said.
  const audited = await sql.query<{ subject_id: string; reply_digest: string }>(
    `SELECT subject_id, reply_digest FROM audit_event WHERE action = 'AGENCY_EXCHANGE' AND subject_id = ANY ($1::text[])`,
    [exchanged.map((row) => row.id)],
  );
  expect(Object.fromEntries(audited.map((row) => [row.subject_id, row.reply_digest]))).toEqual(digests);
  // Nothing pruned twice, nothing before its time.
  expect(await retention.runOnce()).toMatchObject({ replies: 0 });
});

it("a production hub without data keys of its own, or with a weak one, exits 1 with one line", async () => {
  const agencies = keyFile(
    "agencies.json",
    JSON.stringify({ TAX: { national: { baseUrl: "https://tax.gov.example/gateway" }, secret: SECRET } }),
  );
  const start = (env: NodeJS.ProcessEnv) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "gateway/main.ts"], {
        env: {
          ...process.env,
          HUB_DATA_DIR: join(dir, "production"),
          HUB_AGENCIES_FILE: agencies,
          NODE_ENV: "production",
          PORT: "0",
          ...env,
        },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("exit", (code) => resolve({ code, stderr }));
    });
  const weak = { ...JSON.parse(newDataKeyFile()), keys: { "1": "00".repeat(16) } };
  const [missing, weakKey] = await Promise.all([start({}), start({ HUB_DATA_KEYS: JSON.stringify(weak) })]);
  expect(missing).toEqual({
    code: 1,
    stderr:
      "configuration refused: environment: HUB_DATA_KEY_FILE or HUB_DATA_KEYS: is missing: production needs its own data keys " +
      "(docs/CONFIGURATION.md)\n",
  });
  expect(weakKey).toEqual({
    code: 1,
    stderr: "configuration refused: environment: HUB_DATA_KEYS: keys.1: is too weak: fewer than 8 distinct bytes, not a random key\n",
  });
}, 90_000);
