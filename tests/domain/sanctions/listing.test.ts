import { describe, expect, it } from "vitest";
import { checkNotCovered } from "../../../domain/sanctions/coveredByMeasures.js";
import { checkGround } from "../../../domain/sanctions/listingGround.js";
import { checkExtension, listingLastDay } from "../../../domain/sanctions/listingPeriod.js";
import { checkNotMinor } from "../../../domain/sanctions/minor.js";
import { minimise } from "../../../domain/sanctions/publishedFields.js";
import { hasExpired } from "../../../domain/sanctions/removalReason.js";

describe("失信规定 art. 1: the six grounds", () => {
  it("knows each ground by its conduct", () => {
    expect(checkGround("VIOLATES_PROPERTY_REPORTING")).toEqual({
      ok: true,
      ground: "VIOLATES_PROPERTY_REPORTING",
      conduct: "违反财产报告制度的",
    });
  });
  it("refuses anything else", () => {
    expect(checkGround("LATE_PAYMENT")).toMatchObject({ ok: false, code: "UNKNOWN_GROUND" });
    expect(checkGround("toString")).toMatchObject({ ok: false, code: "UNKNOWN_GROUND" });
  });
});

describe("失信规定 art. 2: two years, extendable by one to three", () => {
  it("items 2–6 last two years from listing (民法典 art. 201–202)", () => {
    expect(listingLastDay("VIOLATES_PROPERTY_REPORTING", "2024-02-29")).toBe("2026-02-28");
  });
  it("item 1 has no period: it lasts until removal (art. 10)", () => {
    expect(listingLastDay("ABLE_BUT_REFUSES", "2024-01-10")).toBeNull();
    expect(
      checkExtension({
        ground: "ABLE_BUT_REFUSES",
        startsOn: "2024-01-10",
        alreadyExtendedYears: 0,
        years: 1,
        basis: "MULTIPLE_DISHONEST_CONDUCTS",
      }),
    ).toMatchObject({
      ok: false,
      code: "NO_FIXED_PERIOD",
    });
  });
  it("extends by whole years up to three in all, on a basis art. 2 names", () => {
    const base = { ground: "FALSE_EVIDENCE_OR_VIOLENCE" as const, startsOn: "2024-01-10", basis: "SERIOUS_VIOLENT_OBSTRUCTION" };
    expect(checkExtension({ ...base, alreadyExtendedYears: 0, years: 3 })).toEqual({
      ok: true,
      extensionYears: 3,
      expiresOn: "2029-01-10",
    });
    expect(checkExtension({ ...base, alreadyExtendedYears: 2, years: 1 })).toEqual({
      ok: true,
      extensionYears: 3,
      expiresOn: "2029-01-10",
    });
    expect(checkExtension({ ...base, alreadyExtendedYears: 2, years: 2 })).toMatchObject({
      ok: false,
      code: "EXTENSION_OUT_OF_RANGE",
      maximumYears: 3,
    });
    expect(checkExtension({ ...base, alreadyExtendedYears: 0, years: 0 })).toMatchObject({ ok: false, code: "EXTENSION_OUT_OF_RANGE" });
    expect(checkExtension({ ...base, alreadyExtendedYears: 0, years: 1, basis: undefined })).toMatchObject({
      ok: false,
      code: "EXTENSION_BASIS_REQUIRED",
    });
  });
});

describe("失信规定 art. 4: minors are not listed", () => {
  it("refuses the day before the 18th birthday, allows on it", () => {
    expect(checkNotMinor("2006-05-01", "2024-04-30")).toMatchObject({ ok: false, code: "DEBTOR_IS_MINOR", age: 17 });
    expect(checkNotMinor("2006-05-01", "2024-05-01")).toEqual({ ok: true, age: 18 });
  });
});

describe("失信规定 art. 3: debtors covered by measures or security are not listed on art. 1 item 1", () => {
  const base = { claimAmount: "100000.00", costs: "1000.00" };
  it("refuses when the value under measures in force reaches claim plus costs", () => {
    expect(
      checkNotCovered({ ...base, ground: "ABLE_BUT_REFUSES", measures: [{ value: "60000.00" }, { value: "41000.00" }] }),
    ).toMatchObject({
      ok: false,
      code: "ASSETS_UNDER_MEASURES_COVER_CLAIM",
      valueInForce: "101000.00",
      claimAndCosts: "101000.00",
      deducted: "0.00",
      outstanding: "101000.00",
    });
  });
  it("allows one cent short of it", () => {
    expect(checkNotCovered({ ...base, ground: "ABLE_BUT_REFUSES", measures: [{ value: "100999.99" }] })).toEqual({ ok: true });
  });
  it("refuses when adequate security is on record (item 1)", () => {
    expect(checkNotCovered({ ...base, ground: "ABLE_BUT_REFUSES", measures: [], security: "保证人担保" })).toMatchObject({
      ok: false,
      code: "ADEQUATE_SECURITY_GIVEN",
    });
  });
  it("does not bar the other grounds", () => {
    expect(
      checkNotCovered({ ...base, ground: "FALSE_EVIDENCE_OR_VIOLENCE", measures: [{ value: "500000.00" }], security: "保证" }),
    ).toEqual({ ok: true });
  });
});

describe("失信规定 art. 3 item 2 net of deductions (查扣冻规定 2020 art. 19, art. 28 item 4: money deducted has paid the debt)", () => {
  const base = { claimAmount: "100000.00", costs: "1000.00", ground: "ABLE_BUT_REFUSES" as const };
  // 60,000 deducted from a freeze since released leaves 41,000 owed; a seal must cover that, not 101,000.
  const deducted = { value: "60000.00", deducted: "60000.00", inForce: false };

  it("refuses when what stays under measures covers what is still owed, exactly", () => {
    expect(checkNotCovered({ ...base, measures: [deducted, { value: "41000.00" }] })).toMatchObject({
      ok: false,
      code: "ASSETS_UNDER_MEASURES_COVER_CLAIM",
      valueInForce: "41000.00",
      claimAndCosts: "101000.00",
      deducted: "60000.00",
      outstanding: "41000.00",
    });
  });

  it("allows one cent short of it", () => {
    expect(checkNotCovered({ ...base, measures: [deducted, { value: "40999.99" }] })).toEqual({ ok: true });
  });

  it("a freeze in force counts for what it still holds", () => {
    // 80,000 frozen, 30,000 deducted: holds 50,000 against 71,000 owed; a 21,000 seal covers the rest.
    const freeze = { value: "80000.00", deducted: "30000.00" };
    expect(checkNotCovered({ ...base, measures: [freeze, { value: "20999.99" }] })).toEqual({ ok: true });
    expect(checkNotCovered({ ...base, measures: [freeze, { value: "21000.00" }] })).toMatchObject({
      code: "ASSETS_UNDER_MEASURES_COVER_CLAIM",
      valueInForce: "71000.00",
      outstanding: "71000.00",
    });
  });
});

describe("expiry (失信规定 art. 10 para. 2)", () => {
  it("an entry expires the day after its last day", () => {
    expect(hasExpired("2026-01-10", "2026-01-10")).toBe(false);
    expect(hasExpired("2026-01-10", "2026-01-11")).toBe(true);
    expect(hasExpired(null, "2099-01-01")).toBe(false);
  });
});

describe("失信规定 art. 6 and data minimisation", () => {
  it("keeps only the partner's fields", () => {
    expect(minimise({ name: "孙八", obligation: "给付100000元", expiresOn: "2026-01-10" }, ["name", "expiresOn"])).toEqual({
      name: "孙八",
      expiresOn: "2026-01-10",
    });
  });
});
