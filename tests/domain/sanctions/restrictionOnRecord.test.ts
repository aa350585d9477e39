import { describe, expect, it } from "vitest";
import { checkRestrictionOnRecord } from "../../../domain/sanctions/restrictionOnRecord.js";

describe("ground 5 needs a consumption restriction on record (失信规定 art. 1 item 5; 限制消费规定 art. 1)", () => {
  it("refuses ground 5 without a restriction of the case", () => {
    expect(checkRestrictionOnRecord("VIOLATES_CONSUMPTION_RESTRICTION", 0)).toMatchObject({
      ok: false,
      code: "NO_RESTRICTION_ON_RECORD",
      ground: "VIOLATES_CONSUMPTION_RESTRICTION",
    });
  });

  it("accepts ground 5 once a restriction is on record, and other grounds without one", () => {
    expect(checkRestrictionOnRecord("VIOLATES_CONSUMPTION_RESTRICTION", 1)).toEqual({ ok: true });
    expect(checkRestrictionOnRecord("VIOLATES_PROPERTY_REPORTING", 0)).toEqual({ ok: true });
  });
});
