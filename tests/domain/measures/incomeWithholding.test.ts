import { describe, expect, it } from "vitest";
import { checkIncomeWithholding, checkWithholdingPeriod, monthlyWithholdingCounted } from "../../../domain/measures/incomeWithholding.js";

const TERMS = {
  monthlyIncome: "6000.00",
  monthlyAmount: "2000.00",
  dependants: 2,
  minimumLivingStandard: "650.00",
  total: "20000.00",
  outstanding: "50000.00",
};

describe("民事诉讼法 (2023) art. 254 with 查扣冻规定 2020 art. 3: withholding income leaves the necessities of the debtor and dependants", () => {
  it("keeps the local minimum living standard for the debtor and each dependant, and allows the rest", () => {
    expect(checkIncomeWithholding(TERMS)).toEqual({ ok: true, necessities: "1950.00", withholdable: "4050.00" });
    expect(checkIncomeWithholding({ ...TERMS, monthlyAmount: "4050.00" })).toMatchObject({ ok: true });
  });

  it("refuses one cent more, naming the field, what must stay and what may be withheld", () => {
    expect(checkIncomeWithholding({ ...TERMS, monthlyAmount: "4050.01" })).toMatchObject({
      ok: false,
      code: "WITHHOLDING_LEAVES_LESS_THAN_NECESSITIES",
      field: "monthlyAmount",
      monthlyIncome: "6000.00",
      necessities: "1950.00",
      withholdable: "4050.00",
      requested: "4050.01",
    });
  });

  it("withholds nothing from an income at or below the necessities", () => {
    expect(checkIncomeWithholding({ ...TERMS, monthlyIncome: "1950.00", monthlyAmount: "0.01" })).toMatchObject({
      ok: false,
      code: "WITHHOLDING_LEAVES_LESS_THAN_NECESSITIES",
      withholdable: "0.00",
    });
  });

  it("keeps what the court found a person needs, never less than the standard", () => {
    expect(checkIncomeWithholding({ ...TERMS, necessitiesPerPerson: "1000.00" })).toEqual({
      ok: true,
      necessities: "3000.00",
      withholdable: "3000.00",
    });
    expect(checkIncomeWithholding({ ...TERMS, necessitiesPerPerson: "600.00" })).toMatchObject({
      ok: false,
      code: "NECESSITIES_BELOW_STANDARD",
      field: "necessitiesPerPerson",
    });
  });

  it("withholds in all no more than is owed (应当履行义务部分)", () => {
    expect(checkIncomeWithholding({ ...TERMS, total: "50000.01" })).toMatchObject({
      ok: false,
      code: "WITHHOLDING_EXCEEDS_OUTSTANDING",
      field: "value",
      excess: "0.01",
    });
  });

  it("refuses a count of dependants that is not a household", () => {
    for (const dependants of [-1, 1.5, 21]) {
      expect(checkIncomeWithholding({ ...TERMS, dependants })).toMatchObject({
        ok: false,
        code: "INVALID_DEPENDANTS",
        field: "dependants",
      });
    }
  });

  it("a period must end after it starts; no law sets its longest", () => {
    expect(checkWithholdingPeriod("2026-01-01", "2031-01-01")).toEqual({ ok: true });
    expect(checkWithholdingPeriod("2026-01-01", "2026-01-01")).toMatchObject({ ok: false, code: "END_NOT_AFTER_START" });
  });

  it("counts a month's withholding up to what the order has left and what is still owed, and completes at the total", () => {
    expect(monthlyWithholdingCounted(2000_00n, 5000_00n, 0n, 9000_00n)).toEqual({ counted: 2000_00n, excess: 0n, completes: false });
    expect(monthlyWithholdingCounted(2000_00n, 5000_00n, 4000_00n, 9000_00n)).toEqual({
      counted: 1000_00n,
      excess: 1000_00n,
      completes: true,
    });
    expect(monthlyWithholdingCounted(2000_00n, 5000_00n, 0n, 500_00n)).toEqual({ counted: 500_00n, excess: 1500_00n, completes: false });
  });
});
