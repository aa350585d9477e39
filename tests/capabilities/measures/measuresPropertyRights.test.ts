/**
 * Other property rights (其他财产权) frozen at the agency that holds them: equity (股权) at
 * the market regulator's enterprise register (企业登记), a tax refund due (应退税款) at the
 * tax bureau. The first national inquiry finds both; a freeze (冻结) may last at most 3
 * years (民诉法解释 2022 art. 485) and cannot be a seal; a second court's freeze of the
 * same right queues behind the first (查扣冻规定 2020 art. 26; for equity in the order
 * published, 股权执行规定 2021 art. 6) and takes effect, reported by the agency's signed
 * report, once the first is released. Each step is in the case's audit trail. The
 * agencies are the sandbox's, with real state.
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
const debtor = debtorWith({ equity: true, refund: true });
const cases: Record<string, RegisteredCase> = {};
const today = () => todayInChina();

const RIGHTS = [
  {
    agency: "MARKET_REGULATION",
    identifier: debtor.equity.uscc,
    value: debtor.equity.paidCapital,
    registration: /^股权冻结登记\(\d{4}\)第\d{6}号$/,
    serial: 11,
    // Equity is sold (变价), not deducted: the regulator carries out no deductions.
    deducts: false,
  },
  {
    agency: "TAX",
    identifier: debtor.refund.refundNumber,
    value: debtor.refund.amount,
    registration: /^应退税款冻结登记\(\d{4}\)第\d{6}号$/,
    serial: 21,
    deducts: true,
  },
] as const;

beforeAll(async () => {
  t = await startTestHub();
  for (const court of [FIRST, SECOND]) {
    tokens[court] = await t.token(court);
    cases[court] = await registerCase(t, tokens[court], { court, debtor: debtor.idNumber, claimAmount: "50000000" });
    for (const right of RIGHTS) {
      expect(cases[court].assetIds.get(right.identifier), `${court}'s first national inquiry found ${right.agency}'s`).toBeDefined();
    }
  }
  await quiet(t);
}, 60_000);
afterAll(() => t?.close());

function freezeOrder(court: string, right: (typeof RIGHTS)[number], notice: string, overrides: Record<string, unknown> = {}) {
  return {
    caseNumber: cases[court].caseNumber,
    debtorIdNumber: debtor.idNumber,
    kind: "FREEZE",
    assetId: cases[court].assetIds.get(right.identifier),
    startsOn: today(),
    expiresOn: lastDayOfPeriod(today(), 36),
    notice: { number: notice, date: today() },
    decision: panel(today(), `（2024）${court}执保${right.serial + (court === FIRST ? 0 : 1)}号`),
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

describe.each(RIGHTS)("freezing a right held at $agency", (right) => {
  const noticeOf: Record<string, string> = { [FIRST]: noticeNumber(FIRST), [SECOND]: noticeNumber(SECOND) };
  const ids: Record<string, string> = {};
  const agency = () => t.sandbox.agencies[right.agency];

  it("民诉法解释 2022 art. 485: a freeze one day past 36 months is refused PERIOD_TOO_LONG, nothing sent", async () => {
    const latest = lastDayOfPeriod(today(), 36);
    const refusal = await refusedWithoutTrace(freezeOrder(FIRST, right, noticeNumber(FIRST), { expiresOn: addDays(latest, 1) }));
    expect(refusal).toMatchObject({ code: "PERIOD_TOO_LONG", maximumMonths: 36, latestEndDate: latest });
  });

  it("民诉法解释 2022 art. 485: another property right is frozen, not sealed: a SEAL is refused, nothing sent", async () => {
    const seal = await refusedWithoutTrace(freezeOrder(FIRST, right, noticeNumber(FIRST), { kind: "SEAL" }));
    expect(seal).toMatchObject({ code: "KIND_NOT_APPLICABLE", kind: "SEAL", category: "OTHER_PROPERTY_RIGHT" });
  });

  it("the first court's 36-month freeze takes effect with the agency's registration number", async () => {
    const ordered = await t.gql(ORDER_MEASURE, { input: freezeOrder(FIRST, right, noticeOf[FIRST]) }, tokens[FIRST]);
    expect(ordered.errors).toBeUndefined();
    expect(ordered.data.orderMeasure.measure).toMatchObject({
      agency: right.agency,
      assetIdentifier: right.identifier,
      assetCategory: "OTHER_PROPERTY_RIGHT",
      value: right.value,
    });
    ids[FIRST] = ordered.data.orderMeasure.measure.id;
    const frozen = await untilStatus(FIRST, ids[FIRST], "EFFECTIVE");
    expect(frozen).toMatchObject({ rank: 1, expiresOn: lastDayOfPeriod(today(), 36) });
    expect(frozen.agencyReference).toMatch(right.registration);
  });

  it("a second court's freeze of the same right queues at rank 2", async () => {
    const ordered = await t.gql(ORDER_MEASURE, { input: freezeOrder(SECOND, right, noticeOf[SECOND]) }, tokens[SECOND]);
    expect(ordered.errors).toBeUndefined();
    ids[SECOND] = ordered.data.orderMeasure.measure.id;
    expect(await untilStatus(SECOND, ids[SECOND], "QUEUED")).toMatchObject({ rank: 2, agencyReference: null });
  });

  it("released by the first court, the queued freeze takes effect on the agency's signed report", async () => {
    const released = await t.gql(
      RELEASE_MEASURE,
      {
        input: {
          measureId: ids[FIRST],
          notice: { number: noticeNumber(FIRST), date: today() },
          decision: panel(today(), `（2024）豫0225执保${right.serial}号之二`),
        },
      },
      tokens[FIRST],
    );
    expect(released.errors).toBeUndefined();
    await untilStatus(FIRST, ids[FIRST], "RELEASED");
    const effective = await untilStatus(SECOND, ids[SECOND], "EFFECTIVE");
    expect(effective.rank).toBe(1);
    expect(effective.agencyReference).toMatch(right.registration);
    await eventually(
      async () => agency().stats.callbacksSent,
      (sent) => sent >= 1,
    );
  });

  it("民事诉讼法 2023 art. 253: a money claim frozen is deducted (划拨) within the freeze; equity is not deducted", async () => {
    const deduct = (value: string, notice: string) =>
      t.gql(ORDER_MEASURE, { input: { ...freezeOrder(SECOND, right, notice), kind: "DEDUCT", value, expiresOn: today() } }, tokens[SECOND]);
    if (!right.deducts) {
      expect(refusalOf(await deduct("100.00", noticeNumber(SECOND)))).toMatchObject({
        code: "AGENCY_CANNOT_CONTROL",
        agency: right.agency,
      });
      return;
    }
    const excess = refusalOf(await deduct((Number(right.value) + 1).toFixed(2), noticeNumber(SECOND)));
    expect(excess).toMatchObject({ code: "DEDUCTION_EXCEEDS_FROZEN" });
    const ordered = await deduct("100.00", noticeNumber(SECOND));
    expect(ordered.errors).toBeUndefined();
    const deducted = await untilStatus(SECOND, ordered.data.orderMeasure.measure.id, "EFFECTIVE");
    expect(deducted).toMatchObject({ kind: "DEDUCT", value: "100.00" });
    expect(deducted.agencyReference).toMatch(/^应退税款划拨登记\(\d{4}\)第\d{6}号$/);
    // The bureau's next answer gives the refund less what was deducted.
    const requested = await t.gql(
      REQUEST_INQUIRY,
      { input: { caseNumber: cases[SECOND].caseNumber, debtorIdNumber: debtor.idNumber, purpose: "查看应退税款", agencies: ["TAX"] } },
      tokens[SECOND],
    );
    expect(requested.errors).toBeUndefined();
    const done = await eventually(
      () => t.gql(INQUIRY_ASSETS, { id: requested.data.requestInquiry.id }, tokens[SECOND]),
      (r) => r.data?.inquiry.complete === true,
    );
    const refund = done.data.inquiry.parts[0].assets.find((a: any) => a.identifier === right.identifier);
    expect(refund.estimatedValue).toBe((Number(right.value) - 100).toFixed(2));
  });

  it("each case's audit trail holds its orders and, for the second, the taking effect as the agency's act", async () => {
    await t.hub.sealAudit();
    const first = await auditTrail(t, tokens[FIRST], cases[FIRST].caseNumber);
    expect(first.filter((r) => r.subjectId === ids[FIRST]).map((r) => r.action)).toEqual(["MEASURE_ORDERED", "MEASURE_RELEASE_ORDERED"]);
    const second = await auditTrail(t, tokens[SECOND], cases[SECOND].caseNumber);
    expect(second.filter((r) => r.subjectId === ids[SECOND]).map((r) => r.action)).toEqual(["MEASURE_ORDERED", "MEASURE_TOOK_EFFECT"]);
    expect(second.find((r) => r.action === "MEASURE_TOOK_EFFECT" && r.subjectId === ids[SECOND])).toMatchObject({
      actorOrg: right.agency,
      detail: { kind: "FREEZE", asset: right.identifier },
    });
  });
});

describe("the enterprise credit system publishes equity freezes (股权执行规定 2021 art. 6)", () => {
  it("a later query, by either court, shows the freeze in effect among the stake's encumbrances", async () => {
    for (const court of [FIRST, SECOND]) {
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
      const stake = done.data.inquiry.parts[0].assets.find((a: any) => a.identifier === debtor.equity.uscc);
      expect(
        stake.encumbrances.filter((e: any) => e.type === "FREEZE"),
        court,
      ).toEqual([{ type: "FREEZE", byAuthority: SECOND, reference: expect.stringContaining(SECOND), since: today(), rank: 1 }]);
    }
  });
});
