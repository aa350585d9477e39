import { describe, expect, it } from "vitest";
import { parseCreditCode } from "../../../domain/identity/creditCode.js";

const CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY";

// Independent oracle for the GB 32100-2015 check character (GB/T 17710 hybrid system, mod 31):
// the weight of position i counted from the left (0-based) is 3^i mod 31, and the check value
// makes the weighted sum of all 18 characters a multiple of 31.
function withCheckCharacter(body17: string): string {
  let sum = 0;
  let weight = 1;
  for (const character of body17) {
    sum += CHARACTERS.indexOf(character) * weight;
    weight = (weight * 3) % 31;
  }
  return body17 + CHARACTERS[(31 - (sum % 31)) % 31];
}

describe("GB 32100-2015 unified social credit code", () => {
  it.each([
    ["91350100M000100Y43", "350100"],
    ["914403001922038216", "440300"],
    ["9144030071526726XG", "440300"],
    ["91330100716105852F", "330100"],
  ])("accepts the published enterprise code %s", (code, divisionCode) => {
    expect(parseCreditCode(code)).toEqual({
      ok: true,
      value: { creditCode: code, divisionCode, registrationAuthority: "INDUSTRY_AND_COMMERCE", organisationType: "ENTERPRISE" },
    });
  });

  it("the test oracle agrees with the published codes", () => {
    expect(withCheckCharacter("91350100M000100Y4")).toBe("91350100M000100Y43");
    expect(withCheckCharacter("9144030071526726X")).toBe("9144030071526726XG");
  });

  it("accepts lower-case letters and normalises them to upper case", () => {
    expect(parseCreditCode("9144030071526726xg")).toMatchObject({
      ok: true,
      value: { creditCode: "9144030071526726XG" },
    });
  });

  it.each([
    ["11", "ESTABLISHMENT_ADMINISTRATION", "GOVERNMENT_ORGAN"],
    ["12", "ESTABLISHMENT_ADMINISTRATION", "PUBLIC_INSTITUTION"],
    ["13", "ESTABLISHMENT_ADMINISTRATION", "MASS_ORGANISATION"],
    ["19", "ESTABLISHMENT_ADMINISTRATION", "OTHER"],
    ["21", "FOREIGN_AFFAIRS", "FOREIGN_NEWS_AGENCY"],
    ["31", "JUSTICE_ADMINISTRATION", "LAW_FIRM"],
    ["32", "JUSTICE_ADMINISTRATION", "NOTARY_OFFICE"],
    ["33", "JUSTICE_ADMINISTRATION", "LEGAL_SERVICE_OFFICE"],
    ["34", "JUSTICE_ADMINISTRATION", "FORENSIC_EXPERTISE_INSTITUTION"],
    ["35", "JUSTICE_ADMINISTRATION", "ARBITRATION_COMMISSION"],
    ["41", "CULTURE", "FOREIGN_CULTURAL_CENTRE"],
    ["51", "CIVIL_AFFAIRS", "SOCIAL_ORGANISATION"],
    ["52", "CIVIL_AFFAIRS", "PRIVATE_NON_ENTERPRISE_UNIT"],
    ["53", "CIVIL_AFFAIRS", "FOUNDATION"],
    ["61", "TOURISM", "FOREIGN_TOURISM_OFFICE"],
    ["62", "TOURISM", "HONG_KONG_MACAO_TAIWAN_TOURISM_OFFICE"],
    ["71", "RELIGIOUS_AFFAIRS", "RELIGIOUS_VENUE"],
    ["72", "RELIGIOUS_AFFAIRS", "RELIGIOUS_COLLEGE"],
    ["81", "TRADE_UNION", "TRADE_UNION"],
    ["92", "INDUSTRY_AND_COMMERCE", "INDIVIDUAL_BUSINESS"],
    ["93", "INDUSTRY_AND_COMMERCE", "FARMERS_COOPERATIVE"],
    ["A1", "MILITARY_ESTABLISHMENT", "MILITARY_PUBLIC_INSTITUTION"],
    ["N1", "AGRICULTURE", "GROUP_COLLECTIVE_ECONOMIC_ORGANISATION"],
    ["N2", "AGRICULTURE", "VILLAGE_COLLECTIVE_ECONOMIC_ORGANISATION"],
    ["N3", "AGRICULTURE", "TOWNSHIP_COLLECTIVE_ECONOMIC_ORGANISATION"],
    ["Y1", "OTHER", "OTHER"],
  ])("reads registration authority and organisation type from %s", (prefix, registrationAuthority, organisationType) => {
    const code = withCheckCharacter(`${prefix}410225MA0000001`);
    expect(parseCreditCode(code)).toEqual({
      ok: true,
      value: { creditCode: code, divisionCode: "410225", registrationAuthority, organisationType },
    });
  });

  it("accepts 100000, the division code of organisations registered by central authorities", () => {
    const code = withCheckCharacter("11100000000013127");
    expect(parseCreditCode(code)).toMatchObject({ ok: true, value: { divisionCode: "100000" } });
  });

  describe("refuses", () => {
    it.each([
      ["", 0],
      ["91350100M000100Y4", 17],
      ["91350100M000100Y431", 19],
      ["350100M000100Y4", 15],
    ])("%j: wrong length", (value, length) => {
      expect(parseCreditCode(value)).toEqual({
        ok: false,
        reason: `unified social credit code must be 18 characters, got ${length}`,
      });
    });

    it.each(["I", "O", "S", "V", "Z", "i", "-", " ", "中"])("the character %j, which is outside the charset", (character) => {
      const value = `91350100M0001${character}0Y43`;
      expect(parseCreditCode(value)).toEqual({
        ok: false,
        reason:
          `character ${character} at position 14 is not allowed; unified social credit codes use digits and letters other ` +
          `than I, O, S, V and Z`,
      });
    });

    it.each(["0", "B", "C", "M", "X"])("registration authority code %s", (authority) => {
      expect(parseCreditCode(withCheckCharacter(`${authority}1350100M000100Y4`))).toEqual({
        ok: false,
        reason: `registration authority code ${authority} is not defined; expected one of 1, 2, 3, 4, 5, 6, 7, 8, 9, A, N, Y`,
      });
    });

    it.each([
      ["9", "4", "1, 2, 3"],
      ["9", "9", "1, 2, 3"],
      ["5", "4", "1, 2, 3, 9"],
      ["Y", "2", "1"],
      ["1", "A", "1, 2, 3, 9"],
    ])("organisation type not defined for authority %s: %s", (authority, type, expected) => {
      expect(parseCreditCode(withCheckCharacter(`${authority}${type}350100M000100Y4`))).toEqual({
        ok: false,
        reason: `organisation type code ${type} is not defined for registration authority ${authority}; expected one of ${expected}`,
      });
    });

    it.each(["3501A0", "990100", "000000", "660100"])("division code %s", (divisionCode) => {
      expect(parseCreditCode(withCheckCharacter(`91${divisionCode}M000100Y4`))).toEqual({
        ok: false,
        reason: `division code ${divisionCode} is not 6 digits starting with a GB/T 2260 province code`,
      });
    });

    it("a wrong check character, naming the expected one", () => {
      expect(parseCreditCode("91350100M000100Y44")).toEqual({ ok: false, reason: "check character should be 3, got 4" });
      expect(parseCreditCode("9144030071526726X1")).toEqual({ ok: false, reason: "check character should be G, got 1" });
    });

    it("two swapped characters, which the check character catches", () => {
      expect(parseCreditCode("91350100M001000Y43")).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/^check character should be/),
      });
    });
  });
});
