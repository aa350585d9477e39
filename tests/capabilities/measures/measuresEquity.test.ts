/**
 * Equity (股权) at the market regulator's enterprise register (企业登记): the first
 * national inquiry finds the debtor's stake; a freeze (冻结) of it, as another property
 * right, may last at most 3 years (民诉法解释 2022 art. 485) and cannot be a seal; a
 * second court's freeze queues behind the first (查扣冻规定 2020 art. 26), is shown to
 * both courts in rank order, and takes effect, reported by the regulator's signed
 * report, once the first is released. Each step is in the case's audit trail. The
 * regulator is the sandbox's, with real state.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInChina } from "../../../domain/calendarDate.js";
import { addDays, lastDayOfPeriod } from "../../../domain/measures/periodDates.js";
import {
  INQUIRY_ASSETS,
  MEASURE,
  ORDER_MEASURE,
  RELEASE_MEASURE,
  REQUEST_INQUIRY,
  auditTrail,
  debtorWith,
  footprint,
  noticeNumber,
  panel,
  quiet,
  refusalOf,
  registerCase,
  type RegisteredCase,
} from "../../support/measures.js";
import { eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const FIRST = "豫0225";
const SECOND = "豫0223";

let t: TestHub;
const tokens: Record<string, string> = {};
const debtor = debtorWith({ equity: true });
const uscc = debtor.equity.uscc;
const cases: Record<string, RegisteredCase> = {};
const today = () => todayInChina();

beforeAll(async () => {
  t = await startTestHub();
  for (const court of [FIRST, SECOND]) {
    tokens[court] = await t.token(court);
    cases[court] = await registerCase(t, tokens[court], { court, debtor: debtor.idNumber, claimAmount: "50000000" });
    expect(cases[court].assetIds.get(uscc), `${court}'s first national inquiry found the stake`).toBeDefined();
  }
  await quiet(t);
}, 60_000);
afterAll(() => t?.close());

const regulator = () => t.sandbox.agencies.MARKET_REGULATION;

function freezeOrder(court: string, notice: string, overrides: Record<string, unknown> = {}) {
  return {
    caseNumber: cases[court].caseNumber,
    debtorIdNumber: debtor.idNumber,
    kind: "FREEZE",
    assetId: cases[court].assetIds.get(uscc),
    startsOn: today(),
    expiresOn: lastDayOfPeriod(today(), 36),
    notice: { number: notice, date: today() },
    decision: panel(today(), `（2024）${court}执保${court === FIRST ? 11 : 12}号`),
    ...overrides,
  };
}

const measureOf = async (court: string, id: string) => (await t.gql(MEASURE, { id }, tokens[court])).data?.measure;
const untilStatus = (court: string, id: string, status: string) =>
  eventually(
    () => measureOf(court, id),
    (m) => m?.status === status,
  );

async function refusedWithoutTrace(input: Record<string, unknown>): Promise<Record<string, any>> {
  await quiet(t);
  const before = await footprint(t);
  const extensions = refusalOf(await t.gql(ORDER_MEASURE, { input }, tokens[FIRST]));
  await quiet(t);
  expect(await footprint(t)).toEqual(before);
  return extensions;
}

/** The stake's freezes as a fresh inquiry by `court` sees them at the regulator, in rank order. */
async function freezesSeenBy(court: string) {
  const requested = await t.gql(
    REQUEST_INQUIRY,
    {
      input: {
        caseNumber: cases[court].caseNumber,
        debtorIdNumber: debtor.idNumber,
        purpose: "查看股权冻结",
        agencies: ["MARKET_REGULATION"],
      },
    },
    tokens[court],
  );
  expect(requested.errors).toBeUndefined();
  const done = await eventually(
    () => t.gql(INQUIRY_ASSETS, { id: requested.data.requestInquiry.id }, tokens[court]),
    (r) => r.data?.inquiry.complete === true,
  );
  const stake = done.data.inquiry.parts[0].assets.find((a: any) => a.identifier === uscc);
  return stake.encumbrances.filter((e: any) => e.type === "FREEZE").sort((a: any, b: any) => a.rank - b.rank);
}

const noticeOf: Record<string, string> = { [FIRST]: noticeNumber(FIRST), [SECOND]: noticeNumber(SECOND) };
const ids: Record<string, string> = {};

