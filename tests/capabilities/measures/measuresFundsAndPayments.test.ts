/**
 * Money held for the debtor outside the banks: a housing provident fund account (住房公积金) at the centre, a balance
 * at a payment institution (网络支付机构: 支付宝, 财付通). The first national inquiry finds both; each is frozen like a
 * deposit, for at most a year (民诉法解释 2022 art. 485), queued behind another court's freeze (查扣冻规定 2020 art. 26),
 * deducted (划拨) within the freeze (民事诉讼法 2023 art. 253) and released. A provident fund is deducted only on a
 * withdrawal ground the centre reports, leaving the necessities the order states (住房公积金管理条例 art. 24;
 * 查扣冻规定 art. 3). Refusals write and send nothing. The agencies are the sandbox's, with real state.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInChina } from "../../../domain/calendarDate.js";
import { addDays, lastDayOfPeriod } from "../../../domain/measures/periodDates.js";
import { parseYuan } from "../../../domain/measures/yuan.js";
import { debtorProfile } from "../../../sandbox/debtorProfile.js";
import { residentId } from "../../support/identities.js";
import {
  MEASURE,
  ORDER_MEASURE,
  RELEASE_MEASURE,
  auditTrail,
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
const cents = (yuan: string) => (parseYuan(yuan) as { cents: bigint }).cents;

/** A person with a provident fund account (with or without a withdrawal ground on file) and, with a ground, a payment balance. */
function debtorWithFund(withGround: boolean) {
  for (;;) {
    const idNumber = residentId();
    const profile = debtorProfile(idNumber);
    const fund = profile.providentFund.find((a) => cents(a.balance) >= 20_000_00n && (a.withdrawalGround !== undefined) === withGround);
    const payment = profile.paymentAccounts.find((a) => cents(a.balance) >= 1_000_00n);
    if (fund && (payment || !withGround)) return { idNumber, fund, payment: payment! };
  }
}

const withGround = debtorWithFund(true);
const withoutGround = debtorWithFund(false);

let t: TestHub;
const tokens: Record<string, string> = {};
const cases: Record<string, RegisteredCase> = {};
let noGroundCase: RegisteredCase;
const today = () => todayInChina();

const BALANCES = [
  { agency: "PAYMENT_PLATFORM", identifier: withGround.payment.accountNumber, balance: withGround.payment.balance, serial: 31 },
  { agency: "PROVIDENT_FUND", identifier: withGround.fund.accountNumber, balance: withGround.fund.balance, serial: 41 },
] as const;

beforeAll(async () => {
  t = await startTestHub();
  for (const court of [FIRST, SECOND]) {
    tokens[court] = await t.token(court);
    cases[court] = await registerCase(t, tokens[court], { court, debtor: withGround.idNumber, claimAmount: "50000000" });
    for (const held of BALANCES) {
      expect(cases[court].assetIds.get(held.identifier), `${court}'s first national inquiry found ${held.agency}'s`).toBeDefined();
    }
  }
  noGroundCase = await registerCase(t, tokens[FIRST], { court: FIRST, debtor: withoutGround.idNumber, claimAmount: "50000000" });
  await quiet(t);
}, 60_000);
afterAll(() => t?.close());

function order(
  court: string,
  c: RegisteredCase,
  debtor: string,
  identifier: string,
  serial: number,
  overrides: Record<string, unknown> = {},
) {
  return {
    caseNumber: c.caseNumber,
    debtorIdNumber: debtor,
    kind: "FREEZE",
    assetId: c.assetIds.get(identifier),
    startsOn: today(),
    expiresOn: lastDayOfPeriod(today(), 12),
    notice: { number: noticeNumber(court), date: today() },
    decision: panel(today(), `（2024）${court}执${serial}号`),
    ...overrides,
  };
}

const measureOf = async (court: string, id: string) => (await t.gql(MEASURE, { id }, tokens[court])).data?.measure;
const untilStatus = (court: string, id: string, status: string) =>
  eventually(
    () => measureOf(court, id),
    (m) => m?.status === status,
  );

