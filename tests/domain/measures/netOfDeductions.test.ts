import { describe, expect, it } from "vitest";
import { netOfDeductions } from "../../../domain/measures/netOfDeductions.js";

const claim = { claimAmount: "100000.00", costs: "1000.00" };

describe("查扣冻规定 2020 art. 19 and art. 28 item 4, 民事诉讼法 2023 art. 253: deductions (划拨) leave the debtor and pay the debt", () => {
  it("a freeze holds its amount less what was deducted from it; the debt falls by the same", () => {
    expect(netOfDeductions({ ...claim, measures: [{ value: "50000.00", deducted: "20000.00" }, { value: "10000.00" }] })).toEqual({
      ok: true,
      figures: { claimAndCosts: 10_100_000n, held: 4_000_000n, deducted: 2_000_000n, outstanding: 8_100_000n },
    });
  });

  it("a freeze no longer in force holds nothing, but what was deducted from it has paid the debt", () => {
    expect(netOfDeductions({ ...claim, measures: [{ value: "50000.00", deducted: "30000.00", inForce: false }] })).toMatchObject({
      figures: { held: 0n, deducted: 3_000_000n, outstanding: 7_100_000n },
    });
  });

  it("takes what is still owed from the claim statement when given (interest and payments counted, 法释〔2014〕8号)", () => {
    const measures = [{ value: "50000.00", deducted: "20000.00" }];
    expect(netOfDeductions({ ...claim, measures, outstanding: "60525.50" })).toMatchObject({
      figures: { held: 3_000_000n, deducted: 2_000_000n, outstanding: 6_052_550n },
    });
    expect(netOfDeductions({ ...claim, measures, outstanding: "-1" })).toMatchObject({ ok: false, code: "INVALID_AMOUNT" });
  });

  it("deductions beyond claim plus costs leave nothing owed, not a negative debt", () => {
    expect(netOfDeductions({ claimAmount: "100.00", costs: "0", measures: [{ value: "120.00", deducted: "120.00" }] })).toMatchObject({
      figures: { held: 0n, deducted: 12_000n, outstanding: 0n },
    });
  });

  it("refuses records deducting more than a freeze held (deduction.ts never allows it), and invalid amounts", () => {
    expect(netOfDeductions({ ...claim, measures: [{ value: "100.00", deducted: "100.01" }] })).toMatchObject({
      ok: false,
      code: "DEDUCTED_EXCEEDS_FROZEN",
      frozenAmount: "100.00",
      alreadyDeducted: "100.01",
    });
    expect(netOfDeductions({ ...claim, measures: [{ value: "100.00", deducted: "1.001" }] })).toMatchObject({
      ok: false,
      code: "INVALID_AMOUNT",
      field: "deducted from measure #1",
    });
  });
});
