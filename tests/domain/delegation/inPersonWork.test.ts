import { describe, expect, it } from "vitest";
import { checkInPersonWork } from "../../../domain/delegation/inPersonWork.js";

describe(
  "Henan High Court supervision opinion, item 18, and the Nanzhao court enforcement minutes (2020) " +
    "(未委托的必须经局长审查批准): in-person work out of the province",
  () => {
    it("an asset in another province needs the director's approval for that province", () => {
      expect(checkInPersonWork({ courtProvince: "41", assetProvince: "34", approvals: [] })).toMatchObject({
        ok: false,
        code: "OUT_OF_JURISDICTION_NEEDS_APPROVAL",
        courtProvince: "41",
        assetProvince: "34",
      });
      expect(
        checkInPersonWork({ courtProvince: "41", assetProvince: "34", approvals: [{ province: "42", approvalNumber: "局批1" }] }),
      ).toMatchObject({ ok: false });
      expect(
        checkInPersonWork({ courtProvince: "41", assetProvince: "34", approvals: [{ province: "34", approvalNumber: "局批2" }] }),
      ).toEqual({
        ok: true,
        approval: { province: "34", approvalNumber: "局批2" },
      });
    });

    it("work in the court's own province, or on an asset with no known place, needs none", () => {
      expect(checkInPersonWork({ courtProvince: "41", assetProvince: "41", approvals: [] })).toEqual({ ok: true, approval: null });
      expect(checkInPersonWork({ courtProvince: "41", assetProvince: undefined, approvals: [] })).toEqual({ ok: true, approval: null });
    });
  },
);