describe("freezing equity at the market regulator", () => {
  it("民诉法解释 2022 art. 485: a freeze of equity one day past 36 months is refused PERIOD_TOO_LONG, nothing sent", async () => {
    const latest = lastDayOfPeriod(today(), 36);
    const refusal = await refusedWithoutTrace(freezeOrder(FIRST, noticeNumber(FIRST), { expiresOn: addDays(latest, 1) }));
    expect(refusal).toMatchObject({ code: "PERIOD_TOO_LONG", maximumMonths: 36, latestEndDate: latest });
  });

  it("民诉法解释 2022 art. 485: equity, another property right, is frozen, not sealed: a SEAL is refused, nothing sent", async () => {
    const seal = await refusedWithoutTrace(freezeOrder(FIRST, noticeNumber(FIRST), { kind: "SEAL" }));
    expect(seal).toMatchObject({ code: "KIND_NOT_APPLICABLE", kind: "SEAL", category: "OTHER_PROPERTY_RIGHT" });
  });

  it("the first court's 36-month freeze takes effect with the regulator's registration number", async () => {
    const ordered = await t.gql(ORDER_MEASURE, { input: freezeOrder(FIRST, noticeOf[FIRST]) }, tokens[FIRST]);
    expect(ordered.errors).toBeUndefined();
    expect(ordered.data.orderMeasure.measure).toMatchObject({
      agency: "MARKET_REGULATION",
      assetIdentifier: uscc,
      assetCategory: "OTHER_PROPERTY_RIGHT",
      value: debtor.equity.paidCapital,
    });
    ids[FIRST] = ordered.data.orderMeasure.measure.id;
    const frozen = await untilStatus(FIRST, ids[FIRST], "EFFECTIVE");
    expect(frozen).toMatchObject({ rank: 1, expiresOn: lastDayOfPeriod(today(), 36) });
    expect(frozen.agencyReference).toMatch(/^股权冻结登记\(\d{4}\)第\d{6}号$/);
  });

  it("a second court's freeze of the same stake queues at rank 2; both courts see both freezes in rank order", async () => {
    const ordered = await t.gql(ORDER_MEASURE, { input: freezeOrder(SECOND, noticeOf[SECOND]) }, tokens[SECOND]);
    expect(ordered.errors).toBeUndefined();
    ids[SECOND] = ordered.data.orderMeasure.measure.id;
    expect(await untilStatus(SECOND, ids[SECOND], "QUEUED")).toMatchObject({ rank: 2, agencyReference: null });
    for (const court of [FIRST, SECOND]) {
      expect(await freezesSeenBy(court), court).toEqual([
        { type: "FREEZE", byAuthority: FIRST, reference: noticeOf[FIRST], since: today(), rank: 1 },
        { type: "FREEZE", byAuthority: SECOND, reference: noticeOf[SECOND], since: today(), rank: 2 },
      ]);
    }
  });

  it("released by the first court, the queued freeze takes effect on the regulator's signed report", async () => {
    const released = await t.gql(
      RELEASE_MEASURE,
      {
        input: {
          measureId: ids[FIRST],
          notice: { number: noticeNumber(FIRST), date: today() },
          decision: panel(today(), "（2024）豫0225执保11号之二"),
        },
      },
      tokens[FIRST],
    );
    expect(released.errors).toBeUndefined();
    await untilStatus(FIRST, ids[FIRST], "RELEASED");
    const effective = await untilStatus(SECOND, ids[SECOND], "EFFECTIVE");
    expect(effective.rank).toBe(1);
    expect(effective.agencyReference).toMatch(/^股权冻结登记\(\d{4}\)第\d{6}号$/);
    await eventually(
      async () => regulator().stats.callbacksSent,
      (sent) => sent === 1,
    );
    expect(await freezesSeenBy(FIRST)).toEqual([
      { type: "FREEZE", byAuthority: SECOND, reference: noticeOf[SECOND], since: today(), rank: 1 },
    ]);
  });

  it("each case's audit trail holds its orders and, for the second, the taking effect as the regulator's act", async () => {
    await t.hub.sealAudit();
    const first = await auditTrail(t, tokens[FIRST], cases[FIRST].caseNumber);
    expect(first.filter((r) => r.subjectId === ids[FIRST]).map((r) => r.action)).toEqual(["MEASURE_ORDERED", "MEASURE_RELEASE_ORDERED"]);
    const second = await auditTrail(t, tokens[SECOND], cases[SECOND].caseNumber);
    expect(second.filter((r) => r.subjectId === ids[SECOND]).map((r) => r.action)).toEqual(["MEASURE_ORDERED", "MEASURE_TOOK_EFFECT"]);
    expect(second.find((r) => r.action === "MEASURE_TOOK_EFFECT")).toMatchObject({
      actorOrg: "MARKET_REGULATION",
      detail: { kind: "FREEZE", asset: uscc },
    });
  });
});
