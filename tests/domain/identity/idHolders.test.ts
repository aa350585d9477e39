import { describe, expect, it } from "vitest";
import { convertOldResidentId } from "../../../domain/identity/oldResidentId.js";
import { checkCharacter, parseResidentId } from "../../../domain/identity/residentId.js";

const TODAY = "2026-01-01";
const withCheck = (body: string) => `${body}${checkCharacter(body)}`;

describe("identity numbers courts meet besides citizens' (GB 11643-1999 shape)", () => {
  it.each([
    ["810000", "HONG_KONG_RESIDENT"],
    ["820000", "MACAO_RESIDENT"],
    ["830000", "TAIWAN_RESIDENT"],
  ] as const)("reads a residence permit of %s as %s (国办发〔2018〕81号)", (prefix, holder) => {
    expect(parseResidentId(withCheck(`${prefix}19900101001`), TODAY)).toMatchObject({
      ok: true,
      value: { holder, birthDate: "1990-01-01", sex: "MALE" },
    });
  });

  it("reads the 2023 foreign permanent residence ID: 9, the issuing province, the nationality, the birth date", () => {
    expect(parseResidentId(withCheck("91184019850315002"), TODAY)).toMatchObject({
      ok: true,
      value: { holder: "FOREIGN_PERMANENT_RESIDENT", birthDate: "1985-03-15", sex: "FEMALE" },
    });
    expect(parseResidentId(withCheck("99984019850315002"), TODAY)).toMatchObject({ ok: false });
  });

  it("still refuses a permit number with a wrong check character", () => {
    const good = withCheck("81000019900101001");
    const bad = `${good.slice(0, 17)}${good[17] === "0" ? "1" : "0"}`;
    expect(parseResidentId(bad, TODAY).ok).toBe(false);
  });
});

describe("the old 15-digit number (GB 11643-1999 art. 4 and annex)", () => {
  it("is converted by writing the year in full and adding the check character", () => {
    expect(convertOldResidentId("110105491231002")).toEqual({ ok: true, value: "11010519491231002X" });
    expect(parseResidentId((convertOldResidentId("410225800229001") as { value: string }).value, TODAY)).toMatchObject({
      ok: true,
      value: { birthDate: "1980-02-29", sex: "MALE" },
    });
  });

  it("takes only 15 digits", () => {
    expect(convertOldResidentId("11010549123100")).toMatchObject({ ok: false });
    expect(convertOldResidentId("11010549123100X")).toMatchObject({ ok: false });
  });
});
