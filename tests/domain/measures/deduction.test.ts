import { describe, expect, it } from "vitest";
import { checkDeduction } from "../../../domain/measures/deduction.js";

describe("民事诉讼法 (2023) art. 253: a deduction never exceeds what is frozen and not yet deducted", () => {
  it("a deduction equal to the frozen amount is allowed", () => {
    expect(checkDeduction("5000.00", "0", "5000.00")).toEqual({ ok: true, remainingAfter: "0.00" });
  });

  it("one cent more than the frozen amount is refused, saying by how much", () => {
    expect(checkDeduction("5000.00", "0", "5000.01")).toMatchObject({
      ok: false,
      code: "DEDUCTION_EXCEEDS_FROZEN",
      remaining: "5000.00",
      requested: "5000.01",
      excess: "0.01",
    });
  });

  it("counts earlier deductions", () => {
    expect(checkDeduction("5000.00", "3000.50", "1999.50")).toEqual({ ok: true, remainingAfter: "0.00" });
    expect(checkDeduction("5000.00", "3000.50", "1999.51")).toMatchObject({ ok: false, code: "DEDUCTION_EXCEEDS_FROZEN", excess: "0.01" });
  });

  it("refuses a zero deduction", () => {
    expect(checkDeduction("5000.00", "0", "0.00")).toMatchObject({ ok: false, code: "DEDUCTION_NOT_POSITIVE" });
  });

  it("refuses when the records already show more deducted than frozen", () => {
    expect(checkDeduction("5000.00", "5000.01", "1")).toMatchObject({ ok: false, code: "DEDUCTED_EXCEEDS_FROZEN" });
  });

  it("refuses amounts that are not yuan with two decimals", () => {
    expect(checkDeduction("5000.00", "0", "-1")).toMatchObject({ ok: false, code: "INVALID_AMOUNT", field: "requested deduction" });
  });
});
