/**
 * Claims change (民事诉讼法 2023 art. 264; 法释〔2014〕8号): the court records costs, the judgment's dates and a
 * payment through GraphQL; what is still owed drives the over-seizure limit (查扣冻规定 art. 19) and the listing bar
 * (失信规定 art. 3 item 2). A payment makes a seal clearly excessive; more costs make the same seal proportionate; once
 * in force, it covers what is owed and bars listing on ground 1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInChina } from "../../../domain/calendarDate.js";
import { addDays } from "../../../domain/measures/periodDates.js";
import { debtorWith, MEASURE, noticeNumber, ORDER_MEASURE, panel, refusalOf, registerCase, auditTrail } from "../../support/measures.js";
import { facts, LIST_DEBTOR } from "../../support/sanctions.js";
import { eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const CLAIM = `query Claim($caseNumber: String!, $asOf: String) { case(caseNumber: $caseNumber) {
  claim(asOf: $asOf) { asOf principal costs interest paid outstanding overpaid interestFrom } } }`;
const COSTS = `mutation Costs($input: CaseCostsInput!) { recordCaseCosts(input: $input) { caseNumber } }`;
const BASIS = `mutation Basis($input: InterestBasisInput!) { recordInterestBasis(input: $input) { caseNumber } }`;
const PAY = `mutation Pay($input: CasePaymentInput!) { recordPayment(input: $input) { caseNumber } }`;

const now = new Date();
let t: TestHub;
let officer: string;

beforeAll(async () => {
  t = await startTestHub({ clock: () => now });
  officer = await t.token("豫0225", ["CASE_OFFICER"], "officer-王");
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe("a case's claim changes, and the guards follow what is still owed", () => {
  it("costs, doubled interest and a payment move the over-seizure limit and the listing bar", async () => {
    const today = todayInChina(now);
    const { idNumber, flat } = debtorWith({ flat: true });
    const c = await registerCase(t, officer, { debtor: idNumber, claimAmount: "100000.00" });
    const claim = async (asOf?: string) => {
      const result = await t.gql(CLAIM, { caseNumber: c.caseNumber, asOf }, officer);
      expect(result.errors).toBeUndefined();
      return result.data.case.claim;
    };
    expect(await claim()).toMatchObject({ principal: "100000.00", costs: "0.00", interest: "0.00", outstanding: "100000.00" });

    // The performance period ended 30 days ago: 100,000 × 1.75‱ × 30 days = 525 yuan of doubled interest.
    const deadline = addDays(today, -30);
    const basis = { caseNumber: c.caseNumber, judgmentDate: addDays(today, -45), performanceDeadline: deadline };
    expect((await t.gql(BASIS, { input: basis }, officer)).errors).toBeUndefined();
    expect(
      (await t.gql(COSTS, { input: { caseNumber: c.caseNumber, costs: "1000.00", reason: "执行申请费" } }, officer)).errors,
    ).toBeUndefined();
    expect(await claim()).toMatchObject({
      costs: "1000.00",
      interest: "525.00",
      outstanding: "101525.00",
      interestFrom: addDays(deadline, 1),
    });
    // Interest grows with the days: asked for tomorrow, one day more.
    expect((await claim(addDays(today, 1))).interest).toBe("542.50");

    // Refusals are typed and write nothing: a malformed amount, another court.
    const malformed = await t.gql(PAY, { input: { caseNumber: c.caseNumber, amount: "1e3", paidOn: today, note: "转账" } }, officer);
    expect(malformed.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "amount", rule: "DECIMAL_AMOUNT" });
    const other = await t.token("豫0223", ["CASE_OFFICER"]);
    const foreign = await t.gql(PAY, { input: { caseNumber: c.caseNumber, amount: "10.00", paidOn: today, note: "转账" } }, other);
    expect(refusalOf(foreign)).toMatchObject({ code: "FORBIDDEN" });

    // A payment today: 1,000 to costs, 60,525 to the principal (法释〔2014〕8号 art. 4); 39,475 and the 525 of
    // interest are left (the part paid stops accruing today, art. 3).
    const paid = await t.gql(PAY, { input: { caseNumber: c.caseNumber, amount: "61525.00", paidOn: today, note: "银行转账" } }, officer);
    expect(paid.errors).toBeUndefined();
    expect(await claim()).toMatchObject({ paid: "61525.00", interest: "525.00", outstanding: "40000.00" });
    // The payment's note and a settlement's terms (one already breached, so it bars nothing below) are free text about
    // the debtor: sealed at rest, no plain text in the column.
    const settled = await t.gql(
      `mutation S($input: SettlementInput!) { recordSettlement(input: $input) }`,
      {
        input: { caseNumber: c.caseNumber, debtorIdNumber: idNumber, agreedOn: today, breachedOn: today, terms: "分三期还款，每期一万元" },
      },
      officer,
    );
    expect(settled.errors).toBeUndefined();
    const [raw] = await t.hub.db.sql.query<{ note: string; terms: string }>(
      `SELECT p.note, s.terms FROM case_payment p JOIN debtor_settlement s ON s.case_id = p.case_id
        JOIN enforcement_case c ON c.id = p.case_id WHERE c.case_number = $1`,
      [c.caseNumber],
    );
    expect(raw.note).toMatch(/^sm4gcm:/);
    expect(raw.note).not.toContain("银行转账");
    expect(raw.terms).toMatch(/^sm4gcm:/);
    expect(raw.terms).not.toContain("分三期");

    // A seal valued 50,000 is now clearly over the 40,000 still owed (limit 48,000 with the 20 % tolerance).
    const seal = {
      caseNumber: c.caseNumber,
      debtorIdNumber: idNumber,
      kind: "SEAL",
      assetId: c.assetIds.get(flat.certificateNumber),
      value: "50000.00",
      startsOn: today,
      expiresOn: addDays(today, 300),
      decision: panel(today),
    };
    const refused = await t.gql(ORDER_MEASURE, { input: { ...seal, notice: { number: noticeNumber(), date: today } } }, officer);
    expect(refusalOf(refused)).toMatchObject({ code: "OVER_SEIZURE", outstanding: "40000.00", limit: "48000.00" });

    // Costs assessed at 3,000 in all: 42,000 owed, limit 50,400; the same seal now passes.
    expect(
      (await t.gql(COSTS, { input: { caseNumber: c.caseNumber, costs: "3000.00", reason: "执行申请费及公告费" } }, officer)).errors,
    ).toBeUndefined();
    expect((await claim()).outstanding).toBe("42000.00");
    const ordered = await t.gql(ORDER_MEASURE, { input: { ...seal, notice: { number: noticeNumber(), date: today } } }, officer);
    expect(ordered.errors).toBeUndefined();
    await eventually(
      () => t.gql(MEASURE, { id: ordered.data.orderMeasure.measure.id }, officer),
      (r) => r.data?.measure.status === "EFFECTIVE",
    );

    // In force, it holds 50,000 against 42,000 owed: no listing on ground 1 (失信规定 art. 3 item 2).
    const listing = await t.gql(LIST_DEBTOR, { input: { ...facts(c.caseNumber, idNumber), ground: "ABLE_BUT_REFUSES" } }, officer);
    expect(refusalOf(listing)).toMatchObject({
      code: "ASSETS_UNDER_MEASURES_COVER_CLAIM",
      valueInForce: "50000.00",
      outstanding: "42000.00",
    });

    const trail = await auditTrail(t, officer, c.caseNumber);
    expect(trail.filter((row) => row.action.startsWith("CASE_") && row.action.endsWith("_RECORDED")).map((row) => row.action)).toEqual([
      "CASE_INTEREST_BASIS_RECORDED",
      "CASE_COSTS_RECORDED",
      "CASE_PAYMENT_RECORDED",
      "CASE_COSTS_RECORDED",
    ]);
  });
});
