/**
 * The watch over a 终本 case (法〔2016〕373号 art. 16), with the hub's clock moved instead of waiting: six months after
 * 终本 the hub re-inquires by itself, once however many watches race for it (two instances on PostgreSQL, two passes
 * at once on PGlite); two rounds that find nothing new meet 失信规定 art. 10 item 4; a round that finds a flat the
 * debtor came to own makes the case resumable; after five years nothing more runs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInChina } from "../../../domain/calendarDate.js";
import { lastDayOfPeriod } from "../../../domain/measures/periodDates.js";
import { registerCase, type RegisteredCase } from "../../support/measures.js";
import { debtorProfile } from "../../../sandbox/debtorProfile.js";
import { residentId } from "../../support/identities.js";
import { createTestDatabase, onPostgres, type TestDatabase } from "../../support/testDatabase.js";
import { collect, eventually, startTestHub, type Collected, type TestHub } from "../../support/testHub.js";

const CONCLUDE = `mutation C($caseNumber: String!, $reason: String!, $conclusion: ConclusionInput!) {
  concludeCase(caseNumber: $caseNumber, reason: $reason, conclusion: $conclusion) { status } }`;
const WATCH = `query W($caseNumber: String!) { case(caseNumber: $caseNumber) { conclusionWatch {
  concludedOn lastRound nextRound nextDueOn resumable secondFruitlessInquiryOn } } }`;
const ROUNDS = `query R($caseNumber: String!) { reinquiries(caseNumber: $caseNumber) {
  round dueOn inquiryIds settledAt newAssets { identifier } } }`;
const DUE = `query D($withinDays: Int!) { casesDueForReinquiry(withinDays: $withinDays) { caseNumber } }`;
const RESUMABLE = `query { resumableCases { caseNumber } }`;
const INQUIRY = `query I($id: ID!) { inquiry(id: $id) { trigger requestedBy complete } }`;
const UPDATES = `subscription U($caseNumber: String!) { reinquiryUpdates(caseNumber: $caseNumber) { round status newAssets resumable } }`;

let now = new Date();
let database: TestDatabase;
let a: TestHub;
let b: TestHub | undefined;
let officer: string;
let supervisor: string;
let registered: RegisteredCase;
let concludedOn: string;
let updates: Collected<{ round: number; status: string; newAssets: number | null; resumable: boolean }>;

beforeAll(async () => {
  database = await createTestDatabase();
  a = await startTestHub({ clock: () => now, database });
  // On PostgreSQL a second instance races the first for each round; PGlite has one instance.
  b = onPostgres ? await startTestHub({ clock: () => now, database, sandbox: a.sandbox, keys: a.keys }) : undefined;
  officer = await a.token("豫0225", ["CASE_OFFICER"], "officer-赵");
  supervisor = await a.token("豫02", ["SUPERVISOR"], "supervisor-孙");
  registered = await registerCase(a, officer, { debtor: debtorWithoutRefunds(), claimAmount: "80000.00" });
  updates = collect(a.ws(officer), UPDATES, "reinquiryUpdates", { caseNumber: registered.caseNumber });
}, 60_000);

afterAll(async () => {
  updates?.stop();
  await b?.close();
  await a?.close();
  await database?.drop();
});

/**
 * A person the tax bureau owes no refund: a refund due is reported under the day's reference, so each round would
 * find a new one, and the rounds meant to find nothing would not.
 */
function debtorWithoutRefunds(): string {
  for (;;) {
    const id = residentId();
    if (debtorProfile(id).tax.refundsDue === "0.00") return id;
  }
}

/** Every watch there is runs a pass at the same moment. */
async function race(): Promise<number> {
  const passes = await Promise.all([a.hub.conclusionWatch.runOnce(), (b ?? a).hub.conclusionWatch.runOnce()]);
  return passes.reduce((sum, pass) => sum + pass.started, 0);
}

/** Waits until the round's inquiries are answered, then lets a pass settle it. */
async function settle(round: number): Promise<any> {
  const answer = await a.gql(ROUNDS, { caseNumber: registered.caseNumber }, officer);
  if (!answer.data) throw new Error(JSON.stringify(answer.errors));
  const rounds = answer.data.reinquiries;
  for (const id of rounds[round - 1].inquiryIds) {
    await eventually(
      () => a.gql(INQUIRY, { id }, officer),
      (r) => r.data?.inquiry.complete === true,
      30_000,
    );
  }
  await race();
  return (await a.gql(ROUNDS, { caseNumber: registered.caseNumber }, officer)).data.reinquiries[round - 1];
}

