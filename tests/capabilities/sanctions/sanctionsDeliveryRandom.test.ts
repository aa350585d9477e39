/**
 * Randomised (seeded) run of listings, restrictions, extensions, corrections and removals while
 * sandbox partners go down, time out, answer 503 and come back, and two partners join midway
 * (a push partner by snapshot, a pull partner by snapshot then feed). At the end every partner
 * holds exactly the hub's entries of its lists, field for field within its data profile, and
 * none saw a debtor's changes out of order. SANCTION_SEED=… replays a run.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { CREDIT_PLATFORM_BATCH_PATH } from "../../../sandbox/agencies/creditPlatform.js";
import type { SandboxKnobs } from "../../../sandbox/agencyServer.js";
import { startPartner, type RunningPartner } from "../../../sandbox/partners/partnerAgency.js";
import { PullPartner } from "../../../sandbox/partners/pullPartner.js";
import type { HeldEntry } from "../../../sandbox/partners/sanctionReceiver.js";
import { SeededRandom } from "../../../sandbox/seededRandom.js";
import { caseNumber, residentId } from "../../support/identities.js";
import {
  CORRECT,
  EXTEND,
  LIST_DEBTOR,
  REMOVE,
  RESTRICT,
  expectedHoldings,
  facts,
  registerPartner,
  untilDelivered,
  type PartnerProfile,
} from "../../support/sanctions.js";
import { REGISTER_CASE, startTestHub, type TestHub } from "../../support/testHub.js";

const SEED = process.env.SANCTION_SEED ?? "sanctions-random-1";
const OPERATIONS = 200;
const GROUNDS = [
  "ABLE_BUT_REFUSES",
  "FALSE_EVIDENCE_OR_VIOLENCE",
  "EVASION_BY_FALSE_LITIGATION",
  "VIOLATES_PROPERTY_REPORTING",
  "BREACHES_SETTLEMENT",
];

const CREDIT: PartnerProfile = {
  code: "CREDIT_PLATFORM",
  lists: ["DISHONEST_DEBTOR", "CONSUMPTION_RESTRICTION"],
  fields: [
    "name",
    "sex",
    "age",
    "obligation",
    "performance",
    "conduct",
    "enforcementBasis",
    "caseNumber",
    "filingDate",
    "court",
    "startsOn",
    "expiresOn",
  ],
};
const AVIATION: PartnerProfile = {
  code: "CIVIL_AVIATION",
  lists: ["DISHONEST_DEBTOR", "CONSUMPTION_RESTRICTION"],
  fields: ["name", "startsOn", "expiresOn"],
};
const RAILWAY: PartnerProfile = { code: "RAILWAY", lists: ["CONSUMPTION_RESTRICTION"], fields: ["name", "court", "expiresOn"] };
const REGULATOR: PartnerProfile = { code: "MARKET_REGULATOR", lists: ["DISHONEST_DEBTOR"], fields: ["name", "obligation", "performance"] };

let t: TestHub;
let aviation: RunningPartner;
let railway: RunningPartner;
let regulator: PullPartner | undefined;

beforeAll(async () => {
  t = await startTestHub({
    sanctionDelivery: { sweepIntervalMs: 50, maxBackoffMs: 300, requestTimeoutMs: 400, batchSize: 20 },
  });
  aviation = await startPartner("CIVIL_AVIATION", { secret: "aviation-shared-secret-for-the-tests-01" });
  railway = await startPartner("RAILWAY", { publicKeyPem: t.sanctionKey.publicKeyPem });
}, 60_000);

afterAll(async () => {
  await regulator?.stop();
  await t?.close();
  await aviation?.close();
  await railway?.close();
});

interface Tracked {
  id: string;
  list: "DISHONEST_DEBTOR" | "CONSUMPTION_RESTRICTION";
  ground: string | null;
  extensionYears: number;
  caseNumber: string;
  debtor: string;
}

it(`keeps every partner equal to the hub through outages (seed ${SEED})`, async () => {
  const random = new SeededRandom(SEED);
  const officer = await t.token("豫0225", ["CASE_OFFICER"]);
  await registerPartner(t, {
    ...CREDIT,
    endpoint: `${t.sandbox.agencies.CREDIT_PLATFORM.url}/national${CREDIT_PLATFORM_BATCH_PATH}`,
    publicKey: t.sandbox.creditPlatformPublicKeyPem,
  });
  await registerPartner(t, {
    ...AVIATION,
    endpoint: aviation.endpoint,
    signing: "HMAC_SM3",
    secret: "aviation-shared-secret-for-the-tests-01",
  });

  const debtors: { caseNumber: string; idNumber: string }[] = [];
  for (let c = 0; c < 6; c++) {
    const number = caseNumber();
    const ids = [residentId(), residentId()];
    const registered = await t.gql(
      REGISTER_CASE,
      {
        input: {
          caseNumber: number,
          creditorName: "开封农商银行",
          claimAmount: "80000.00",
          debtors: ids.map((idNumber) => ({ kind: "PERSON", idNumber, name: `被执行人${c}` })),
        },
      },
      officer,
    );
    expect(registered.errors).toBeUndefined();
    for (const idNumber of ids) debtors.push({ caseNumber: number, idNumber });
  }

  const pushKnobs: { knobs: SandboxKnobs }[] = [aviation, railway, t.sandbox.agencies.CREDIT_PLATFORM];
  const live = new Map<string, Tracked>();
  const listedOn = (list: string, d: { caseNumber: string; idNumber: string }) =>
    [...live.values()].some((e) => e.list === list && e.caseNumber === d.caseNumber && e.debtor === d.idNumber);
  const counts: Record<string, number> = {};

  for (let op = 0; op < OPERATIONS; op++) {
    if (op === Math.floor(OPERATIONS / 3)) {
      await registerPartner(t, { ...RAILWAY, endpoint: railway.endpoint, publicKey: railway.receiver.key.publicKeyPem });
    }
    if (op === Math.floor(OPERATIONS / 2)) {
      await registerPartner(t, { ...REGULATOR, mode: "PULL" });
      regulator = new PullPartner("MARKET_REGULATOR", t.graphqlUrl, await t.token("MARKET_REGULATOR", ["AGENCY"]), 80);
      await regulator.start();
    }
    const kind = ["list", "restrict", "extend", "correct", "remove", "chaos"][random.weighted([25, 15, 10, 20, 20, 10])];
    const entries = [...live.values()];
    let result: any;
    if (kind === "list") {
      const d = random.pick(debtors);
      if (listedOn("DISHONEST_DEBTOR", d)) continue;
      const ground = random.pick(GROUNDS);
      result = await t.gql(LIST_DEBTOR, { input: { ...facts(d.caseNumber, d.idNumber), ground } }, officer);
      const entry = result.data?.listDishonestDebtor.entry;
      if (entry)
        live.set(entry.id, {
          id: entry.id,
          list: "DISHONEST_DEBTOR",
          ground,
          extensionYears: 0,
          caseNumber: d.caseNumber,
          debtor: d.idNumber,
        });
      // The listing restricts consumption too (限制消费规定 art. 1 para. 2), unless a restriction is in force already.
      if (entry?.linkedEntryId && !live.has(entry.linkedEntryId))
        live.set(entry.linkedEntryId, {
          id: entry.linkedEntryId,
          list: "CONSUMPTION_RESTRICTION",
          ground: null,
          extensionYears: 0,
          caseNumber: d.caseNumber,
          debtor: d.idNumber,
        });
    } else if (kind === "restrict") {
      const d = random.pick(debtors);
      if (listedOn("CONSUMPTION_RESTRICTION", d)) continue;
      result = await t.gql(RESTRICT, { input: facts(d.caseNumber, d.idNumber) }, officer);
      const entry = result.data?.restrictConsumption.entry;
      if (entry)
        live.set(entry.id, {
          id: entry.id,
          list: "CONSUMPTION_RESTRICTION",
          ground: null,
          extensionYears: 0,
          caseNumber: d.caseNumber,
          debtor: d.idNumber,
        });
    } else if (kind === "extend") {
      const candidates = entries.filter((e) => e.ground !== null && e.ground !== "ABLE_BUT_REFUSES" && e.extensionYears < 3);
      if (candidates.length === 0) continue;
      const entry = random.pick(candidates);
      result = await t.gql(
        EXTEND,
        { input: { entryId: entry.id, years: 1, basis: "MULTIPLE_DISHONEST_CONDUCTS", decisionNumber: `延长决定${op}` } },
        officer,
      );
      entry.extensionYears++;
    } else if (kind === "correct") {
      if (entries.length === 0) continue;
      const entry = random.pick(entries);
      result = await t.gql(
        CORRECT,
        { input: { entryId: entry.id, performance: `已履行${random.int(1, 99)}%`, ...(random.chance(0.3) ? { name: `更正${op}` } : {}) } },
        officer,
      );
    } else if (kind === "remove") {
      if (entries.length === 0) continue;
      const entry = random.pick(entries);
      // Reasons whose condition is the court's document alone (removalReason.ts), whatever the entry's period.
      const reason =
        entry.list === "CONSUMPTION_RESTRICTION" && random.chance(0.5)
          ? "SECURITY_PROVIDED"
          : random.pick(["DECISION_REVOKED", "ERROR_CORRECTED"]);
      result = await t.gql(REMOVE, { input: { entryId: entry.id, reason, basisDocument: `（2024）豫0225执1号之${op}决定书` } }, officer);
      live.delete(entry.id);
    } else {
      const target = random.pick(pushKnobs);
      const mode = random.int(0, 3);
      Object.assign(target.knobs, { down: mode === 0, timeoutRate: mode === 1 ? 0.4 : 0, errorRate: mode === 2 ? 0.4 : 0 });
      if (regulator && random.chance(0.3)) regulator.down = !regulator.down;
    }
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (result) expect(result.errors, `${kind} at operation ${op}`).toBeUndefined();
    // Let deliveries interleave with the changes, not only follow them.
    if (random.chance(0.2)) await new Promise((resolve) => setTimeout(resolve, random.int(10, 120)));
  }

  for (const { knobs } of pushKnobs) Object.assign(knobs, { down: false, timeoutRate: 0, errorRate: 0 });
  regulator!.down = false;
  await untilDelivered(t, 300_000);

  const creditState = (await (await fetch(`${t.sandbox.agencies.CREDIT_PLATFORM.url}/national/credit/v2/sanction-state`)).json()) as {
    entries: HeldEntry[];
    violations: string[];
  };
  const holdings: [PartnerProfile, HeldEntry[], string[]][] = [
    [CREDIT, creditState.entries, creditState.violations],
    [AVIATION, aviation.receiver.state(), aviation.receiver.violations],
    [RAILWAY, railway.receiver.state(), railway.receiver.violations],
    [REGULATOR, regulator!.receiver.state(), regulator!.receiver.violations],
  ];
  for (const [profile, held, violations] of holdings) {
    expect(violations, profile.code).toEqual([]);
    expect(held, profile.code).toEqual(await expectedHoldings(t, profile));
  }

  // The run did what it claims: entries of both lists, every kind of change, and partners that repeat nothing twice.
  expect(counts.list).toBeGreaterThan(20);
  expect(counts.remove).toBeGreaterThan(20);
  expect(counts.chaos).toBeGreaterThan(10);
  expect((await expectedHoldings(t, RAILWAY)).length).toBeGreaterThan(0);
}, 600_000);
