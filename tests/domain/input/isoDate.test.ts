import { describe, expect, it } from "vitest";
import { checkIsoDate } from "../../../domain/input/isoDate.js";

const TODAY = "2026-12-07";
const decision = { notBefore: "1990-01-01", daysAhead: 0 };

describe("ISO calendar dates in a plausible range", () => {
  it.each(["1990-01-01", "2024-02-29", TODAY])("accepts %s", (value) => {
    expect(checkIsoDate(value, decision, TODAY)).toBeNull();
  });

  it.each(["1.005", "2024-2-1", "2023-02-29", "2024-13-01", "20240101", " 2024-01-01", "2024-01-01T00:00:00Z"])(
    "refuses %j, which is not a calendar date",
    (value) => {
      expect(checkIsoDate(value, decision, TODAY)?.rule).toBe("ISO_DATE");
    },
  );

  it("refuses a decision dated 1900-01-01 or tomorrow", () => {
    expect(checkIsoDate("1900-01-01", decision, TODAY)).toEqual({
      rule: "DATE_RANGE",
      reason: "must be between 1990-01-01 and 2026-12-07",
    });
    expect(checkIsoDate("2026-12-08", decision, TODAY)?.rule).toBe("DATE_RANGE");
  });

  it("lets a period end as far ahead as its field allows", () => {
    expect(checkIsoDate("2029-12-07", { notBefore: "1990-01-01", daysAhead: 3 * 366 }, TODAY)).toBeNull();
    expect(checkIsoDate("2030-12-31", { notBefore: "1990-01-01", daysAhead: 3 * 366 }, TODAY)?.rule).toBe("DATE_RANGE");
  });
});
