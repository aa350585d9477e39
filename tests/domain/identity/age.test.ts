import { describe, expect, it } from "vitest";
import { ageOn } from "../../../domain/identity/age.js";

// 周岁 (whole years of age), used with 失信规定 (法释〔2017〕7号), which bars listing minors as dishonest debtors.
describe("age in whole years (周岁)", () => {
  it("counts whole years", () => {
    expect(ageOn("1949-12-31", "2024-06-01")).toBe(74);
    expect(ageOn("2000-01-01", "2000-01-01")).toBe(0);
    expect(ageOn("2000-01-01", "2000-12-31")).toBe(0);
  });

  it("reaches 18 on the 18th birthday, not the day before", () => {
    expect(ageOn("2006-06-01", "2024-05-31")).toBe(17);
    expect(ageOn("2006-06-01", "2024-06-01")).toBe(18);
  });

  it("counts a year across a year end only once the birthday has passed", () => {
    expect(ageOn("2006-12-31", "2024-12-30")).toBe(17);
    expect(ageOn("2006-12-31", "2024-12-31")).toBe(18);
  });

  it("makes someone born on 29 February a year older on 1 March in common years", () => {
    expect(ageOn("2004-02-29", "2022-02-28")).toBe(17);
    expect(ageOn("2004-02-29", "2022-03-01")).toBe(18);
    expect(ageOn("2004-02-29", "2024-02-29")).toBe(20);
  });

  it.each([
    ["2004-2-29", "2024-01-01", "birth date 2004-2-29 is not a YYYY-MM-DD calendar date"],
    ["2001-02-29", "2024-01-01", "birth date 2001-02-29 is not a YYYY-MM-DD calendar date"],
    ["2004-02-28", "20240101", "date 20240101 is not a YYYY-MM-DD calendar date"],
    ["2004-02-28", "2004-02-27", "date 2004-02-27 is before birth date 2004-02-28"],
  ])("refuses %s on %s", (birthDate, date, message) => {
    expect(() => ageOn(birthDate, date)).toThrow(new RangeError(message));
  });
});