const watch = async () => (await a.gql(WATCH, { caseNumber: registered.caseNumber }, officer)).data.case.conclusionWatch;

describe("a 终本 case watched for five years", () => {
  it("is scheduled at 终本 for six months later; supervisors see it among the cases due", async () => {
    now = new Date(now.getTime() + 100 * 86_400_000);
    concludedOn = todayInChina(now);
    const concluded = await a.gql(
      CONCLUDE,
      {
        caseNumber: registered.caseNumber,
        reason: "无可供执行财产",
        conclusion: {
          propertyInvestigation: "网络执行查控系统查询存款、车辆、不动产",
          measuresTaken: "限制消费令",
          creditorHeardOn: concludedOn,
          creditorOpinion: "同意终结本次执行程序",
        },
      },
      officer,
    );
    expect(concluded.errors).toBeUndefined();
    expect(await watch()).toEqual({
      concludedOn,
      lastRound: 0,
      nextRound: 1,
      nextDueOn: lastDayOfPeriod(concludedOn, 6),
      resumable: false,
      secondFruitlessInquiryOn: null,
    });
    expect(await race()).toBe(0);
    const due = (await a.gql(DUE, { withinDays: 200 }, supervisor)).data.casesDueForReinquiry;
    expect(due.map((c: { caseNumber: string }) => c.caseNumber)).toContain(registered.caseNumber);
  });

  it("re-inquires once six months after 终本, as the hub for the court, however many passes race for it", async () => {
    now = new Date(`${lastDayOfPeriod(concludedOn, 6)}T02:00:00Z`);
    expect(await race()).toBe(1);
    expect(await race()).toBe(0);
    const first = await settle(1);
    expect(first).toMatchObject({ round: 1, dueOn: lastDayOfPeriod(concludedOn, 6), newAssets: [] });
    expect(first.inquiryIds).toHaveLength(1);
    expect((await a.gql(INQUIRY, { id: first.inquiryIds[0] }, officer)).data.inquiry).toMatchObject({
      trigger: "CONCLUSION_WATCH",
      requestedBy: "HUB",
    });
    expect(await watch()).toMatchObject({ lastRound: 1, nextRound: 2, nextDueOn: lastDayOfPeriod(concludedOn, 12), resumable: false });
  });

  it("records the second round that found nothing (失信规定 art. 10 item 4)", async () => {
    now = new Date(`${lastDayOfPeriod(concludedOn, 12)}T02:00:00Z`);
    expect(await race()).toBe(1);
    await settle(2);
    expect(await watch()).toMatchObject({ lastRound: 2, secondFruitlessInquiryOn: todayInChina(now), resumable: false });
  });

  it("flags the case resumable when a round finds a flat the debtor came to own, and tells the court", async () => {
    const acquired = await fetch(`${a.sandbox.agencies.PROPERTY_REGISTRY.url}/_sandbox/acquisitions`, {
      method: "POST",
      body: JSON.stringify({ idNumber: registered.debtor }),
    });
    const flat = (await acquired.json()) as { certificateNumber: string };
    now = new Date(`${lastDayOfPeriod(concludedOn, 18)}T02:00:00Z`);
    expect(await race()).toBe(1);
    const third = await settle(3);
    expect(third.newAssets).toEqual([{ identifier: flat.certificateNumber }]);
    expect(await watch()).toMatchObject({ lastRound: 3, resumable: true, secondFruitlessInquiryOn: null });
    for (const token of [officer, supervisor]) {
      const resumable = (await a.gql(RESUMABLE, {}, token)).data.resumableCases;
      expect(resumable.map((c: { caseNumber: string }) => c.caseNumber)).toContain(registered.caseNumber);
    }
    await eventually(
      async () => updates.events,
      (events) => events.some((e) => e.round === 3 && e.status === "SETTLED" && e.newAssets === 1 && e.resumable),
    );
    expect(updates.events.filter((e) => e.status === "STARTED").map((e) => e.round)).toEqual([1, 2, 3]);
  });

  it("runs nothing after five years", async () => {
    now = new Date(`${lastDayOfPeriod(concludedOn, 61)}T02:00:00Z`);
    expect(await race()).toBe(0);
    expect(await watch()).toMatchObject({ lastRound: 3, nextDueOn: null });
    expect((await a.gql(ROUNDS, { caseNumber: registered.caseNumber }, officer)).data.reinquiries).toHaveLength(3);
  });
});
