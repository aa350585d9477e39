/**
 * Withholding income (扣留、提取收入, 民事诉讼法 2023 art. 254) through the social insurance agency (人社): the first
 * national inquiry finds the debtor's wage and its payer; an order that would leave the debtor and the dependants less
 * than their necessities (the local minimum living standard each, 查扣冻规定 2020 art. 3) is refused, nothing written or
 * sent; an order in effect withholds each month, each month's withholding a deduction toward the claim, and ends at its
 * total; a release stops it. The agency is the sandbox's, whose paydays the test calls.
 */
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signHmacSm3 } from "../../../connectors/signature.js";
import { todayInChina } from "../../../domain/calendarDate.js";
import { debtorProfile, type IncomeSource } from "../../../sandbox/debtorProfile.js";
import { DEFAULT_SANDBOX_SECRET } from "../../../sandbox/index.js";
import { residentId } from "../../support/identities.js";
import {
  MEASURE,
  ORDER_MEASURE,
  RELEASE_MEASURE,
  footprint,
  noticeNumber,
  panel,
  quiet,
  refusalOf,
  registerCase,
  type RegisteredCase,
} from "../../support/measures.js";
import { eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const COURT = "豫0225";
const STANDARD = "650.00";
const DEPENDANTS = 2;

/** A person paid a wage the national agency knows, nobody withholding it yet, of at least 6,000 yuan a month. */
function wageEarner(): { idNumber: string; wage: IncomeSource } {
  for (;;) {
    const idNumber = residentId();
    const wage = debtorProfile(idNumber).incomes.find(
      (i) => i.kind === "WAGE" && i.withholdings.length === 0 && Number(i.monthlyAmount) >= 6000,
    );
    if (wage) return { idNumber, wage };
  }
}

const { idNumber, wage } = wageEarner();
const identifier = `GZ-${wage.payerCode}`;
const necessities = 650 * (1 + DEPENDANTS);
const withholdable = (Number(wage.monthlyAmount) - necessities).toFixed(2);
const today = todayInChina();
/** The YYYY-MM `k` months before this one. */
const monthsAgo = (k: number) => {
  const [year, month] = today.split("-").map(Number);
  const d = new Date(Date.UTC(year, month - 1 - k, 1));
  return d.toISOString().slice(0, 7);
};

let t: TestHub;
let token: string;
const cases: RegisteredCase[] = [];

beforeAll(async () => {
  t = await startTestHub();
  token = await t.token(COURT);
  cases.push(await registerCase(t, token, { court: COURT, debtor: idNumber, claimAmount: "10000" }));
  cases.push(await registerCase(t, token, { court: COURT, debtor: idNumber, claimAmount: "50000" }));
  await quiet(t);
}, 60_000);
afterAll(() => t?.close());

function withholdingOrder(c: RegisteredCase, monthlyAmount: string, value: string) {
  return {
    caseNumber: c.caseNumber,
    debtorIdNumber: idNumber,
    kind: "WITHHOLD",
    assetId: c.assetIds.get(identifier),
    value,
    // From the first of the month three months ago, so the paydays the test calls are not after today.
    startsOn: `${monthsAgo(3)}-01`,
    expiresOn: `${monthsAgo(-12)}-28`,
    notice: { number: noticeNumber(COURT), date: today },
    decision: panel(today, `（2026）${COURT}执${Math.floor(Math.random() * 9000) + 1000}号`),
    withholding: { monthlyAmount, dependants: DEPENDANTS, minimumLivingStandard: STANDARD },
  };
}

const payroll = async (month: string) => {
  const reply = await request(`${t.sandbox.agencies.SOCIAL_INSURANCE.url}/_sandbox/payroll`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ month, payday: `${month}-10` }),
  });
  return (await reply.body.json()) as { reported: { serialNo: string; amount: string }[] };
};

const DEDUCTIONS = `query Deductions($caseNumber: String!) { case(caseNumber: $caseNumber) { measures(first: 100) {
  edges { node { kind value deductsFrom } } } } }`;

/** The month's withholdings under the order, as the case's deductions (划拨) show them. */
const withheldBy = async (c: RegisteredCase, measureId: string) => {
  const result = await t.gql(DEDUCTIONS, { caseNumber: c.caseNumber }, token);
  return (result.data.case.measures.edges as { node: { kind: string; deductsFrom: string | null; value: string } }[])
    .map((e) => e.node)
    .filter((m) => m.kind === "DEDUCT" && m.deductsFrom === measureId)
    .map((m) => m.value)
    .sort();
};
const statusOf = async (id: string) => (await t.gql(MEASURE, { id }, token)).data.measure.status as string;

