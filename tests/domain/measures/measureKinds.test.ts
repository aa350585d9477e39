import { describe, expect, it } from "vitest";
import { appliesTo, checkKindApplies, isAssetCategory, isMeasureKind } from "../../../domain/measures/measureKinds.js";

describe("民事诉讼法 (2023) art. 253, 255; 民诉法解释 2022 art. 485: which measure bears on which asset", () => {
  it.each([
    ["FREEZE", "DEPOSIT"],
    ["FREEZE", "OTHER_PROPERTY_RIGHT"],
    ["SEAL", "REAL_ESTATE"],
    ["SEAL", "MOVABLE"],
    ["SEIZE", "MOVABLE"],
    ["DEDUCT", "DEPOSIT"],
    ["DEDUCT", "OTHER_PROPERTY_RIGHT"],
  ] as const)("%s applies to %s", (kind, category) => {
    expect(appliesTo(kind, category)).toBe(true);
    expect(checkKindApplies(kind, category)).toEqual({ ok: true });
  });

  it.each([
    ["FREEZE", "REAL_ESTATE"],
    ["SEAL", "DEPOSIT"],
    ["SEIZE", "REAL_ESTATE"],
    ["DEDUCT", "MOVABLE"],
    ["DEDUCT", "REAL_ESTATE"],
  ] as const)("%s on %s is refused", (kind, category) => {
    expect(checkKindApplies(kind, category)).toMatchObject({ ok: false, code: "KIND_NOT_APPLICABLE", kind, category });
  });

  it("recognises kinds and categories", () => {
    expect(isMeasureKind("SEAL")).toBe(true);
    expect(isMeasureKind("RELEASE")).toBe(false);
    expect(isAssetCategory("REAL_ESTATE")).toBe(true);
    expect(isAssetCategory("CASH")).toBe(false);
  });
});
