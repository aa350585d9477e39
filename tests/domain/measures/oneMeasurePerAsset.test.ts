import { describe, expect, it } from "vitest";
import { checkOneMeasurePerAsset } from "../../../domain/measures/oneMeasurePerAsset.js";

const seal = { id: "m-1", kind: "SEAL", status: "EFFECTIVE", value: "900000.00" } as const;
const freeze = (id: string, value: string) => ({ id, kind: "FREEZE", status: "REQUESTED", value }) as const;

describe("one measure per asset and case (查扣冻规定 2020 art. 19, 26; 民事诉讼法 2023 art. 253)", () => {
  it("allows the first measure on an asset", () => {
    expect(checkOneMeasurePerAsset({ kind: "SEAL", value: "900000", existing: [] })).toEqual({ ok: true });
  });

  it("refuses a second seal, naming the one in force", () => {
    expect(checkOneMeasurePerAsset({ kind: "SEAL", value: "900000", existing: [seal] })).toMatchObject({
      ok: false,
      code: "MEASURE_ALREADY_ON_ASSET",
      existingMeasureId: "m-1",
      existingKind: "SEAL",
      existingStatus: "EFFECTIVE",
    });
  });

  it("allows a further freeze of an account up to its reported balance, not a cent more", () => {
    const existing = [freeze("f-1", "10000"), freeze("f-2", "5000")];
    expect(checkOneMeasurePerAsset({ kind: "FREEZE", value: "5000", existing, balance: "20000" })).toEqual({ ok: true });
    expect(checkOneMeasurePerAsset({ kind: "FREEZE", value: "5000.01", existing, balance: "20000" })).toMatchObject({
      code: "MEASURE_ALREADY_ON_ASSET",
      existingMeasureId: "f-1",
      frozenByCase: "15000.00",
      balance: "20000.00",
    });
  });

  it("refuses a further freeze when the balance is not known", () => {
    expect(checkOneMeasurePerAsset({ kind: "FREEZE", value: "1", existing: [freeze("f-1", "10")] })).toMatchObject({
      code: "MEASURE_ALREADY_ON_ASSET",
    });
  });
});