describe("withholding income through the social insurance agency", () => {
  it("the first national inquiry found the wage under its payer", () => {
    expect(cases[0].assetIds.get(identifier)).toBeDefined();
  });

  it("民事诉讼法 (2023) art. 254: leaving less than the necessities is refused, naming field and rule, nothing sent", async () => {
    const before = await footprint(t);
    const over = (Number(withholdable) + 0.01).toFixed(2);
    const refusal = refusalOf(await t.gql(ORDER_MEASURE, { input: withholdingOrder(cases[0], over, "10000") }, token));
    expect(refusal).toMatchObject({
      code: "WITHHOLDING_LEAVES_LESS_THAN_NECESSITIES",
      field: "withholding.monthlyAmount",
      monthlyIncome: wage.monthlyAmount,
      necessities: necessities.toFixed(2),
      withholdable,
      requested: over,
    });
    await quiet(t);
    expect(await footprint(t)).toEqual(before);
  });

  it("a total beyond what is owed is refused, and an order without its withholding terms too", async () => {
    const before = await footprint(t);
    expect(refusalOf(await t.gql(ORDER_MEASURE, { input: withholdingOrder(cases[0], "1000", "10000.01") }, token))).toMatchObject({
      code: "WITHHOLDING_EXCEEDS_OUTSTANDING",
      field: "value",
    });
    const { withholding: _terms, ...bare } = withholdingOrder(cases[0], "1000", "10000");
    expect(refusalOf(await t.gql(ORDER_MEASURE, { input: bare }, token))).toMatchObject({ field: "withholding" });
    expect(await footprint(t)).toEqual(before);
  });

  it("monthly withholdings accumulate as deductions toward the claim and stop at the order's total", async () => {
    const ordered = await t.gql(ORDER_MEASURE, { input: withholdingOrder(cases[0], "4000", "10000") }, token);
    expect(ordered.errors).toBeUndefined();
    const id = ordered.data.orderMeasure.measure.id as string;
    expect(ordered.data.orderMeasure.measure).toMatchObject({ kind: "WITHHOLD", agency: "SOCIAL_INSURANCE", assetCategory: "INCOME" });
    await eventually(
      () => statusOf(id),
      (s) => s === "EFFECTIVE",
    );

    for (const [k, expected] of [
      [3, ["4000.00"]],
      [2, ["4000.00", "4000.00"]],
    ] as const) {
      expect((await payroll(monthsAgo(k))).reported).toHaveLength(1);
      await eventually(
        () => withheldBy(cases[0], id),
        (v) => v.length === expected.length,
      );
      expect(await withheldBy(cases[0], id)).toEqual(expected);
      expect(await statusOf(id)).toBe("EFFECTIVE");
    }
    expect((await payroll(monthsAgo(1))).reported).toEqual([expect.objectContaining({ amount: "2000.00" })]);
    await eventually(
      () => statusOf(id),
      (s) => s === "COMPLETED",
    );
    expect(await withheldBy(cases[0], id)).toEqual(["2000.00", "4000.00", "4000.00"]);
    // The payer stops too: the next payday withholds nothing under it.
    expect((await payroll(monthsAgo(0))).reported).toEqual([]);

    // A report repeated for a month already recorded changes nothing.
    const [apply] = await t.hub.db.sql.query<{ key: string }>(`SELECT apply_request_id::text AS key FROM measure WHERE id = $1::uuid`, [
      id,
    ]);
    const body = JSON.stringify({
      msg_type: "MONTHLY_WITHHOLDING",
      order_serial_no: apply.key,
      month: monthsAgo(1),
      amount: "2000.00",
      withheld_on: `${monthsAgo(1)}-10`,
      transfer_no: "TK-REPEATED",
    });
    const repeated = await request(`${t.hub.url}/agency-callbacks/SOCIAL_INSURANCE/measures`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-signature": signHmacSm3(DEFAULT_SANDBOX_SECRET, body) },
      body,
    });
    await repeated.body.dump();
    expect(repeated.statusCode).toBeLessThan(300);
    expect(await withheldBy(cases[0], id)).toEqual(["2000.00", "4000.00", "4000.00"]);
  });

  it("a release stops the withholding: what was withheld stays paid, nothing more is taken", async () => {
    const ordered = await t.gql(ORDER_MEASURE, { input: withholdingOrder(cases[1], "1000", "50000") }, token);
    expect(ordered.errors).toBeUndefined();
    const id = ordered.data.orderMeasure.measure.id as string;
    await eventually(
      () => statusOf(id),
      (s) => s === "EFFECTIVE",
    );
    await payroll(monthsAgo(2));
    await eventually(
      () => withheldBy(cases[1], id),
      (v) => v.length === 1,
    );

    const released = await t.gql(
      RELEASE_MEASURE,
      { input: { measureId: id, notice: { number: noticeNumber(COURT), date: today }, decision: panel(today, `（2026）${COURT}执解1号`) } },
      token,
    );
    expect(released.errors).toBeUndefined();
    await eventually(
      () => statusOf(id),
      (s) => s === "RELEASED",
    );
    expect((await payroll(monthsAgo(1))).reported).toEqual([]);
    await quiet(t);
    expect(await withheldBy(cases[1], id)).toEqual(["1000.00"]);
  });
});
