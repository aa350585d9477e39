/**
 * Every measure is a measure: a seal delegated to another court (事项委托) passes the guards of an order made directly
 * (panel decision, over-seizure: 查扣冻规定 2020 art. 19; maximum period: 民诉法解释 2022 art. 485) when it is sent, and is
 * refused with the same typed errors, nothing written or sent; the executing court's report of the registration makes it a
 * measure of the delegating case, EFFECTIVE for the period registered, with a sighting of its asset from the task. It
 * blocks a second measure on the asset, is warned of 30, 7 and 1 days ahead and lapses unrenewed (查扣冻规定 2020 art. 27;
 * Henan High Court supervision opinion, item 13). The hub's clock is injected and moved, never slept on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInChina } from "../../../domain/calendarDate.js";
import { addDays, daysFromTo, lastDayOfPeriod } from "../../../domain/measures/periodDates.js";
import { ACCEPT, ANHUI, COMPLETE, DELEGATE, HENAN, RECEIVE, RETURN, registration, sealTerms } from "../../support/delegation.js";
import {
  CASE_MEASURES,
  MEASURES_EXPIRING,
  ORDER_MEASURE,
  RENEW_MEASURE,
  debtorWith,
  noticeNumber,
  panel,
  refusalOf,
  registerCase,
  type RegisteredCase,
} from "../../support/measures.js";
import { startTestHub, type TestHub } from "../../support/testHub.js";

const DAY_MS = 86_400_000;
const started = Date.now();
let now = new Date(started);
const today = () => todayInChina(now);
function moveTo(date: string) {
  now = new Date(started + daysFromTo(todayInChina(new Date(started)), date) * DAY_MS);
  expect(today()).toBe(date);
}

let t: TestHub;
let henan: string;
let anhui: string;
let c: RegisteredCase;
const debtor = debtorWith({ flat: true });

beforeAll(async () => {
  t = await startTestHub({ clock: () => now });
  henan = await t.token(HENAN);
  anhui = await t.token(ANHUI);
  c = await registerCase(t, henan, { debtor: debtor.idNumber, claimAmount: "20000000" });
}, 60_000);
afterAll(() => t?.close());

const delegate = (control: Record<string, unknown> | undefined) =>
  t.gql(
    DELEGATE,
    {
      input: {
        caseNumber: c.caseNumber,
        debtorIdNumber: debtor.idNumber,
        kind: "SEAL",
        instructions: "查封被执行人名下房产",
        targetCourt: ANHUI,
        control,
      },
    },
    henan,
  );

const measures = async () =>
  (await t.gql(CASE_MEASURES, { caseNumber: c.caseNumber }, henan)).data.case.measures.edges.map((e: any) => e.node);
const measureOfTask = async (taskId: string) => (await measures()).find((m: any) => m.delegatedTaskId === taskId);
const expiring = async (withinDays: number) =>
  (await t.gql(MEASURES_EXPIRING, { withinDays }, henan)).data.measuresExpiring.map((m: any) => m.id);

/** What a refused delegation could leave behind: tasks, measures, audit rows and peer messages. */
async function footprint() {
  const [rows] = await t.hub.db.sql.query(
    `SELECT (SELECT count(*)::int FROM delegated_task) AS tasks, (SELECT count(*)::int FROM measure) AS measures,
            (SELECT count(*)::int FROM audit_event) AS audit, (SELECT count(*)::int FROM peer_outbox) AS outbox`,
  );
  return rows;
}

async function carriedOut(taskId: string, control: Record<string, unknown>) {
  expect((await t.gql(RECEIVE, { taskId }, anhui)).errors).toBeUndefined();
  expect((await t.gql(ACCEPT, { taskId }, anhui)).errors).toBeUndefined();
  const completed = await t.gql(COMPLETE, { input: { taskId, results: { summary: "已查封", control } } }, anhui);
  expect(completed.errors).toBeUndefined();
  return completed.data.completeDelegatedTask;
}

describe("a delegated seal is refused as an order would be, before anything is written or sent", () => {
  it("without a panel decision, or without the measure's terms at all", async () => {
    const before = await footprint();
    const { decision: _none, ...undecided } = sealTerms(today());
    expect(refusalOf(await delegate(undecided))).toMatchObject({ code: "DECISION_MISSING" });
    expect(refusalOf(await delegate(undefined))).toMatchObject({ code: "BAD_USER_INPUT", field: "control" });
    expect(await footprint()).toEqual(before);
  });

  it("longer than art. 485's three years for real estate", async () => {
    const before = await footprint();
    const terms = { ...sealTerms(today()), expiresOn: addDays(lastDayOfPeriod(today(), 36), 1) };
    expect(refusalOf(await delegate(terms))).toMatchObject({ code: "PERIOD_TOO_LONG" });
    expect(await footprint()).toEqual(before);
  });

  it("art. 19: a seal that would over-seize is refused OVER_SEIZURE with the figures", async () => {
    const before = await footprint();
    const refusal = refusalOf(await delegate(sealTerms(today(), "30000000")));
    expect(refusal).toMatchObject({ code: "OVER_SEIZURE", limit: "24000000.00" });
    expect(await footprint()).toEqual(before);
  });
});

