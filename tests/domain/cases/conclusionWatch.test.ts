import { describe, expect, it } from "vitest";
import { nextReinquiry, reinquiryDueOn, secondFruitlessInquiryOn } from "../../../domain/cases/conclusionWatch.js";

describe("the watch over a 终本 case (法〔2016〕373号 art. 16: every six months for five years)", () => {
  it("falls due every six months after 终本, the day of 终本 not counted", () => {
    expect(reinquiryDueOn("2024-03-15", 1)).toBe("2024-09-15");
    expect(reinquiryDueOn("2024-03-15", 2)).toBe("2025-03-15");
    // A month without the day: its last day (民法典 art. 202).
    expect(reinquiryDueOn("2024-08-31", 1)).toBe("2025-02-28");
  });

  it("runs ten rounds, the last on the last day of the five years, and none after", () => {
    expect(reinquiryDueOn("2024-03-15", 10)).toBe("2029-03-15");
    expect(reinquiryDueOn("2024-03-15", 11)).toBeNull();
    expect(nextReinquiry("2024-03-15", 10, "2029-03-15")).toBeNull();
    expect(nextReinquiry("2024-03-15", 9, "2029-03-16")).toBeNull();
  });

  it("schedules the next round after the last one run, and catches up with one round only", () => {
    expect(nextReinquiry("2024-03-15", 0, "2024-03-15")).toEqual({ round: 1, dueOn: "2024-09-15" });
    expect(nextReinquiry("2024-03-15", 1, "2024-09-15")).toEqual({ round: 2, dueOn: "2025-03-15" });
    // Down for a year and a half: the latest round due runs now, the next keeps to the schedule.
    expect(nextReinquiry("2024-03-15", 1, "2026-04-01")).toEqual({ round: 4, dueOn: "2026-03-15" });
    expect(nextReinquiry("2024-03-15", 4, "2026-04-01")).toEqual({ round: 5, dueOn: "2026-09-15" });
  });
});

describe("two network inquiries after 终本 found nothing (失信规定 art. 10 item 4)", () => {
  it("is met on the day the second fruitless round settled", () => {
    expect(secondFruitlessInquiryOn([{ settledOn: "2024-09-16", newAssets: 0 }])).toBeNull();
    expect(
      secondFruitlessInquiryOn([
        { settledOn: "2025-03-16", newAssets: 0 },
        { settledOn: "2024-09-16", newAssets: 0 },
      ]),
    ).toBe("2025-03-16");
  });

  it("is not met once a round found property", () => {
    expect(
      secondFruitlessInquiryOn([
        { settledOn: "2024-09-16", newAssets: 0 },
        { settledOn: "2025-03-16", newAssets: 1 },
      ]),
    ).toBeNull();
  });
});
