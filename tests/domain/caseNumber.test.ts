import { describe, expect, it } from "vitest";
import { parseCaseNumber } from "../../domain/caseNumber.js";

// 最高人民法院关于人民法院案件案号的若干规定 (法〔2015〕137号, amended 法〔2018〕335号):
// art. 3 layout "（" + year + "）" + court code + kind + serial + "号"; art. 4 higher courts coded by
// the province abbreviation (内 for Inner Mongolia, 兵 for the Production and Construction Corps);
// art. 5 intermediate courts add 2 digits, basic courts 4.

const TODAY = "2024-06-01";

describe("enforcement case number (法〔2015〕137号)", () => {
  it("reads （2024）豫0225执123号", () => {
    expect(parseCaseNumber("（2024）豫0225执123号", TODAY)).toEqual({
      ok: true,
      value: {
        caseNumber: "（2024）豫0225执123号",
        year: 2024,
        courtCode: "豫0225",
        kind: "ENFORCEMENT",
        serial: 123,
        divisionCode: "410225",
      },
    });
  });

  it("reads a higher court's （2024）豫执12号, coded by the province abbreviation alone (art. 4)", () => {
    expect(parseCaseNumber("（2024）豫执12号", TODAY)).toEqual({
      ok: true,
      value: { caseNumber: "（2024）豫执12号", year: 2024, courtCode: "豫", kind: "ENFORCEMENT", serial: 12, divisionCode: "410000" },
    });
  });

  it.each(["(2024)豫0225执123号", "（2024)豫0225执123号", "(2024）豫0225执123号"])(
    "normalises half-width parentheses in %s to full-width",
    (value) => {
      expect(parseCaseNumber(value, TODAY)).toMatchObject({ ok: true, value: { caseNumber: "（2024）豫0225执123号" } });
    },
  );

  it.each([
    ["执", "ENFORCEMENT"],
    ["执恢", "RESUMED"],
    ["执保", "PRESERVATION"],
  ])("reads kind %s as %s", (kindText, kind) => {
    expect(parseCaseNumber(`（2023）皖0102${kindText}7号`, TODAY)).toMatchObject({
      ok: true,
      value: { kind, caseNumber: `（2023）皖0102${kindText}7号` },
    });
  });

  it.each([
    ["豫02", "410200", "an intermediate court"],
    ["豫0225", "410225", "a basic court"],
    ["豫71", "417100", "a special intermediate court (railway)"],
    ["皖0102", "340102", "Anhui"],
    ["内0523", "150523", "Inner Mongolia, coded 内"],
    ["黔0102", "520102", "Guizhou, coded 黔"],
    ["新01", "650100", "Xinjiang"],
    ["兵0101", "660101", "a Production and Construction Corps court"],
    ["京0491", "110491", "Beijing"],
  ])("derives the division code of %s as %s (%s)", (courtCode, divisionCode) => {
    expect(parseCaseNumber(`（2024）${courtCode}执1号`, TODAY)).toMatchObject({
      ok: true,
      value: { courtCode, divisionCode },
    });
  });

  it("accepts every province that has people's courts", () => {
    for (const abbreviation of "京津冀晋内辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔云藏陕甘青宁新兵") {
      expect(parseCaseNumber(`（2024）${abbreviation}01执1号`, TODAY).ok, abbreviation).toBe(true);
    }
  });

  it("accepts filing years from 1990 to next year", () => {
    expect(parseCaseNumber("（1990）豫0225执1号", TODAY).ok).toBe(true);
    expect(parseCaseNumber("（2025）豫0225执1号", TODAY).ok).toBe(true);
  });

  it("keeps large serials", () => {
    expect(parseCaseNumber("（2024）粤0306执123456号", TODAY)).toMatchObject({ ok: true, value: { serial: 123456 } });
  });

  describe("refuses", () => {
    it.each([
      "2024豫0225执123号",
      "【2024】豫0225执123号",
      "（24）豫0225执123号",
      "（２０２４）豫0225执123号",
      " （2024）豫0225执123号",
      "",
    ])("%j, which does not start with the year in parentheses", (value) => {
      expect(parseCaseNumber(value, TODAY)).toEqual({
        ok: false,
        reason: "case number must start with the four-digit filing year in parentheses, e.g. （2024）",
      });
    });

    it.each([
      ["1989", "1989 is outside 1990 to 2025"],
      ["2026", "2026 is outside 1990 to 2025"],
    ])("filing year %s", (year, message) => {
      expect(parseCaseNumber(`（${year}）豫0225执1号`, TODAY)).toEqual({ ok: false, reason: `filing year ${message}` });
    });

    it("a filing year after next year by default measured against the current date", () => {
      expect(parseCaseNumber("（2999）豫0225执1号")).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/^filing year 2999 is outside 1990 to \d{4}$/),
      });
    });

    it.each(["（2024）豫0225执123", "（2024）豫0225执123號", "（2024）豫0225执123号 "])("%j, which does not end with 号", (value) => {
      expect(parseCaseNumber(value, TODAY)).toEqual({ ok: false, reason: "case number must end with 号" });
    });

    it.each(["（2024）豫0225执12三号", "（2024）豫0225执1-2号", "（2024）豫02-25执1号", "（2024）号"])(
      "%j, which is not court code, kind and serial",
      (value) => {
        expect(parseCaseNumber(value, TODAY)).toEqual({
          ok: false,
          reason: "case number must be the court code, the case kind and the serial between the year and 号",
        });
      },
    );

    it.each(["蒙", "贵", "滇", "台", "港", "澳", "最", "军", "A"])("court code beginning with %s", (abbreviation) => {
      expect(parseCaseNumber(`（2024）${abbreviation}0225执1号`, TODAY)).toEqual({
        ok: false,
        reason: `court code must begin with a province abbreviation (京津冀晋内辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔云藏陕甘青宁新兵), got ${abbreviation}`,
      });
    });

    it.each([
      ["豫0", "one digit"],
      ["豫021", "three digits"],
      ["豫02251", "five digits"],
    ])("court code %s (%s)", (courtCode) => {
      expect(parseCaseNumber(`（2024）${courtCode}执1号`, TODAY)).toEqual({
        ok: false,
        reason: `court code ${courtCode} must be the province abbreviation alone or followed by 2 or 4 digits`,
      });
    });

    it("a missing kind, which runs the serial into the court code", () => {
      expect(parseCaseNumber("（2024）豫0225123号", TODAY)).toEqual({
        ok: false,
        reason: "court code 豫0225123 must be the province abbreviation alone or followed by 2 or 4 digits",
      });
    });

    it.each(["执异", "执复", "执监", "执协", "民初", "执恢保", "恢"])("kind %s", (kindText) => {
      expect(parseCaseNumber(`（2024）豫0225${kindText}1号`, TODAY)).toEqual({
        ok: false,
        reason: `case kind ${kindText} is not accepted; allowed kinds are 执 (ENFORCEMENT), 执恢 (RESUMED), 执保 (PRESERVATION)`,
      });
    });

    it.each([
      ["0", "（2024）豫0225执0号"],
      ["0123", "（2024）豫0225执0123号"],
      ["(none)", "（2024）豫0225执号"],
    ])("serial %s", (serial, value) => {
      expect(parseCaseNumber(value, TODAY)).toEqual({
        ok: false,
        reason: `serial ${serial} must be a positive integer without leading zeros`,
      });
    });

    it.each(["2147483648", "12345678901234567890"])("serial %s, beyond what records hold", (serial) => {
      expect(parseCaseNumber(`（2024）豫0225执${serial}号`, TODAY)).toEqual({
        ok: false,
        reason: `serial ${serial} is above 2147483647`,
      });
    });

    it("keeps the largest serial records hold", () => {
      expect(parseCaseNumber("（2024）豫0225执2147483647号", TODAY)).toMatchObject({ ok: true, value: { serial: 2147483647 } });
    });
  });
});
