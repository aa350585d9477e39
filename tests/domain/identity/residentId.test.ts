import { describe, expect, it } from "vitest";
import { parseResidentId } from "../../../domain/identity/residentId.js";

// Independent oracle for the GB 11643-1999 check character: the standard defines weight
// W_i = 2^(i-1) mod 11 for position i counted from the right (the check character is i = 1)
// and chooses the check value a_1 so that the weighted sum is 1 mod 11; 10 is written X.
function withCheckDigit(body17: string): string {
  let sum = 0;
  for (let p = 0; p < 17; p++) sum += Number(body17[p]) * (2 ** (17 - p) % 11);
  const a1 = (12 - (sum % 11)) % 11;
  return body17 + (a1 === 10 ? "X" : String(a1));
}

const TODAY = "2024-06-01";

describe("GB 11643-1999 resident ID number", () => {
  it("accepts the standard's own example 11010519491231002X", () => {
    expect(parseResidentId("11010519491231002X", TODAY)).toEqual({
      ok: true,
      value: { holder: "CITIZEN", idNumber: "11010519491231002X", divisionCode: "110105", birthDate: "1949-12-31", sex: "FEMALE" },
    });
  });

  it("the test oracle agrees with the standard's examples", () => {
    expect(withCheckDigit("11010519491231002")).toBe("11010519491231002X");
    expect(withCheckDigit("44052418800101001")).toBe("440524188001010014");
  });

  it("accepts a lower-case x and normalises it to X", () => {
    const result = parseResidentId("11010519491231002x", TODAY);
    expect(result).toMatchObject({ ok: true, value: { idNumber: "11010519491231002X" } });
  });

  it("reads sex from the 17th digit: odd is male, even is female", () => {
    const male = withCheckDigit("41022519800229001");
    expect(parseResidentId(male, TODAY)).toMatchObject({
      ok: true,
      value: { divisionCode: "410225", birthDate: "1980-02-29", sex: "MALE" },
    });
    const female = withCheckDigit("34010220000101008");
    expect(parseResidentId(female, TODAY)).toMatchObject({ ok: true, value: { sex: "FEMALE" } });
  });

  it("accepts every GB/T 2260 province, including 71, 81 and 82", () => {
    for (const province of ["11", "15", "23", "37", "46", "50", "54", "65", "71", "81", "82"]) {
      const id = withCheckDigit(`${province}0000199001010010`.slice(0, 17));
      expect(parseResidentId(id, TODAY).ok, id).toBe(true);
    }
  });

  it("accepts someone born today", () => {
    expect(parseResidentId(withCheckDigit("41022520240601001"), TODAY).ok).toBe(true);
  });

  describe("refuses", () => {
    it.each([
      ["a first-generation 15-digit number", "110105491231002", "resident ID number must be 18 characters, got 15"],
      ["19 characters", "11010519491231002X1", "resident ID number must be 18 characters, got 19"],
      ["an empty string", "", "resident ID number must be 18 characters, got 0"],
    ])("%s", (_, value, reason) => {
      expect(parseResidentId(value, TODAY)).toEqual({ ok: false, reason });
    });

    it.each([
      ["a letter other than X at the end", "11010519491231002A"],
      ["X before the last position", "1101051949123100X2"],
      ["full-width digits", "１１０１０５１９４９１２３１００２Ｘ"],
      ["a space", "110105 9491231002X"],
    ])("%s", (_, value) => {
      expect(parseResidentId(value, TODAY)).toEqual({
        ok: false,
        reason: "resident ID number must be 17 digits followed by a digit or X",
      });
    });

    it.each(["00", "10", "16", "20", "24", "30", "38", "40", "47", "55", "60", "66", "70", "72", "80", "83", "99"])(
      "division code starting with %s, which is no GB/T 2260 province",
      (province) => {
        const id = withCheckDigit(`${province}010519491231002`);
        expect(parseResidentId(id, TODAY)).toEqual({
          ok: false,
          reason: `division code ${province}0105 does not start with a GB/T 2260 province code`,
        });
      },
    );

    it.each([
      ["19490230", "30 February"],
      ["20010229", "29 February in a common year"],
      ["19001301", "month 13"],
      ["19490100", "day 0"],
      ["19490431", "31 April"],
    ])("birth date %s (%s)", (digits) => {
      const id = withCheckDigit(`110105${digits}002`);
      expect(parseResidentId(id, TODAY)).toEqual({ ok: false, reason: `birth date ${digits} is not a calendar date` });
    });

    it("a birth date before 1900, even with a correct check digit (GB 11643-1999 example 440524188001010014)", () => {
      expect(parseResidentId("440524188001010014", TODAY)).toEqual({
        ok: false,
        reason: "birth date 1880-01-01 is before 1900",
      });
      expect(parseResidentId(withCheckDigit("11010518991231002"), TODAY)).toEqual({
        ok: false,
        reason: "birth date 1899-12-31 is before 1900",
      });
      expect(parseResidentId(withCheckDigit("11010519000101002"), TODAY).ok).toBe(true);
    });

    it("a birth date after today", () => {
      expect(parseResidentId(withCheckDigit("41022520240602001"), TODAY)).toEqual({
        ok: false,
        reason: "birth date 2024-06-02 is in the future",
      });
    });

    it("a birth date in the future by default measured against the current date", () => {
      expect(parseResidentId(withCheckDigit("41022529990101001"))).toEqual({
        ok: false,
        reason: "birth date 2999-01-01 is in the future",
      });
    });

    it("a wrong check digit, naming the expected one", () => {
      expect(parseResidentId("110105194912310021", TODAY)).toEqual({
        ok: false,
        reason: "check digit should be X, got 1",
      });
      const valid = withCheckDigit("41022519800229001");
      const wrong = valid.slice(0, 17) + (valid[17] === "3" ? "4" : "3");
      expect(parseResidentId(wrong, TODAY)).toEqual({
        ok: false,
        reason: `check digit should be ${valid[17]}, got ${wrong[17]}`,
      });
    });

    it("a single mistyped digit, which the check digit catches", () => {
      const typo = "11010519491231003X";
      expect(parseResidentId(typo, TODAY)).toMatchObject({ ok: false, reason: expect.stringMatching(/^check digit should be/) });
    });
  });
});
