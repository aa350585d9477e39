import { describe, expect, it } from "vitest";
import { checkDeduction } from "../../../domain/measures/deduction.js";

/** Enough still owed that only the frozen balance bounds these deductions. */
const OWED = "1000000.00";

describe("民事诉讼法 (2023) art. 253: a deduction never exceeds what is frozen and not yet deducted", () => {
  it("a deduction equal to the frozen amount is allowed", () => {
    expect(checkDeduction("5000.00", "0", "5000.00", OWED)).toEqual({ ok: true, remainingAfter: "0.00" });
  });

  it("one cent more than the frozen amount is refused, saying by how much", () => {
    expect(checkDeduction("5000.00", "0", "5000.01", OWED)).toMatchObject({
      ok: false,
      code: "DEDUCTION_EXCEEDS_FROZEN",
      remaining: "5000.00",
      requested: "5000.01",
      excess: "0.01",
    });
  });

  it("counts earlier deductions", () => {
    expect(checkDeduction("5000.00", "3000.50", "1999.50", OWED)).toEqual({ ok: true, remainingAfter: "0.00" });
    expect(checkDeduction("5000.00", "3000.50", "1999.51", OWED)).toMatchObject({
      ok: false,
      code: "DEDUCTION_EXCEEDS_FROZEN",
      excess: "0.01",
    });
  });

  it("refuses a zero deduction", () => {
    expect(checkDeduction("5000.00", "0", "0.00", OWED)).toMatchObject({ ok: false, code: "DEDUCTION_NOT_POSITIVE" });
  });

  it("refuses when the records already show more deducted than frozen", () => {
    expect(checkDeduction("5000.00", "5000.01", "1", OWED)).toMatchObject({ ok: false, code: "DEDUCTED_EXCEEDS_FROZEN" });
  });

  it("refuses amounts that are not yuan with two decimals", () => {
    expect(checkDeduction("5000.00", "0", "-1", OWED)).toMatchObject({ ok: false, code: "INVALID_AMOUNT", field: "requested deduction" });
  });
});

describe("民事诉讼法 (2023) art. 253 para. 1 (不得超出被执行人应当履行义务的范围): nor more than is still owed", () => {
  // A freeze may hold up to claim plus the over-seizure tolerance (overSeizure.ts), more than is owed.
  it("a deduction of exactly what is still owed is allowed, from a freeze holding more", () => {
    expect(checkDeduction("12000.00", "0", "10000.00", "10000.00")).toEqual({ ok: true, remainingAfter: "2000.00" });
  });

  it("one cent more than is still owed is refused DEDUCTION_EXCEEDS_OUTSTANDING, saying by how much", () => {
    expect(checkDeduction("12000.00", "0", "10000.01", "10000.00")).toMatchObject({
      ok: false,
      code: "DEDUCTION_EXCEEDS_OUTSTANDING",
      outstanding: "10000.00",
      requested: "10000.01",
      excess: "0.01",
    });
  });

  it("nothing may be deducted once the debt is paid, whatever stays frozen", () => {
    expect(checkDeduction("12000.00", "10000.00", "0.01", "0.00")).toMatchObject({
      ok: false,
      code: "DEDUCTION_EXCEEDS_OUTSTANDING",
      excess: "0.01",
    });
  });

  it("the frozen balance is checked first: a deduction over both is refused as over the freeze", () => {
    expect(checkDeduction("5000.00", "0", "6000.00", "5500.00")).toMatchObject({
      ok: false,
      code: "DEDUCTION_EXCEEDS_FROZEN",
      excess: "1000.00",
    });
  });
});
