/**
 * Supervisors deactivate a partner (deactivatePartner, with a reason) and reactivate it. While
 * inactive a push partner is sent nothing and a pull partner's feed reads and acknowledgements are
 * refused (PARTNER_INACTIVE); registering it again does not bring it back; on reactivation it
 * catches up from where it acknowledged, every change in its debtor's order. Both steps are audited;
 * asking for the state it is already in is PARTNER_ACTIVATION_UNCHANGED.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPartner, type RunningPartner } from "../../../sandbox/partners/partnerAgency.js";
import {
  ACK_FEED,
  FEED,
  PARTNERS,
  REMOVE,
  expectedHoldings,
  listNewDebtor,
  registerPartner,
  type PartnerProfile,
  EARLY_REMOVAL,
} from "../../support/sanctions.js";
import { eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const DEACTIVATE = `mutation Deactivate($id: ID!, $reason: String!) { deactivatePartner(id: $id, reason: $reason) { code active
  inactiveReason } }`;
const REACTIVATE = `mutation Reactivate($id: ID!) { reactivatePartner(id: $id) { code active inactiveReason } }`;
const RAILWAY: PartnerProfile = { code: "RAILWAY", lists: ["DISHONEST_DEBTOR"], fields: ["name", "expiresOn"] };
const REGULATOR: PartnerProfile = { code: "MARKET_REGULATOR", lists: ["DISHONEST_DEBTOR"], fields: ["name"] };

let t: TestHub;
let railway: RunningPartner;
let officer: string;
let supervisor: string;
let regulator: string;

beforeAll(async () => {
  t = await startTestHub({ sanctionDelivery: { sweepIntervalMs: 50, maxBackoffMs: 200, batchSize: 2 } });
  officer = await t.token("豫0225", ["CASE_OFFICER"]);
  supervisor = await t.token("豫", ["SUPERVISOR"], "督导-李");
  regulator = await t.token("MARKET_REGULATOR", ["AGENCY"]);
  railway = await startPartner("RAILWAY", { publicKeyPem: t.sanctionKey.publicKeyPem });
  await registerPartner(t, { ...RAILWAY, endpoint: railway.endpoint, publicKey: railway.receiver.key.publicKeyPem });
  await registerPartner(t, { ...REGULATOR, mode: "PULL" });
}, 60_000);

afterAll(async () => {
  await t?.close();
  await railway?.close();
});

const refusalOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions;
const lagOf = async (code: string) =>
  (await t.gql(PARTNERS, {}, supervisor)).data.sanctionPartners.find((p: any) => p.partner.code === code);

describe("who may, and what", () => {
  it("only supervisors; an unknown partner, an empty reason, or the state it is already in are refused", async () => {
    expect(refusalOf(await t.gql(DEACTIVATE, { id: "RAILWAY", reason: "系统迁移" }, officer))).toMatchObject({ code: "FORBIDDEN" });
    expect(refusalOf(await t.gql(DEACTIVATE, { id: "RAILWAY", reason: "系统迁移" }, regulator))).toMatchObject({ code: "FORBIDDEN" });
    expect(refusalOf(await t.gql(DEACTIVATE, { id: "CUSTOMS", reason: "系统迁移" }, supervisor))).toMatchObject({
      code: "PARTNER_NOT_FOUND",
    });
    expect(refusalOf(await t.gql(DEACTIVATE, { id: "RAILWAY", reason: "  " }, supervisor))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "reason",
    });
    expect(refusalOf(await t.gql(REACTIVATE, { id: "RAILWAY" }, supervisor))).toMatchObject({
      code: "PARTNER_ACTIVATION_UNCHANGED",
      active: true,
    });
    expect(await lagOf("RAILWAY")).toMatchObject({ partner: { active: true, inactiveReason: null } });
  });
});

describe("a push partner", () => {
  it("is sent nothing while inactive, stays inactive when registered again, and catches up in order once reactivated", async () => {
    await listNewDebtor(t, officer);
    await eventually(
      () => lagOf("RAILWAY"),
      (lag) => lag.backlog === 0,
    );
    const batchesBefore = railway.receiver.batches;

    const deactivated = await t.gql(DEACTIVATE, { id: "RAILWAY", reason: "铁路系统升级，暂停接收" }, supervisor);
    expect(deactivated.data.deactivatePartner).toEqual({ code: "RAILWAY", active: false, inactiveReason: "铁路系统升级，暂停接收" });
    expect(refusalOf(await t.gql(DEACTIVATE, { id: "RAILWAY", reason: "again" }, supervisor))).toMatchObject({
      code: "PARTNER_ACTIVATION_UNCHANGED",
      active: false,
    });

    // Listings and a removal while it is out: a debtor's listing and removal must arrive in that order later.
    const kept = await listNewDebtor(t, officer);
    const paid = await listNewDebtor(t, officer);
    expect((await t.gql(REMOVE, { input: { entryId: paid.entryId, ...EARLY_REMOVAL } }, officer)).errors).toBeUndefined();
    // Registering it again (an endpoint change, say) updates it but does not reactivate it.
    const again = await registerPartner(t, { ...RAILWAY, endpoint: railway.endpoint, publicKey: railway.receiver.key.publicKeyPem });
    expect(again).toMatchObject({ created: false, partner: { code: "RAILWAY", active: false } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(railway.receiver.batches).toBe(batchesBefore);
    expect(await lagOf("RAILWAY")).toMatchObject({
      backlog: 3,
      dead: 0,
      partner: { active: false, inactiveReason: "铁路系统升级，暂停接收" },
    });

    const reactivated = await t.gql(REACTIVATE, { id: "RAILWAY" }, supervisor);
    expect(reactivated.data.reactivatePartner).toEqual({ code: "RAILWAY", active: true, inactiveReason: null });
    await eventually(
      () => lagOf("RAILWAY"),
      (lag) => lag.backlog === 0,
    );
    expect(railway.receiver.state()).toEqual(await expectedHoldings(t, RAILWAY));
    expect(railway.receiver.entriesOf(kept.debtor)).toHaveLength(1);
    expect(railway.receiver.entriesOf(paid.debtor)).toEqual([]);
    expect(railway.receiver.violations).toEqual([]);

    const audit = await t.hub.db.sql.query<{ action: string; actor_officer: string; purpose: string | null }>(
      `SELECT action, actor_officer, purpose FROM audit_event WHERE subject_id = 'RAILWAY' AND action LIKE
        'SANCTION_PARTNER_%ACTIVATED' ORDER BY id`,
    );
    expect(audit).toEqual([
      { action: "SANCTION_PARTNER_DEACTIVATED", actor_officer: "督导-李", purpose: "铁路系统升级，暂停接收" },
      { action: "SANCTION_PARTNER_REACTIVATED", actor_officer: "督导-李", purpose: null },
    ]);
  });
});

describe("a pull partner", () => {
  it("is refused PARTNER_INACTIVE while inactive, and reads on from its acknowledged cursor once reactivated", async () => {
    const before = await listNewDebtor(t, officer);
    const page = (await t.gql(FEED, { first: 1000 }, regulator)).data.sanctionFeed;
    expect(page.changes.some((c: any) => c.idNumber === before.debtor)).toBe(true);
    expect((await t.gql(ACK_FEED, { upTo: page.endCursor }, regulator)).errors).toBeUndefined();

    expect((await t.gql(DEACTIVATE, { id: "MARKET_REGULATOR", reason: "协议暂停" }, supervisor)).errors).toBeUndefined();
    expect(refusalOf(await t.gql(FEED, {}, regulator))).toMatchObject({
      code: "PARTNER_INACTIVE",
      partner: "MARKET_REGULATOR",
      inactiveReason: "协议暂停",
    });
    expect(refusalOf(await t.gql(ACK_FEED, { upTo: page.endCursor }, regulator))).toMatchObject({ code: "PARTNER_INACTIVE" });
    const during = await listNewDebtor(t, officer);

    expect((await t.gql(REACTIVATE, { id: "MARKET_REGULATOR" }, supervisor)).errors).toBeUndefined();
    const resumed = (await t.gql(FEED, { first: 1000 }, regulator)).data.sanctionFeed;
    expect(resumed.changes.map((c: any) => c.idNumber)).toEqual([during.debtor]);
    expect(resumed.changes[0]).toMatchObject({ entryId: during.entryId, operation: "LIST", fields: { name: "郑十一" } });
  });
});
