/**
 * The command centre's queries against a real hub and sandbox: an agency that stops answering turns FAILING for the
 * supervisor of the case's court, its requests are listed with their case, cases open too long are listed, and the
 * scope follows the token (another prefecture's supervisor sees nothing; a court officer is refused; an operator counts).
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { residentId } from "../../support/identities.js";
import { refusalOf, registerCase } from "../../support/measures.js";
import { registerCaseNow, sealExpiringIn } from "../../support/supervision.js";
import { todayInChina } from "../../../domain/calendarDate.js";
import { addDays } from "../../../domain/measures/periodDates.js";
import { eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const STATS = `query Stats($window: StatsWindow) { agencyStats(window: $window) { agencyKind channel answered failed timedOut pending
  retrying overdue medianAnswerMs p95AnswerMs serviceLevelMs health } }`;
const REQUESTS = `query Requests($outcome: RequestOutcome!, $agencyKind: AgencyKind) {
  agencyRequests(outcome: $outcome, agencyKind: $agencyKind) { caseNumber courtCode agencyKind status failedRounds lastError } }`;
const STUCK = `query { stuckRequests(first: 5) { caseNumber agencyKind createdAt } }`;
const OPEN_CASES = `query Open($months: Int!) { casesOpenLongerThan(months: $months) { caseNumber courtCode status daysOpen } }`;
const MEASURES = `query Measures($watch: MeasureWatch!) { supervisedMeasures(watch: $watch, days: 30) { caseNumber courtCode status
  daysLeft } }`;
const REINQUIRY = `query Due($withinDays: Int) { casesDueReinquiry(withinDays: $withinDays) { caseNumber courtCode concludedOn
  lastInquiryOn dueOn daysLeft } }`;
const CHAIN = `query { auditChainState { sealedSeq sealedHash unsealed } }`;

let t: TestHub;
let officer: string;
let supervisor: string;

beforeAll(async () => {
  t = await startTestHub({ maxAttempts: 2, dispatcher: { backoff: { firstMs: 50, maxMs: 200 } } });
  officer = await t.token("豫0225", ["CASE_OFFICER"]);
  supervisor = await t.token("豫02", ["SUPERVISOR"]);
});

afterAll(() => t?.close());

describe("the command centre (Henan High Court supervision opinion, item 21: 每日巡检)", () => {
  it("shows an agency that stops answering as FAILING, with the requests behind the number", async () => {
    const healthy = await registerCase(t, officer, { debtor: residentId(), claimAmount: "5000.00" });
    const stats = await t.gql(STATS, { window: "HOUR" }, supervisor);
    expect(stats.errors).toBeUndefined();
    const property = stats.data.agencyStats.find((row: any) => row.agencyKind === "PROPERTY_REGISTRY" && row.channel === "NATIONAL");
    expect(property).toMatchObject({ answered: 1, failed: 0, health: "OK" });
    expect(property.medianAnswerMs).toBeGreaterThan(0);
    const bank = stats.data.agencyStats.find((row: any) => row.agencyKind === "BANK");
    expect(bank.serviceLevelMs).toBe(24 * 3_600_000);

    Object.assign(t.sandbox.agencies.VEHICLE_REGISTRY.knobs, { down: true });
    onTestFinished(() => void Object.assign(t.sandbox.agencies.VEHICLE_REGISTRY.knobs, { down: false }));
    const failing = await registerCaseNow(t, officer);
    const red = await eventually(
      () => t.gql(STATS, { window: "HOUR" }, supervisor),
      (r) => r.data?.agencyStats.some((row: any) => row.agencyKind === "VEHICLE_REGISTRY" && row.health === "FAILING"),
    );
    const vehicles = red.data.agencyStats.find((row: any) => row.agencyKind === "VEHICLE_REGISTRY");
    expect(vehicles.answered).toBe(1);
    expect(vehicles.failed + vehicles.retrying).toBeGreaterThanOrEqual(1);

    const failed = await eventually(
      async () => [
        ...(await t.gql(REQUESTS, { outcome: "RETRYING", agencyKind: "VEHICLE_REGISTRY" }, supervisor)).data.agencyRequests,
        ...(await t.gql(REQUESTS, { outcome: "FAILED", agencyKind: "VEHICLE_REGISTRY" }, supervisor)).data.agencyRequests,
      ],
      (rows) => rows.length > 0,
    );
    Object.assign(t.sandbox.agencies.VEHICLE_REGISTRY.knobs, { down: false });
    expect(failed[0]).toMatchObject({ courtCode: "豫0225", agencyKind: "VEHICLE_REGISTRY" });
    expect(failed.map((row: any) => row.caseNumber)).toEqual([failing]);
    expect(failed.map((row: any) => row.caseNumber)).not.toContain(healthy.caseNumber);
    expect(failed[0].failedRounds).toBeGreaterThanOrEqual(1);
    expect((await t.gql(STUCK, {}, supervisor)).errors).toBeUndefined();
  });

  it("lists cases open longer than three and six months (三个月未执结案件予以警示)", async () => {
    const old = await registerCase(t, officer, { debtor: residentId(), claimAmount: "800.00" });
    await t.hub.db.sql.query(`UPDATE enforcement_case SET created_at = now() - interval '4 months' WHERE id = $1::uuid`, [old.caseId]);
    const three = await t.gql(OPEN_CASES, { months: 3 }, supervisor);
    expect(three.data.casesOpenLongerThan.map((c: any) => c.caseNumber)).toEqual([old.caseNumber]);
    expect(three.data.casesOpenLongerThan[0]).toMatchObject({ courtCode: "豫0225", status: "IN_ENFORCEMENT" });
    expect(three.data.casesOpenLongerThan[0].daysOpen).toBeGreaterThanOrEqual(119);
    expect((await t.gql(OPEN_CASES, { months: 6 }, supervisor)).data.casesOpenLongerThan).toEqual([]);
    expect(refusalOf(await t.gql(OPEN_CASES, { months: 0 }, supervisor))).toMatchObject({ field: "months" });
  });

  it("lists 终本 cases whose six-monthly inquiry is due (法〔2016〕373号 art. 16)", async () => {
    const concluded = await registerCase(t, officer, { debtor: residentId(), claimAmount: "700.00" });
    // Concluded seven months ago, its inquiries made before: what the case lifecycle leaves behind after 终本.
    await t.hub.db.sql.transaction(async (tx) => {
      await tx.query(`UPDATE enforcement_case SET status = 'CONCLUDED' WHERE id = $1::uuid`, [concluded.caseId]);
      await tx.query(`UPDATE inquiry SET created_at = now() - interval '8 months' WHERE case_id = $1::uuid`, [concluded.caseId]);
      await tx.query(
        `INSERT INTO case_step (id, case_id, event, from_status, to_status, actor_court, actor_officer, reason, at)
         VALUES (gen_random_uuid(), $1::uuid, 'CONCLUDE', 'IN_ENFORCEMENT', 'CONCLUDED', '豫0225', 'officer', '无财产可供执行',
                 now() - interval '7 months')`,
        [concluded.caseId],
      );
      await tx.query(
        `INSERT INTO conclusion_watch (case_id, concluded_on, next_round, next_due_on)
         VALUES ($1::uuid, (now() - interval '7 months')::date, 1, (now() - interval '1 month')::date)`,
        [concluded.caseId],
      );
    });
    const due = await t.gql(REINQUIRY, { withinDays: 30 }, supervisor);
    expect(due.errors).toBeUndefined();
    expect(due.data.casesDueReinquiry).toEqual([expect.objectContaining({ caseNumber: concluded.caseNumber, courtCode: "豫0225" })]);
    expect(due.data.casesDueReinquiry[0].daysLeft).toBeLessThan(-20);
    expect(due.data.casesDueReinquiry[0].lastInquiryOn).toBeNull();
    // The officers' list reads the same schedule: the two never disagree on which case is due.
    const officers = await t.gql(`query { casesDueForReinquiry(withinDays: 30) { caseNumber } }`, {}, officer);
    expect(officers.data.casesDueForReinquiry).toEqual([{ caseNumber: concluded.caseNumber }]);
    const zhengzhou = await t.token("豫01", ["SUPERVISOR"]);
    expect((await t.gql(REINQUIRY, { withinDays: 30 }, zhengzhou)).data.casesDueReinquiry).toEqual([]);
  });

  it("keeps to the caller's scope: another prefecture sees nothing, a court officer is refused, an operator only counts", async () => {
    const zhengzhou = await t.token("豫01", ["SUPERVISOR"]);
    expect((await t.gql(STATS, {}, zhengzhou)).data.agencyStats).toEqual([]);
    expect((await t.gql(OPEN_CASES, { months: 3 }, zhengzhou)).data.casesOpenLongerThan).toEqual([]);
    expect(refusalOf(await t.gql(STATS, {}, officer))).toMatchObject({ code: "FORBIDDEN" });
    expect(refusalOf(await t.gql(STUCK, {}, officer))).toMatchObject({ code: "FORBIDDEN" });
    const operator = await t.token("HUB", ["OPERATOR"]);
    expect((await t.gql(STATS, {}, operator)).data.agencyStats.length).toBeGreaterThan(0);
    expect(refusalOf(await t.gql(REQUESTS, { outcome: "PENDING" }, operator))).toMatchObject({ code: "FORBIDDEN" });
  });

  it("lists measures expiring and lapsed (Henan High Court supervision opinion, item 13), with case and court", async () => {
    const { registered: sealed, measureId: id } = await sealExpiringIn(t, officer, 5);
    const today = todayInChina(new Date());
    const expiring = await eventually(
      () => t.gql(MEASURES, { watch: "EXPIRING" }, supervisor),
      (r) => r.data?.supervisedMeasures.length === 1,
    );
    expect(expiring.data.supervisedMeasures[0]).toMatchObject({ caseNumber: sealed.caseNumber, daysLeft: 5 });
    expect((await t.gql(MEASURES, { watch: "UNCONFIRMED" }, supervisor)).data.supervisedMeasures).toEqual([]);

    // Ten days on, unrenewed: what the expiry watch leaves behind.
    await t.hub.db.sql.query(`UPDATE measure SET status = 'LAPSED', lapsed_at = now(), expires_on = $2::date WHERE id = $1::uuid`, [
      id,
      addDays(today, -5),
    ]);
    const lapsed = await t.gql(MEASURES, { watch: "LAPSED" }, supervisor);
    expect(lapsed.data.supervisedMeasures).toEqual([
      expect.objectContaining({ caseNumber: sealed.caseNumber, status: "LAPSED", daysLeft: -5 }),
    ]);
    expect((await t.gql(MEASURES, { watch: "EXPIRING" }, supervisor)).data.supervisedMeasures).toEqual([]);
    const zhengzhou = await t.token("豫01", ["SUPERVISOR"]);
    expect((await t.gql(MEASURES, { watch: "LAPSED" }, zhengzhou)).data.supervisedMeasures).toEqual([]);
    expect(refusalOf(await t.gql(MEASURES, { watch: "EXPIRING" }, officer))).toMatchObject({ code: "FORBIDDEN" });
  });

  it("shows the audit chain's sealed head", async () => {
    await t.hub.sealAudit();
    const chain = await t.gql(CHAIN, {}, supervisor);
    expect(chain.errors).toBeUndefined();
    expect(Number(chain.data.auditChainState.sealedSeq)).toBeGreaterThan(0);
    expect(chain.data.auditChainState.sealedHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
