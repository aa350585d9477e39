import { describe, expect, it } from "vitest";
import { periodicReinquiryDue } from "../../../domain/cases/periodicReinquiry.js";

describe("the periodic inquiry after 终本 (法〔2016〕373号, SPC provisions on concluding the current enforcement procedure, art. 16)", () => {
  it("is due six months after the conclusion when nothing was asked since", () => {
    expect(periodicReinquiryDue("2026-01-15", null, "2026-07-10")).toEqual({ dueOn: "2026-07-15", daysLeft: 5 });
  });

  it("is due six months after the last inquiry made since the conclusion", () => {
    expect(periodicReinquiryDue("2025-01-15", "2026-03-01", "2026-09-03")).toEqual({ dueOn: "2026-09-01", daysLeft: -2 });
  });

  it("ignores an inquiry made before the conclusion", () => {
    expect(periodicReinquiryDue("2026-01-15", "2025-12-01", "2026-01-20")?.dueOn).toBe("2026-07-15");
  });

  it("ends five years after the conclusion", () => {
    expect(periodicReinquiryDue("2021-01-15", "2025-07-15", "2026-01-10")).toEqual({ dueOn: "2026-01-15", daysLeft: 5 });
    expect(periodicReinquiryDue("2021-01-15", "2026-01-15", "2026-02-01")).toBeUndefined();
  });
});
