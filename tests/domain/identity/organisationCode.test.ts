import { describe, expect, it } from "vitest";
import { organisationCodeCheck, parseOrganisationCode } from "../../../domain/identity/organisationCode.js";

describe("organisation code (组织机构代码, GB 11714-1997)", () => {
  it("computes the check character with weights 3, 7, 9, 10, 5, 8, 4, 2 mod 11", () => {
    expect(organisationCodeCheck("12345678")).toBe("8");
    // The code inside GB 32100-2015's example credit code 91350100M000100Y43: letters count A = 10 … Z = 35.
    expect(organisationCodeCheck("M000100Y")).toBe("4");
  });

  it("accepts the printed form with its hyphen and keeps nine characters", () => {
    expect(parseOrganisationCode("12345678-8")).toEqual({ ok: true, value: "123456788" });
    expect(parseOrganisationCode("m000100y4")).toEqual({ ok: true, value: "M000100Y4" });
  });

  it("refuses a wrong check character or shape", () => {
    expect(parseOrganisationCode("12345678-9")).toMatchObject({ ok: false, reason: expect.stringContaining("check character") });
    expect(parseOrganisationCode("1234567-8")).toMatchObject({ ok: false });
  });
});
