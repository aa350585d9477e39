import { describe, expect, it } from "vitest";
import { periodAsRegistered, periodOnTakingEffect } from "../../../domain/measures/queuedPeriod.js";

describe("查扣冻规定 2020 art. 26, 27; 法发〔2004〕5号 art. 20: a queued measure's period counts from the day it takes effect", () => {
  const seal = { kind: "SEAL", category: "REAL_ESTATE", startsOn: "2024-03-01", expiresOn: "2025-03-01" } as const;

  it("a seal queued on 2024-03-01 for a year that takes effect on 2024-06-15 runs to 2025-06-15", () => {
    expect(periodOnTakingEffect(seal, "2024-06-15")).toEqual({ ok: true, startsOn: "2024-06-15", expiresOn: "2025-06-15", moved: true });
  });

  it("a measure in effect on the first day ordered keeps its period", () => {
    expect(periodOnTakingEffect(seal, "2024-03-01")).toEqual({ ok: true, startsOn: "2024-03-01", expiresOn: "2025-03-01", moved: false });
  });

  it("民诉法解释 art. 485: moved, a 12-month deposit freeze never passes 12 months from taking effect (366 days across 29 February)", () => {
    // 2023-03-01 → 2024-03-01 is 366 days; from 2024-03-01 those days would end 2025-03-02, a day past the year.
    const freeze = { kind: "FREEZE", category: "DEPOSIT", startsOn: "2023-03-01", expiresOn: "2024-03-01" } as const;
    expect(periodOnTakingEffect(freeze, "2024-03-01")).toEqual({ ok: true, startsOn: "2024-03-01", expiresOn: "2025-03-01", moved: true });
  });

  it("refuses a day that is not a calendar date", () => {
    expect(periodOnTakingEffect(seal, "2024-02-30")).toMatchObject({ ok: false, code: "INVALID_DATE" });
  });
});

describe("查扣冻规定 2020 art. 1, 27; 民诉法解释 2022 art. 485: a delegated measure's period runs as the agency registered it", () => {
  const seal = { kind: "SEAL", category: "REAL_ESTATE", startsOn: "2024-03-01", expiresOn: "2025-03-01" } as const;

  it("runs from the day registered to the last day registered", () => {
    expect(periodAsRegistered(seal, "2024-03-10", "2025-03-09")).toEqual({
      ok: true,
      startsOn: "2024-03-10",
      expiresOn: "2025-03-09",
      moved: true,
    });
  });

  it("without a last day registered, runs the length ordered from the day registered", () => {
    expect(periodAsRegistered(seal, "2024-03-10")).toEqual({ ok: true, startsOn: "2024-03-10", expiresOn: "2025-03-10", moved: true });
    expect(periodAsRegistered(seal, "2024-03-01")).toEqual({ ok: true, startsOn: "2024-03-01", expiresOn: "2025-03-01", moved: false });
  });

  it("art. 485: a registration longer than three years for real estate ends on the third anniversary", () => {
    expect(periodAsRegistered(seal, "2024-03-10", "2028-01-01")).toMatchObject({ ok: true, expiresOn: "2027-03-10" });
  });

  it("refuses a last day before the day registered", () => {
    expect(periodAsRegistered(seal, "2024-03-10", "2024-03-09")).toMatchObject({ ok: false, code: "INVALID_DATE" });
  });
});
