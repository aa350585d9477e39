import { describe, expect, it } from "vitest";
import {
  DEFAULT_OVER_SEIZURE_TOLERANCE_BASIS_POINTS,
  checkOverSeizure,
  excessToRelease,
  valueNetOfPriorCharges,
} from "../../../domain/measures/overSeizure.js";

// Claim 100000.00 + costs 1000.00 = 101000.00; at the default 20 % the limit is 121200.00.
const base = { claimAmount: "100000.00", costs: "1000", measures: [{ value: "80000.00" }] };

describe("查扣冻规定 2020 art. 19: no clearly excessive freeze, seal or seizure", () => {
  it("the default tolerance is 20 % (local policy)", () => {
    expect(DEFAULT_OVER_SEIZURE_TOLERANCE_BASIS_POINTS).toBe(2000);
  });

  it("allows value in force exactly at the tolerance", () => {
    expect(checkOverSeizure({ ...base, newValue: "41200.00" })).toEqual({
      ok: true,
      overridden: false,
      claimAndCosts: "101000.00",
      deducted: "0.00",
      outstanding: "101000.00",
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
      measures: [{ value: "0.1" }, { value: "0.2" }],
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
    expect(checkOverSeizure({ claimAmount: "0.01", costs: "0", measures: [], newValue: "0.02", toleranceBasisPoints: 5000 })).toMatchObject(
      { ok: false, code: "OVER_SEIZURE", limit: "0.01", excess: "0.01" },
    );
  });

  it("refuses invalid amounts and tolerances", () => {
    expect(checkOverSeizure({ ...base, newValue: "12.345" })).toMatchObject({ ok: false, code: "INVALID_AMOUNT", field: "new value" });
    expect(checkOverSeizure({ ...base, measures: [{ value: "1" }, { value: "-2" }], newValue: "1" })).toMatchObject({
      ok: false,
      code: "INVALID_AMOUNT",
      field: "value of measure #2",
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
      expect(checkOverSeizure({ ...base, newValue: "1.00", override: { indivisible: true, noOtherProperty: true, reason } })).toMatchObject(
        { ok: true, overridden: false },
      );
    });
  });
});

describe("查扣冻规定 2020 art. 19 net of deductions: a freeze counts for what it still holds, the claim for what is still owed", () => {
  // A freeze of 50,000 of which 20,000 was deducted holds 30,000; 101,000 less 20,000 leaves 81,000 owed,
  // so the limit is 97,200 and a new seal may be worth 67,200.00. Counted gross (50,000 against 101,000,
  // limit 121,200), 67,200.01 would have passed.
  const deducted = { claimAmount: "100000.00", costs: "1000", measures: [{ value: "50000.00", deducted: "20000.00" }] };

  it("allows value in force exactly at the tolerance over what is still owed", () => {
    expect(checkOverSeizure({ ...deducted, newValue: "67200.00" })).toEqual({
      ok: true,
      overridden: false,
      claimAndCosts: "101000.00",
      deducted: "20000.00",
      outstanding: "81000.00",
      valueInForce: "97200.00",
      limit: "97200.00",
    });
  });

  it("refuses one cent above, with the deducted and outstanding figures", () => {
    expect(checkOverSeizure({ ...deducted, newValue: "67200.01" })).toMatchObject({
      ok: false,
      code: "OVER_SEIZURE",
      claimAndCosts: "101000.00",
      deducted: "20000.00",
      outstanding: "81000.00",
      valueInForce: "97200.01",
      limit: "97200.00",
      excess: "0.01",
      excessOverClaimAndCosts: "16200.01",
    });
  });

  it("what was deducted from a freeze since released still counts as paid", () => {
    const released = { ...base, measures: [{ value: "50000.00", deducted: "50000.00", inForce: false }] };
    expect(checkOverSeizure({ ...released, newValue: "61200.00" })).toMatchObject({
      ok: true,
      valueInForce: "61200.00",
      outstanding: "51000.00",
    });
    expect(checkOverSeizure({ ...released, newValue: "61200.01" })).toMatchObject({ ok: false, code: "OVER_SEIZURE", excess: "0.01" });
  });

  it("once deductions have paid everything, nothing more may be put under measures", () => {
    const paid = { claimAmount: "100.00", costs: "0", measures: [{ value: "120.00", deducted: "120.00" }] };
    expect(checkOverSeizure({ ...paid, newValue: "0.00" })).toMatchObject({ ok: true, outstanding: "0.00", limit: "0.00" });
    expect(checkOverSeizure({ ...paid, newValue: "0.01" })).toMatchObject({
      ok: false,
      code: "OVER_SEIZURE",
      deducted: "120.00",
      outstanding: "0.00",
      excess: "0.01",
    });
  });

  it("the excess to release is measured net as well", () => {
    expect(excessToRelease({ ...base, measures: [{ value: "121200.00", deducted: "20000.00" }] })).toMatchObject({
      ok: true,
      mustRelease: true,
      valueInForce: "101200.00",
      outstanding: "81000.00",
      excess: "20200.00",
    });
  });
});

describe("查扣冻规定 2020 art. 19: the excess must be released", () => {
  it("nothing to release within the tolerance", () => {
    expect(excessToRelease({ ...base, measures: [{ value: "121200.00" }] })).toEqual({
      ok: true,
      mustRelease: false,
      excess: "0.00",
      claimAndCosts: "101000.00",
      deducted: "0.00",
      outstanding: "101000.00",
      valueInForce: "121200.00",
      limit: "121200.00",
    });
  });

  it("once clearly over, everything above claim plus costs is to be released", () => {
    expect(excessToRelease({ ...base, measures: [{ value: "100000.00" }, { value: "21200.01" }] })).toMatchObject({
      ok: true,
      mustRelease: true,
      excess: "20200.01",
    });
  });
});

describe("查扣冻规定 2020 art. 19: each asset counted once, and the excess named for release", () => {
  const claim = { claimAmount: "100000.00", costs: "0" };

  it("two seals of the case on one flat count once, at the larger", () => {
    const measures = [
      { id: "s-1", value: "90000", asset: "PROPERTY_REGISTRY 豫0001" },
      { id: "s-2", value: "90000", asset: "PROPERTY_REGISTRY 豫0001" },
    ];
    expect(checkOverSeizure({ ...claim, measures, newValue: "30000" })).toMatchObject({ ok: true, valueInForce: "120000.00" });
  });

  it("freezes of amounts on one account add up", () => {
    const measures = [
      { id: "f-1", value: "60000", asset: "BANK 6222", byAmount: true },
      { id: "f-2", value: "60000", asset: "BANK 6222", byAmount: true },
    ];
    expect(checkOverSeizure({ ...claim, measures, newValue: "0.01" })).toMatchObject({ ok: false, code: "OVER_SEIZURE" });
  });

  it("a refusal names the measures in force whose release would make room, largest first", () => {
    const measures = [
      { id: "small", value: "10000" },
      { id: "large", value: "100000" },
    ];
    expect(checkOverSeizure({ ...claim, measures, newValue: "20000" })).toMatchObject({
      code: "OVER_SEIZURE",
      excess: "10000.00",
      release: [{ measureId: "large", holds: "100000.00" }],
    });
  });
});

describe("查扣冻规定 2020 art. 19 with 民法典 art. 386 and 执行工作若干问题的规定 art. 55: an asset counts net of the claims paid from it first", () => {
  it("a flat worth 1,200,000 yuan under a 600,000 yuan mortgage is worth 600,000 to the case", () => {
    expect(valueNetOfPriorCharges("1200000", [{ type: "MORTGAGE", amount: "600000" }])).toEqual({
      ok: true,
      value: "600000.00",
      priorCharges: "600000.00",
    });
  });

  it("a mortgage and another court's earlier seal both come first; a charge without an amount is not guessed", () => {
    const charges = [{ type: "MORTGAGE", amount: "500000" }, { type: "SEAL", amount: "200000.50" }, { type: "SEAL" }];
    expect(valueNetOfPriorCharges("1000000", charges)).toMatchObject({ ok: true, value: "299999.50", priorCharges: "700000.50" });
  });

  it("charges beyond the value leave nothing, never less", () => {
    expect(valueNetOfPriorCharges("300000", [{ type: "MORTGAGE", amount: "450000" }])).toMatchObject({ ok: true, value: "0.00" });
  });

  it("netted, the flat no longer counts as over-seizure against a claim its equity covers", () => {
    const claim = { claimAmount: "600000", costs: "0", measures: [] };
    expect(checkOverSeizure({ ...claim, newValue: "1200000" })).toMatchObject({ ok: false, code: "OVER_SEIZURE" });
    const net = valueNetOfPriorCharges("1200000", [{ type: "MORTGAGE", amount: "600000" }]);
    expect(net.ok && checkOverSeizure({ ...claim, newValue: net.value })).toMatchObject({ ok: true, overridden: false });
  });

  it("refuses an amount that is not yuan", () => {
    expect(valueNetOfPriorCharges("1000000", [{ type: "MORTGAGE", amount: "1.005" }])).toMatchObject({ ok: false, code: "INVALID_AMOUNT" });
  });
});
