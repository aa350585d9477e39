/**
 * 民事诉讼法 (2023) art. 264 and 最高人民法院关于执行程序中计算迟延履行期间的债务利息适用法律若干问题的解释
 * (法释〔2014〕8号) arts. 1–4: doubled interest at 日万分之一点七五 on the unpaid money debt, from the end of the
 * performance period, each part paid stopping on its day, payments to the money debt before the doubled interest;
 * enforcement costs first (民诉法解释, 参与分配: "执行所得价款扣除执行费用").
 */
import { describe, expect, it } from "vitest";
import { claimStatement, delayStartsOn, type ClaimFacts } from "../../../domain/claims/claimStatement.js";

const base: ClaimFacts = { principal: "100000.00", costs: "0.00", judgmentDate: null, performanceDeadline: null, payments: [] };

describe("doubled interest on delay (法释〔2014〕8号 arts. 1–2)", () => {
  it("runs from the day after the performance period: 100,000 yuan × 1.75‱ × 10 days = 175 yuan", () => {
    const statement = claimStatement({ ...base, judgmentDate: "2024-01-01", performanceDeadline: "2024-01-11" }, "2024-01-21");
    expect(statement).toMatchObject({ ok: true, interest: "175.00", outstanding: "100175.00", interestFrom: "2024-01-12" });
  });

  it("owes nothing extra on the last day of the period, and runs from the effective date when no period is set (art. 2)", () => {
    expect(claimStatement({ ...base, performanceDeadline: "2024-01-11" }, "2024-01-11")).toMatchObject({ interest: "0.00" });
    expect(delayStartsOn("2024-03-01", null)).toBe("2024-03-01");
    expect(claimStatement({ ...base, judgmentDate: "2024-03-01" }, "2024-03-01")).toMatchObject({ interest: "17.50" });
  });

  it("computes nothing without the judgment's dates, and refuses a period ending before the judgment", () => {
    expect(claimStatement(base, "2030-01-01")).toMatchObject({ interest: "0.00", outstanding: "100000.00", interestFrom: null });
    expect(claimStatement({ ...base, judgmentDate: "2024-02-01", performanceDeadline: "2024-01-01" }, "2024-03-01")).toMatchObject({
      ok: false,
      code: "INTEREST_BASIS_INCONSISTENT",
    });
  });

  it("is exact to the cent, rounded once half up: 1 yuan for 3 days is 0.000525 yuan, 0.00", () => {
    expect(claimStatement({ ...base, principal: "1.00", performanceDeadline: "2024-01-01" }, "2024-01-04")).toMatchObject({
      interest: "0.00",
    });
    // 12345.67 × 175 × 365 / 1e6 = 788.5797… yuan (2024-01-01 to 2024-12-30, both counted, is 365 days)
    expect(claimStatement({ ...base, principal: "12345.67", performanceDeadline: "2023-12-31" }, "2024-12-30")).toMatchObject({
      interest: "788.58",
    });
  });
});

describe("partial performance (法释〔2014〕8号 arts. 3–4)", () => {
  const delayed = { ...base, costs: "1000.00", performanceDeadline: "2024-01-01" };

  it("applies a payment to costs first, then the principal, whose paid part stops accruing on its day (art. 3)", () => {
    // 41,000 paid on day 10: 1,000 to costs, 40,000 to principal (interest on it: 40,000 × 1.75‱ × 10 = 70).
    // The other 60,000 runs 20 days: 210. Total 280; owed 60,000 + 280.
    const statement = claimStatement({ ...delayed, payments: [{ paidOn: "2024-01-11", amount: "41000.00" }] }, "2024-01-21");
    expect(statement).toMatchObject({ ok: true, paid: "41000.00", interest: "280.00", outstanding: "60280.00", overpaid: "0.00" });
  });

  it("pays the doubled interest only after the money debt (art. 4), and keeps what is paid beyond all as overpaid", () => {
    const all = [
      { paidOn: "2024-01-11", amount: "101000.00" },
      { paidOn: "2024-02-01", amount: "200.00" },
    ];
    // Everything paid on day 10: the interest stops at 175 and is owed alone; 200 later pays it, 25 over.
    expect(claimStatement({ ...delayed, payments: all.slice(0, 1) }, "2024-12-31")).toMatchObject({
      interest: "175.00",
      outstanding: "175.00",
    });
    expect(claimStatement({ ...delayed, payments: all }, "2024-12-31")).toMatchObject({ outstanding: "0.00", overpaid: "25.00" });
  });

  it("ignores payments after the date asked, in whatever order they were recorded", () => {
    const payments = [
      { paidOn: "2024-03-01", amount: "50000.00" },
      { paidOn: "2024-01-01", amount: "1000.00" },
    ];
    expect(claimStatement({ ...delayed, payments }, "2024-02-01")).toMatchObject({ paid: "1000.00", outstanding: "100542.50" });
  });

  it("refuses an amount that is not canonical yuan", () => {
    expect(claimStatement({ ...base, payments: [{ paidOn: "2024-01-01", amount: "1e3" }] }, "2024-02-01")).toMatchObject({
      ok: false,
      code: "INVALID_AMOUNT",
    });
  });
});