describe("the executing court's report makes it a measure of the delegating case", () => {
  let taskId: string;
  let measureId: string;
  const flat = () => c.assetIds.get(debtor.flat.certificateNumber)!;

  it("sent, the task's measure is REQUESTED and already blocks a second measure on the flat", async () => {
    const terms = { ...sealTerms(today()), asset: undefined, assetId: flat(), value: "500000" };
    const delegated = await delegate(terms);
    expect(delegated.errors).toBeUndefined();
    taskId = delegated.data.delegateTask.id;
    const measure = await measureOfTask(taskId);
    expect(measure).toMatchObject({ kind: "SEAL", status: "REQUESTED", assetId: flat(), value: "500000.00" });
    measureId = measure.id;

    const direct = await t.gql(
      ORDER_MEASURE,
      {
        input: {
          caseNumber: c.caseNumber,
          debtorIdNumber: debtor.idNumber,
          kind: "SEAL",
          assetId: flat(),
          startsOn: today(),
          expiresOn: addDays(today(), 300),
          notice: { number: noticeNumber(), date: today() },
          decision: panel(today()),
        },
      },
      henan,
    );
    expect(refusalOf(direct)).toMatchObject({ code: "MEASURE_ALREADY_ON_ASSET" });
  });

  it("completed with the registration, it is EFFECTIVE for the period registered, with a sighting from the task", async () => {
    const registeredOn = addDays(today(), 2);
    moveTo(registeredOn);
    const until = addDays(registeredOn, 40);
    const completed = await carriedOut(taskId, {
      assetIdentifier: debtor.flat.certificateNumber,
      agencyReference: "合肥查封登记2024-0017",
      registeredOn,
      registeredUntil: until,
    });
    expect(completed.status).toBe("COMPLETED");
    expect(await measureOfTask(taskId)).toMatchObject({
      id: measureId,
      status: "EFFECTIVE",
      startsOn: registeredOn,
      expiresOn: until,
      agencyReference: "合肥查封登记2024-0017",
    });
    const [sighting] = await t.hub.db.sql.query(`SELECT asset_id::text AS asset FROM asset_sighting WHERE delegated_task_id = $1::uuid`, [
      taskId,
    ]);
    expect(sighting).toEqual({ asset: flat() });
    const task = await t.gql(
      `query Task($id: ID!) { delegatedTask(id: $id) { results { control { assetIdentifier registeredOn registeredUntil } }
        measure { id status } } }`,
      { id: taskId },
      anhui,
    );
    expect(task.data.delegatedTask).toEqual({
      results: { control: { assetIdentifier: debtor.flat.certificateNumber, registeredOn, registeredUntil: until } },
      measure: { id: measureId, status: "EFFECTIVE" },
    });
  });

  it("this hub cannot renew it at the registry: the delegating court is told to delegate the renewal", async () => {
    const refused = await t.gql(
      RENEW_MEASURE,
      {
        input: { measureId, notice: { number: noticeNumber(), date: today() }, decision: panel(today()), expiresOn: addDays(today(), 300) },
      },
      henan,
    );
    expect(refusalOf(refused)).toMatchObject({ code: "MEASURE_NOT_CARRIED_BY_HUB", delegatedTaskId: taskId });
  });

  it("is warned of 30, 7 and 1 days ahead, and lapses the day after its last day", async () => {
    const expiresOn = (await measureOfTask(taskId)).expiresOn;
    for (const days of [30, 7, 1]) {
      moveTo(addDays(expiresOn, -days));
      expect(await expiring(days)).toContain(measureId);
      expect(await t.hub.expiryWatch.runOnce()).toMatchObject({ lapsed: 0, warned: 1 });
    }
    moveTo(addDays(expiresOn, 1));
    expect(await t.hub.expiryWatch.runOnce()).toMatchObject({ lapsed: 1 });
    expect(await measureOfTask(taskId)).toMatchObject({ status: "LAPSED" });
    expect(await expiring(30)).not.toContain(measureId);
  });

  it("renewed through a task to the court that carried it out: the new last day as registered, checked as renewMeasure", async () => {
    const terms = sealTerms(today());
    const taskId = (await delegate(terms)).data.delegateTask.id;
    await carriedOut(taskId, registration(terms, today(), addDays(today(), 100)));
    const sealed = await measureOfTask(taskId);
    expect(sealed).toMatchObject({ status: "EFFECTIVE", expiresOn: addDays(today(), 100) });

    const renew = (expiresOn: string) =>
      t.gql(
        DELEGATE,
        {
          input: {
            caseNumber: c.caseNumber,
            debtorIdNumber: debtor.idNumber,
            kind: "SEAL",
            instructions: "续行查封",
            targetCourt: ANHUI,
            renewal: { measureId: sealed.id, expiresOn, notice: { number: noticeNumber(), date: today() }, decision: panel(today()) },
          },
        },
        henan,
      );
    const before = await footprint();
    expect(refusalOf(await renew(addDays(lastDayOfPeriod(sealed.expiresOn, 36), 1)))).toMatchObject({ code: "RENEWAL_TOO_LONG" });
    expect(await footprint()).toEqual(before);

    const until = addDays(sealed.expiresOn, 365);
    const renewing = await renew(until);
    expect(renewing.errors).toBeUndefined();
    expect(renewing.data.delegateTask.renewsMeasureId).toBe(sealed.id);
    await carriedOut(renewing.data.delegateTask.id, registration(terms, today(), until));
    expect(await measureOfTask(taskId)).toMatchObject({ id: sealed.id, status: "EFFECTIVE", expiresOn: until });
  });

  it("a task returned without a registration leaves a FAILED measure that holds nothing", async () => {
    const delegated = await delegate(sealTerms(today()));
    const id = delegated.data.delegateTask.id;
    expect((await t.gql(RECEIVE, { taskId: id }, anhui)).errors).toBeUndefined();
    expect((await t.gql(RETURN, { taskId: id, reason: "房产不在本院辖区" }, anhui)).errors).toBeUndefined();
    expect(await measureOfTask(id)).toMatchObject({ status: "FAILED", lastError: "delegated task RETURNED: 房产不在本院辖区" });
  });
});
