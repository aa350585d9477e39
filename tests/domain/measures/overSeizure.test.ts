import { describe, expect, it } from "vitest";
import {
  DEFAULT_OVER_SEIZURE_TOLERANCE_BASIS_POINTS,
  checkOverSeizure,
  excessToRelease,
} from "../../../domain/measures/overSeizure.js";

// Claim 100000.00 + costs 1000.00 = 101000.00; at the default 20 % the limit is 121200.00.
const base = { claimAmount: "100000.00", costs: "1000", valuesInForce: ["80000.00"] };

describe("查扣冻规定 2020 art. 19: no clearly excessive freeze, seal or seizure", () => {
  it("the default tolerance is 20 % (local policy)", () => {
    expect(DEFAULT_OVER_SEIZURE_TOLERANCE_BASIS_POINTS).toBe(2000);
  });

  it("allows value in force exactly at the tolerance", () => {
    expect(checkOverSeizure({ ...base, newValue: "41200.00" })).toEqual({
      ok: true,
      overridden: false,
      claimAndCosts: "101000.00",
      valueInForce: "121200.00",
      limit: "121200.00",
    });
  });

  it("refuses one cent over the tolerance and says by how much", () => {
    expect(checkOverSeizure({ ...base, newValue: "41200.01" })).toMatchObject({
      ok: false,
      code: "OVER_SEIZURE",
      excess: "0.01",
      excessOverClaimAndCosts: "20200.01",
      limit: "121200.00",
      valueInForce: "121200.01",
    });
  });

  it("sums values in force exactly (no floating-point drift)", () => {
    const result = checkOverSeizure({
      claimAmount: "0.30",
      costs: "0",
      valuesInForce: ["0.1", "0.2"],
      newValue: "0",
      toleranceBasisPoints: 0,
    });
    expect(result).toMatchObject({ ok: true, valueInForce: "0.30", limit: "0.30" });
  });

  it("takes a configurable tolerance; 0 allows nothing above claim plus costs", () => {
    expect(checkOverSeizure({ ...base, newValue: "21000.00", toleranceBasisPoints: 0 })).toMatchObject({ ok: true });
    expect(checkOverSeizure({ ...base, newValue: "21000.01", toleranceBasisPoints: 0 })).toMatchObject({
      ok: false,
      code: "OVER_SEIZURE",
      excess: "0.01",
    });
  });

  it("rounds a limit that falls between cents down, and an excess up", () => {
    // 0.01 × 1.5 = 0.015: the limit shown is 0.01, a value of 0.02 is 0.005 over, shown as 0.01.
    expect(
      checkOverSeizure({ claimAmount: "0.01", costs: "0", valuesInForce: [], newValue: "0.02", toleranceBasisPoints: 5000 }),
    ).toMatchObject({ ok: false, code: "OVER_SEIZURE", limit: "0.01", excess: "0.01" });
  });

  it("refuses invalid amounts and tolerances", () => {
    expect(checkOverSeizure({ ...base, newValue: "12.345" })).toMatchObject({ ok: false, code: "INVALID_AMOUNT", field: "new value" });
    expect(checkOverSeizure({ ...base, valuesInForce: ["1", "-2"], newValue: "1" })).toMatchObject({
      ok: false,
      code: "INVALID_AMOUNT",
      field: "value in force #2",
    });
    expect(checkOverSeizure({ ...base, newValue: "1", toleranceBasisPoints: 0.5 })).toMatchObject({
      ok: false,
      code: "INVALID_TOLERANCE",
    });
  });

  describe("the exception: indivisible asset and no other property, with the reason on record", () => {
    const house = { ...base, newValue: "900000.00" };
    const reason = "唯一可供执行的房产，不可分割";

    it("lets the order through when both hold and a reason is given", () => {
      expect(checkOverSeizure({ ...house, override: { indivisible: true, noOtherProperty: true, reason } })).toMatchObject({
        ok: true,
        overridden: true,
        overrideReason: reason,
      });
    });

    it("refuses an override without a reason", () => {
      expect(checkOverSeizure({ ...house, override: { indivisible: true, noOtherProperty: true, reason: "  " } })).toMatchObject({
        ok: false,
        code: "OVERRIDE_NOT_JUSTIFIED",
        missing: ["reason"],
      });
    });

    it("refuses an override when the asset is divisible or the debtor has other property", () => {
      expect(checkOverSeizure({ ...house, override: { indivisible: false, noOtherProperty: true, reason } })).toMatchObject({
        ok: false,
        code: "OVERRIDE_NOT_JUSTIFIED",
        missing: ["indivisible"],
      });
      expect(checkOverSeizure({ ...house, override: { indivisible: true, noOtherProperty: false, reason: "" } })).toMatchObject({
        ok: false,
        code: "OVERRIDE_NOT_JUSTIFIED",
        missing: ["noOtherProperty", "reason"],
        excess: "858800.00",
      });
    });

    it("an unneeded override changes nothing", () => {
      expect(
        checkOverSeizure({ ...base, newValue: "1.00", override: { indivisible: true, noOtherProperty: true, reason } }),
      ).toMatchObject({ ok: true, overridden: false });
    });
  });
});

describe("查扣冻规定 2020 art. 19: the excess must be released", () => {
  it("nothing to release within the tolerance", () => {
    expect(excessToRelease({ ...base, valuesInForce: ["121200.00"] })).toEqual({
      ok: true,
      mustRelease: false,
      excess: "0.00",
      claimAndCosts: "101000.00",
      valueInForce: "121200.00",
      limit: "121200.00",
    });
  });

  it("once clearly over, everything above claim plus costs is to be released", () => {
    expect(excessToRelease({ ...base, valuesInForce: ["100000.00", "21200.01"] })).toMatchObject({
      ok: true,
      mustRelease: true,
      excess: "20200.01",
    });
  });
});
