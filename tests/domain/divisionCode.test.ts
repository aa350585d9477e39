import { describe, expect, it } from "vitest";
import { PROVINCES, isValidDivisionCode, longestPrefixMatch, provinceOf } from "../../domain/divisionCode.js";

// GB/T 2260 province-level codes; abbreviations as used in court codes (法〔2015〕137号 art. 4).
describe("GB/T 2260 division codes", () => {
  it("lists the 34 province-level divisions, each code and abbreviation once", () => {
    expect(PROVINCES).toHaveLength(34);
    expect(new Set(PROVINCES.map((p) => p.code)).size).toBe(34);
    expect(new Set(PROVINCES.map((p) => p.abbreviation)).size).toBe(34);
    expect(PROVINCES.map((p) => p.code).join(" ")).toBe(
      "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82",
    );
  });

  it.each([
    ["410225", "41", "河南", "豫"],
    ["340102", "34", "安徽", "皖"],
    ["110105", "11", "北京", "京"],
    ["150523", "15", "内蒙古", "内"],
    ["520102", "52", "贵州", "黔"],
    ["410000", "41", "河南", "豫"],
  ])("finds the province of %s", (divisionCode, code, name, abbreviation) => {
    expect(provinceOf(divisionCode)).toEqual({ code, name, abbreviation });
    expect(isValidDivisionCode(divisionCode)).toBe(true);
  });

  it.each(["990101", "660101", "100000", "000000", "41022", "4102250", "41022A", "", "４１０２２５"])("rejects %j", (divisionCode) => {
    expect(provinceOf(divisionCode)).toBeUndefined();
    expect(isValidDivisionCode(divisionCode)).toBe(false);
  });
});

describe("longest prefix match for local-channel routing", () => {
  it("prefers the city over the province", () => {
    expect(longestPrefixMatch("410225", ["41", "4102"])).toBe("4102");
    expect(longestPrefixMatch("410225", ["4102", "41"])).toBe("4102");
  });

  it("falls back to the province outside the configured city", () => {
    expect(longestPrefixMatch("410300", ["41", "4102"])).toBe("41");
  });

  it("matches a full six-digit prefix", () => {
    expect(longestPrefixMatch("410225", ["41", "4102", "410225"])).toBe("410225");
  });

  it("returns undefined when nothing matches", () => {
    expect(longestPrefixMatch("340102", ["41", "4102"])).toBeUndefined();
    expect(longestPrefixMatch("410225", [])).toBeUndefined();
    expect(longestPrefixMatch("41", ["4102"])).toBeUndefined();
  });

  it("treats an empty prefix as a catch-all that any real prefix beats", () => {
    expect(longestPrefixMatch("340102", ["", "41"])).toBe("");
    expect(longestPrefixMatch("410225", ["", "41"])).toBe("41");
  });
});
