import { describe, expect, it } from "vitest";
import { checkPeriod, maximumPeriodMonths } from "../../../domain/measures/maximumPeriod.js";
import { addDays, daysFromTo, lastDayOfPeriod } from "../../../domain/measures/periodDates.js";

describe("民法典 art. 201–202: counting a period in months", () => {
  it("ends on the same day of the month, the start day not counted", () => {
    expect(lastDayOfPeriod("2024-01-10", 12)).toBe("2025-01-10");
    expect(lastDayOfPeriod("2024-11-30", 3)).toBe("2025-02-28");
  });

  it("ends on the last day of the month when it has no such day (1 year from 2024-02-29 is 2025-02-28)", () => {
    expect(lastDayOfPeriod("2024-02-29", 12)).toBe("2025-02-28");
    expect(lastDayOfPeriod("2024-02-29", 48)).toBe("2028-02-29");
    expect(lastDayOfPeriod("2023-01-31", 13)).toBe("2024-02-29");
  });

  it("counts days across a leap day", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(daysFromTo("2024-02-28", "2024-03-01")).toBe(2);
    expect(daysFromTo("2024-03-01", "2024-02-28")).toBe(-2);
  });

  it("throws on a date that does not exist", () => {
    expect(() => lastDayOfPeriod("2023-02-29", 12)).toThrow(RangeError);
  });
});

describe("民诉法解释 2022 art. 485: maximum periods", () => {
  it.each([
    ["FREEZE", "DEPOSIT", 12],
    ["SEAL", "MOVABLE", 24],
    ["SEIZE", "MOVABLE", 24],
    ["SEAL", "REAL_ESTATE", 36],
    ["FREEZE", "OTHER_PROPERTY_RIGHT", 36],
  ] as const)("%s of %s: %i months", (kind, category, months) => {
    expect(maximumPeriodMonths(kind, category)).toEqual({ ok: true, months });
  });

  it("a deduction has no period", () => {
    expect(maximumPeriodMonths("DEDUCT", "DEPOSIT")).toMatchObject({ ok: false, code: "NO_PERIOD" });
  });

  it("a measure that does not apply to the asset has no period either", () => {
    expect(maximumPeriodMonths("SEIZE", "REAL_ESTATE")).toMatchObject({ ok: false, code: "KIND_NOT_APPLICABLE" });
  });

  it("a freeze of deposits for exactly 12 months is allowed", () => {
    expect(checkPeriod("FREEZE", "DEPOSIT", "2024-01-10", "2025-01-10")).toEqual({
      ok: true,
      maximumMonths: 12,
      latestEndDate: "2025-01-10",
    });
  });

  it("a freeze of deposits for 12 months and one day is refused, naming the last allowed day", () => {
    expect(checkPeriod("FREEZE", "DEPOSIT", "2024-01-10", "2025-01-11")).toMatchObject({
      ok: false,
      code: "PERIOD_TOO_LONG",
      maximumMonths: 12,
      latestEndDate: "2025-01-10",
    });
  });

  it("a 13-month freeze of deposits is refused", () => {
    expect(checkPeriod("FREEZE", "DEPOSIT", "2024-01-10", "2025-02-10")).toMatchObject({ ok: false, code: "PERIOD_TOO_LONG" });
  });

  it("a freeze from 2024-02-29 may end on 2025-02-28, not on 2025-03-01", () => {
    expect(checkPeriod("FREEZE", "DEPOSIT", "2024-02-29", "2025-02-28")).toMatchObject({ ok: true });
    expect(checkPeriod("FREEZE", "DEPOSIT", "2024-02-29", "2025-03-01")).toMatchObject({
      ok: false,
      code: "PERIOD_TOO_LONG",
      latestEndDate: "2025-02-28",
    });
  });

  it("a seal of a vehicle may last 2 years, not 2 years and a day", () => {
    expect(checkPeriod("SEAL", "MOVABLE", "2024-03-01", "2026-03-01")).toMatchObject({ ok: true });
    expect(checkPeriod("SEIZE", "MOVABLE", "2024-03-01", "2026-03-02")).toMatchObject({ ok: false, code: "PERIOD_TOO_LONG" });
  });

  it("a seal of real estate may last 3 years, ending 2027-02-28 when started 2024-02-29", () => {
    expect(checkPeriod("SEAL", "REAL_ESTATE", "2024-02-29", "2027-02-28")).toMatchObject({ ok: true, maximumMonths: 36 });
    expect(checkPeriod("FREEZE", "OTHER_PROPERTY_RIGHT", "2024-02-29", "2027-03-01")).toMatchObject({
      ok: false,
      code: "PERIOD_TOO_LONG",
    });
  });

  it("an end on or before the start is refused", () => {
    expect(checkPeriod("FREEZE", "DEPOSIT", "2024-01-10", "2024-01-10")).toMatchObject({ ok: false, code: "END_NOT_AFTER_START" });
    expect(checkPeriod("FREEZE", "DEPOSIT", "2024-01-10", "2024-01-09")).toMatchObject({ ok: false, code: "END_NOT_AFTER_START" });
  });

  it("a date that does not exist is refused", () => {
    expect(checkPeriod("FREEZE", "DEPOSIT", "2023-02-29", "2024-01-01")).toMatchObject({
      ok: false,
      code: "INVALID_DATE",
      field: "start date",
    });
  });

  it("a deduction cannot be given a period", () => {
    expect(checkPeriod("DEDUCT", "DEPOSIT", "2024-01-10", "2024-02-10")).toMatchObject({ ok: false, code: "NO_PERIOD" });
  });
});
