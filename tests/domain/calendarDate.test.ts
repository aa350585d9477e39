import { describe, expect, it } from "vitest";
import { isCalendarDate, todayInChina } from "../../domain/calendarDate.js";

describe("Gregorian calendar dates (YYYY-MM-DD)", () => {
  it.each(["2024-02-29", "2000-02-29", "1900-01-01", "2023-12-31"])("accepts %s", (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  it.each([
    "2023-02-29",
    "1900-02-29",
    "2024-04-31",
    "2024-13-01",
    "2024-00-10",
    "2024-01-00",
    "2024-1-01",
    "20240101",
    "2024-01-01T00:00",
    "",
  ])("rejects %j", (value) => {
    expect(isCalendarDate(value)).toBe(false);
  });
});

describe("today in China (UTC+8, no daylight saving)", () => {
  it("is already tomorrow from 16:00 UTC", () => {
    expect(todayInChina(new Date("2024-12-31T15:59:59Z"))).toBe("2024-12-31");
    expect(todayInChina(new Date("2024-12-31T16:00:00Z"))).toBe("2025-01-01");
  });
});
