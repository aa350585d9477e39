import { afterAll, beforeAll, expect, it } from "vitest";
import { startPartner, type RunningPartner } from "../../../sandbox/partners/partnerAgency.js";
import { registerCase } from "../../support/measures.js";
import { facts, LIST_DEBTOR, registerPartner, untilDelivered } from "../../support/sanctions.js";
import { residentId } from "../../support/identities.js";
import { startTestHub, type TestHub } from "../../support/testHub.js";

let t: TestHub;
let p: RunningPartner;
beforeAll(async () => {
  t = await startTestHub({ sanctionDelivery: { sweepIntervalMs: 50, maxBackoffMs: 300, requestTimeoutMs: 1_000, maxAttempts: 2 } });
  p = await startPartner("CIVIL_AVIATION", { secret: "aviation-secret-xyz" });
}, 60_000);
afterAll(async () => { await t?.close(); await p?.close(); });

it("probe", async () => {
  const officer = await t.token("豫0225", ["CASE_OFFICER"], "officer-王");
  await registerPartner(t, { code: "CIVIL_AVIATION", lists: ["DISHONEST_DEBTOR"], fields: ["name", "startsOn"], endpoint: p.endpoint, signing: "HMAC_SM3", secret: "aviation-secret-xyz" });
  const debtor = residentId();
  const c = await registerCase(t, officer, { debtor, claimAmount: "9000.00" });
  const listed = await t.gql(LIST_DEBTOR, { input: { ...facts(c.caseNumber, debtor), ground: "VIOLATES_PROPERTY_REPORTING" } }, officer);
  expect(listed.errors).toBeUndefined();
  await untilDelivered(t);
  const tables = await t.hub.db.sql.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
  for (const { table_name } of tables) {
    const rows = await t.hub.db.sql.query<{ r: string }>(`SELECT row_to_json(x)::text AS r FROM "${table_name}" x`);
    for (const { r } of rows) for (const needle of [debtor, "孙八", "aviation-secret-xyz"]) if (r.includes(needle)) console.log(table_name, needle, r.slice(r.indexOf(needle) - 300, r.indexOf(needle) + 100));
  }
}, 90_000);