async function refusedWithoutTrace(input: Record<string, unknown>, token = tokens[FIRST]): Promise<Record<string, any>> {
  await quiet(t);
  const before = await footprint(t);
  const extensions = refusalOf(await t.gql(ORDER_MEASURE, { input }, token));
  await quiet(t);
  expect(await footprint(t)).toEqual(before);
  return extensions;
}

describe.each(BALANCES)("a balance held at $agency, frozen and deducted like a deposit", (held) => {
  const ids: Record<string, string> = {};
  const freeze = (court: string, overrides: Record<string, unknown> = {}) =>
    order(court, cases[court], withGround.idNumber, held.identifier, held.serial + (court === FIRST ? 0 : 1), overrides);

  it("民诉法解释 2022 art. 485: a freeze one day past 12 months is refused PERIOD_TOO_LONG, and a SEAL is refused, nothing sent", async () => {
    const latest = lastDayOfPeriod(today(), 12);
    expect(await refusedWithoutTrace(freeze(FIRST, { expiresOn: addDays(latest, 1) }))).toMatchObject({
      code: "PERIOD_TOO_LONG",
      maximumMonths: 12,
      latestEndDate: latest,
    });
    expect(await refusedWithoutTrace(freeze(FIRST, { kind: "SEAL" }))).toMatchObject({ code: "KIND_NOT_APPLICABLE", category: "DEPOSIT" });
  });

  it("the first court's freeze of the whole balance takes effect with the agency's freeze number", async () => {
    const ordered = await t.gql(ORDER_MEASURE, { input: freeze(FIRST) }, tokens[FIRST]);
    expect(ordered.errors).toBeUndefined();
    expect(ordered.data.orderMeasure.measure).toMatchObject({ agency: held.agency, assetCategory: "DEPOSIT", value: held.balance });
    ids[FIRST] = ordered.data.orderMeasure.measure.id;
    const frozen = await untilStatus(FIRST, ids[FIRST], "EFFECTIVE");
    expect(frozen.agencyReference).toMatch(/^冻\d{14}$/);
  });

  it("a second court's freeze queues at rank 2 (查扣冻规定 2020 art. 26)", async () => {
    // Half the balance: once the first court's freeze is released, what is left after its deduction covers it.
    const half = (Number(held.balance) / 2).toFixed(2);
    const ordered = await t.gql(ORDER_MEASURE, { input: freeze(SECOND, { value: half }) }, tokens[SECOND]);
    expect(ordered.errors).toBeUndefined();
    ids[SECOND] = ordered.data.orderMeasure.measure.id;
    expect(await untilStatus(SECOND, ids[SECOND], "QUEUED")).toMatchObject({ rank: 2 });
  });

  it("民事诉讼法 2023 art. 253: a deduction beyond the freeze is refused, one within it is carried out", async () => {
    const deduct = (value: string) => freeze(FIRST, { kind: "DEDUCT", value, expiresOn: today(), necessitiesReserve: "5000.00" });
    expect(await refusedWithoutTrace(deduct((Number(held.balance) + 1).toFixed(2)))).toMatchObject({ code: "DEDUCTION_EXCEEDS_FROZEN" });
    const ordered = await t.gql(ORDER_MEASURE, { input: deduct("100.00") }, tokens[FIRST]);
    expect(ordered.errors).toBeUndefined();
    const deducted = await untilStatus(FIRST, ordered.data.orderMeasure.measure.id, "EFFECTIVE");
    expect(deducted).toMatchObject({ kind: "DEDUCT", value: "100.00" });
    expect(deducted.agencyReference).toMatch(/^划\d{14}$/);
  });

  it("released by the first court, the queued freeze takes effect on the agency's signed report, and the trail shows it", async () => {
    const released = await t.gql(
      RELEASE_MEASURE,
      {
        input: {
          measureId: ids[FIRST],
          notice: { number: noticeNumber(FIRST), date: today() },
          decision: panel(today(), `（2024）豫0225执${held.serial}号之二`),
        },
      },
      tokens[FIRST],
    );
    expect(released.errors).toBeUndefined();
    await untilStatus(FIRST, ids[FIRST], "RELEASED");
    const effective = await untilStatus(SECOND, ids[SECOND], "EFFECTIVE");
    expect(effective.agencyReference).toMatch(/^冻\d{14}$/);
    await t.hub.sealAudit();
    const second = await auditTrail(t, tokens[SECOND], cases[SECOND].caseNumber);
    expect(second.filter((r) => r.subjectId === ids[SECOND]).map((r) => r.action)).toEqual(["MEASURE_ORDERED", "MEASURE_TOOK_EFFECT"]);
    const first = await auditTrail(t, tokens[FIRST], cases[FIRST].caseNumber);
    expect(first.filter((r) => r.subjectId === ids[FIRST]).map((r) => r.action)).toEqual(["MEASURE_ORDERED", "MEASURE_RELEASE_ORDERED"]);
  });
});

