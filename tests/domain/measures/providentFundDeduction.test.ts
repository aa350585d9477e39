import { describe, expect, it } from "vitest";
import { checkProvidentFundDeduction } from "../../../domain/measures/providentFundDeduction.js";

const RETIRED = { withdrawalGround: "RETIREMENT" as const, balance: "80000.00", necessitiesReserve: "20000.00", alreadyDeducted: "0" };

describe("住房公积金管理条例 (2019) art. 24 and 最高人民法院执行局 (2013) 执他字第15号: provident fund only on a withdrawal ground", () => {
  it("a retired debtor's balance may be deducted", () => {
    expect(checkProvidentFundDeduction({ ...RETIRED, requested: "60000.00" })).toEqual({ ok: true, leftOnAccount: "20000.00" });
  });

  it("without a ground the centre reports, nothing is deducted", () => {
    expect(checkProvidentFundDeduction({ ...RETIRED, withdrawalGround: undefined, requested: "1.00" })).toMatchObject({
      ok: false,
      code: "PROVIDENT_FUND_NOT_WITHDRAWABLE",
    });
  });
});

describe("查扣冻规定 (法释〔2020〕21号) art. 3 (二): the debtor's and dependants' necessities stay on the account", () => {
  it("the order must state what it leaves, and it must be positive", () => {
    expect(checkProvidentFundDeduction({ ...RETIRED, necessitiesReserve: undefined, requested: "1.00" })).toMatchObject({
      code: "PROVIDENT_FUND_RESERVE_REQUIRED",
    });
    expect(checkProvidentFundDeduction({ ...RETIRED, necessitiesReserve: "0", requested: "1.00" })).toMatchObject({
      code: "PROVIDENT_FUND_RESERVE_REQUIRED",
    });
  });

  it("one cent into the reserve is refused, saying by how much", () => {
    expect(checkProvidentFundDeduction({ ...RETIRED, requested: "60000.01" })).toMatchObject({
      ok: false,
      code: "PROVIDENT_FUND_RESERVE_NOT_LEFT",
      balance: "80000.00",
      necessitiesReserve: "20000.00",
      excess: "0.01",
    });
  });

  it("earlier deductions by the case count against the reserve", () => {
    expect(checkProvidentFundDeduction({ ...RETIRED, alreadyDeducted: "50000.00", requested: "10000.00" })).toEqual({
      ok: true,
      leftOnAccount: "20000.00",
    });
    expect(checkProvidentFundDeduction({ ...RETIRED, alreadyDeducted: "50000.00", requested: "10000.01" })).toMatchObject({
      code: "PROVIDENT_FUND_RESERVE_NOT_LEFT",
      alreadyDeducted: "50000.00",
      excess: "0.01",
    });
  });

  it("amounts that are not yuan are refused as such", () => {
    expect(checkProvidentFundDeduction({ ...RETIRED, requested: "1,000" })).toMatchObject({ code: "INVALID_AMOUNT" });
  });
});
