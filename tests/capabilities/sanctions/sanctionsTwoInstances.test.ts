/**
 * Two hub instances on one PostgreSQL database deliver the lists together: both claim batches,
 * leases keep them from sending the same batch, and the per-debtor rule keeps each debtor's
 * changes in order whichever instance carries them. With no failures, every change reaches the
 * partner exactly once. Runs on PostgreSQL always (a fresh database), as several instances need
 * a shared server.
 */
import { generateKeyPair } from "jose";
import { afterAll, beforeAll, expect, it } from "vitest";
import { generateSm2KeyPair } from "../../../gateway/signing/sm2Keys.js";
import { startSandbox, type Sandbox } from "../../../sandbox/index.js";
import { startPartner, type RunningPartner } from "../../../sandbox/partners/partnerAgency.js";
import { caseNumber, residentId } from "../../support/identities.js";
import {
  CORRECT,
  LIST_DEBTOR,
  REMOVE,
  expectedHoldings,
  facts,
  registerPartner,
  untilDelivered,
  type PartnerProfile,
  EARLY_REMOVAL,
} from "../../support/sanctions.js";
import { createPostgresTestDatabase, type TestDatabase } from "../../support/testDatabase.js";
import { REGISTER_CASE, startTestHub, type TestHub } from "../../support/testHub.js";

const PROFILE: PartnerProfile = {
  code: "RAILWAY",
  lists: ["DISHONEST_DEBTOR", "CONSUMPTION_RESTRICTION"],
  fields: ["name", "performance", "expiresOn"],
};

let database: TestDatabase;
let sandbox: Sandbox;
let a: TestHub;
let b: TestHub;
let railway: RunningPartner;

beforeAll(async () => {
  database = await createPostgresTestDatabase();
  const sanctionKey = generateSm2KeyPair();
  sandbox = await startSandbox({ hubPublicKeyPem: sanctionKey.publicKeyPem });
  const keys = await generateKeyPair("EdDSA");
  const delivery = { batchSize: 4, sweepIntervalMs: 30 };
  a = await startTestHub({ database, sandbox, keys, sanctionKey, sanctionDelivery: delivery });
  b = await startTestHub({ database, sandbox, keys, sanctionKey, sanctionDelivery: delivery });
  railway = await startPartner("RAILWAY", { publicKeyPem: sanctionKey.publicKeyPem }, { knobs: { latencyMs: 30, jitterMs: 20 } });
  await registerPartner(a, { ...PROFILE, endpoint: railway.endpoint, publicKey: railway.receiver.key.publicKeyPem });
}, 60_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await railway?.close();
  await sandbox?.close();
  await database?.drop();
});

it("shares delivery between instances without sending a batch twice or breaking a debtor's order", async () => {
  const officer = await a.token("豫0225", ["CASE_OFFICER"]);
  const debtors = Array.from({ length: 12 }, () => residentId());
  const number = caseNumber();
  const registered = await a.gql(
    REGISTER_CASE,
    {
      input: {
        caseNumber: number,
        creditorName: "开封农商银行",
        claimAmount: "60000.00",
        debtors: debtors.map((idNumber) => ({ kind: "PERSON", idNumber, name: "吴十" })),
      },
    },
    officer,
  );
  expect(registered.errors).toBeUndefined();

  // Each debtor's changes alternate between the instances, and run alongside the other debtors'.
  await Promise.all(
    debtors.map(async (debtor, i) => {
      const [first, second] = i % 2 === 0 ? [a, b] : [b, a];
      const listed = await first.gql(LIST_DEBTOR, { input: { ...facts(number, debtor), ground: "VIOLATES_PROPERTY_REPORTING" } }, officer);
      const entryId = listed.data.listDishonestDebtor.entry.id;
      for (let k = 1; k <= 3; k++) {
        const corrected = await (k % 2 ? second : first).gql(CORRECT, { input: { entryId, performance: `第${k}次更正` } }, officer);
        expect(corrected.errors).toBeUndefined();
      }
      if (i % 3 === 0) expect((await first.gql(REMOVE, { input: { entryId, ...EARLY_REMOVAL } }, officer)).errors).toBeUndefined();
    }),
  );
  await untilDelivered(a);

  expect(railway.receiver.violations).toEqual([]);
  expect(railway.receiver.duplicates).toBe(0);
  expect(railway.receiver.applied).toBe(debtors.length * 5 + Math.ceil(debtors.length / 3));
  expect(railway.receiver.state()).toEqual(await expectedHoldings(a, PROFILE));
  expect(a.hub.pushDelivery.delivered.batches).toBeGreaterThan(0);
  expect(b.hub.pushDelivery.delivered.batches).toBeGreaterThan(0);
  expect(a.hub.pushDelivery.delivered.changes + b.hub.pushDelivery.delivered.changes).toBe(railway.receiver.applied);
}, 120_000);
