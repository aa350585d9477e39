import { describe, expect, it } from "vitest";
import { parsePassport } from "../../../domain/identity/passport.js";

describe("foreigners' passports (ICAO Doc 9303)", () => {
  it("keeps the number (at most nine characters, part 4) and the three-letter nationality (part 3)", () => {
    expect(parsePassport("e1234 5678", "usa")).toEqual({ ok: true, value: { number: "E12345678", nationality: "USA" } });
    expect(parsePassport("C01X00T47", "D")).toMatchObject({ ok: true, value: { nationality: "D" } });
  });

  it("refuses a number too long or a nationality not in ICAO's form", () => {
    expect(parsePassport("E123456789", "USA")).toMatchObject({ ok: false });
    expect(parsePassport("E1234567", "US")).toMatchObject({ ok: false, reason: expect.stringContaining("ICAO 9303 part 3") });
    expect(parsePassport("E1234567", null)).toMatchObject({ ok: false });
  });

  it("does not identify a Chinese citizen, who has a citizen identity number (居民身份证法 art. 3)", () => {
    expect(parsePassport("E12345678", "CHN")).toMatchObject({ ok: false, reason: expect.stringContaining("居民身份证法 art. 3") });
  });
});
