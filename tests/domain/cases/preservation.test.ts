import { describe, expect, it } from "vitest";
import { checkCarryOver, preservationAllows } from "../../../domain/cases/preservation.js";

describe("a preservation case (执保)", () => {
  it("does not deduct: preservation seals, seizes and freezes (民诉法解释 art. 168)", () => {
    expect(preservationAllows("PRESERVATION", "DEDUCT")).toMatchObject({
      ok: false,
      code: "PRESERVATION_CASE_LIMIT",
      work: "DEDUCT",
      rule: expect.stringContaining("民诉法解释 art. 168"),
    });
  });

  it("lists no one: the lists are for debtors who fail to perform an effective document (失信规定 art. 1)", () => {
    expect(preservationAllows("PRESERVATION", "LISTING")).toMatchObject({ ok: false, rule: expect.stringContaining("失信规定 art. 1") });
  });

  it("leaves 执 and 执恢 cases alone", () => {
    expect(preservationAllows("ENFORCEMENT", "DEDUCT")).toEqual({ ok: true });
    expect(preservationAllows("RESUMED", "LISTING")).toEqual({ ok: true });
  });
});

describe("carrying preservation over to enforcement (民诉法解释 art. 168)", () => {
  it("goes from a 执保 case to a 执 case only", () => {
    expect(checkCarryOver("PRESERVATION", "ENFORCEMENT")).toEqual({ ok: true });
    expect(checkCarryOver("ENFORCEMENT", "ENFORCEMENT")).toMatchObject({ ok: false, field: "preservationCaseNumber" });
    expect(checkCarryOver("PRESERVATION", "RESUMED")).toMatchObject({ ok: false, field: "caseNumber", rule: "民诉法解释 art. 168" });
  });
});