describe("住房公积金管理条例 art. 24, 查扣冻规定 art. 3: a provident fund deduction", () => {
  const fundIds: Record<string, string> = {};

  it("without a withdrawal ground on the centre's file is refused PROVIDENT_FUND_NOT_WITHDRAWABLE, nothing sent", async () => {
    const fund = (overrides: Record<string, unknown> = {}) =>
      order(FIRST, noGroundCase, withoutGround.idNumber, withoutGround.fund.accountNumber, 51, overrides);
    const frozen = await t.gql(ORDER_MEASURE, { input: fund({ value: "1000.00" }) }, tokens[FIRST]);
    expect(frozen.errors).toBeUndefined();
    fundIds.noGround = frozen.data.orderMeasure.measure.id;
    await untilStatus(FIRST, fundIds.noGround, "EFFECTIVE");
    expect(
      await refusedWithoutTrace(fund({ kind: "DEDUCT", value: "100.00", expiresOn: today(), necessitiesReserve: "500.00" })),
    ).toMatchObject({
      code: "PROVIDENT_FUND_NOT_WITHDRAWABLE",
    });
  });

  it("on a ground, without the necessities it leaves or leaving less, is refused; within them it is carried out", async () => {
    // The second court's freeze of the fund took effect above, when the first court released its own.
    const [held] = BALANCES.filter((b) => b.agency === "PROVIDENT_FUND");
    const deduct = (overrides: Record<string, unknown>) =>
      order(SECOND, cases[SECOND], withGround.idNumber, held.identifier, 61, { kind: "DEDUCT", expiresOn: today(), ...overrides });
    expect(await refusedWithoutTrace(deduct({ value: "100.00" }), tokens[SECOND])).toMatchObject({
      code: "PROVIDENT_FUND_RESERVE_REQUIRED",
    });
    // Leave all but 500.00 of the balance the centre reported: 500.01 is a cent too much, 400.00 is within.
    const reserve = (Number(held.balance) - 500).toFixed(2);
    expect(await refusedWithoutTrace(deduct({ value: "500.01", necessitiesReserve: reserve }), tokens[SECOND])).toMatchObject({
      code: "PROVIDENT_FUND_RESERVE_NOT_LEFT",
      necessitiesReserve: reserve,
      excess: "0.01",
    });
    const ordered = await t.gql(ORDER_MEASURE, { input: deduct({ value: "400.00", necessitiesReserve: reserve }) }, tokens[SECOND]);
    expect(ordered.errors).toBeUndefined();
    expect(await untilStatus(SECOND, ordered.data.orderMeasure.measure.id, "EFFECTIVE")).toMatchObject({
      kind: "DEDUCT",
      value: "400.00",
    });
    await t.hub.sealAudit();
    const trail = await auditTrail(t, tokens[SECOND], cases[SECOND].caseNumber);
    expect(trail.find((r) => r.subjectId === ordered.data.orderMeasure.measure.id && r.action === "MEASURE_ORDERED")).toMatchObject({
      detail: { kind: "DEDUCT", necessitiesReserve: reserve },
    });
  });
});
