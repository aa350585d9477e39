import { describe, expect, it } from "vitest";
import { checkRenewal } from "../../../domain/measures/renewal.js";

const deposits = { kind: "FREEZE", category: "DEPOSIT", expiresOn: "2025-01-10" } as const;

describe("民诉法解释 2022 art. 485 para. 2: renewal before expiry, for at most the same period", () => {
  it("renewal on the expiry day is in time", () => {
    expect(checkRenewal(deposits, "2025-01-10", "2026-01-10")).toEqual({
      ok: true,
      renewedFrom: "2025-01-11",
      maximumMonths: 12,
      latestExpiresOn: "2026-01-10",
    });
  });

  it("查扣冻规定 2020 art. 27: renewal the day after the expiry day is refused, the measure has lapsed", () => {
    expect(checkRenewal(deposits, "2025-01-11", "2026-01-10")).toMatchObject({
      ok: false,
      code: "RENEWAL_AFTER_EXPIRY",
      expiresOn: "2025-01-10",
    });
  });

  it("the new period is counted from the old expiry, not from the renewal date", () => {
    expect(checkRenewal(deposits, "2024-10-01", "2026-01-10")).toMatchObject({ ok: true });
    expect(checkRenewal(deposits, "2024-10-01", "2026-01-11")).toMatchObject({
      ok: false,
      code: "RENEWAL_TOO_LONG",
      latestExpiresOn: "2026-01-10",
    });
  });

  it("a renewal longer than the maximum for the asset is refused; real estate may take 3 years more", () => {
    const house = { kind: "SEAL", category: "REAL_ESTATE", expiresOn: "2027-02-28" } as const;
    expect(checkRenewal(house, "2027-01-05", "2030-02-28")).toMatchObject({ ok: true, maximumMonths: 36 });
    expect(checkRenewal(house, "2027-01-05", "2030-03-01")).toMatchObject({ ok: false, code: "RENEWAL_TOO_LONG" });
  });

  it("counts from a leap-year expiry: 2024-02-29 renewed by 12 months ends by 2025-02-28", () => {
    const leap = { kind: "FREEZE", category: "DEPOSIT", expiresOn: "2024-02-29" } as const;
    expect(checkRenewal(leap, "2024-02-20", "2025-02-28")).toMatchObject({ ok: true, renewedFrom: "2024-03-01" });
    expect(checkRenewal(leap, "2024-02-20", "2025-03-01")).toMatchObject({ ok: false, code: "RENEWAL_TOO_LONG" });
  });

  it("a renewal that does not move the expiry is refused", () => {
    expect(checkRenewal(deposits, "2025-01-02", "2025-01-10")).toMatchObject({ ok: false, code: "RENEWAL_NOT_EXTENDING" });
  });

  it("a deduction cannot be renewed", () => {
    expect(checkRenewal({ kind: "DEDUCT", category: "DEPOSIT", expiresOn: "2025-01-10" }, "2025-01-01", "2025-06-01")).toMatchObject({
      ok: false,
      code: "NO_PERIOD",
    });
  });

  it("refuses dates that do not exist", () => {
    expect(checkRenewal(deposits, "2025-02-29", "2026-01-10")).toMatchObject({ ok: false, code: "INVALID_DATE", field: "renewal date" });
  });
});
