import { describe, expect, it } from "vitest";
import { daysUntilExpiry, expiryWarningsDue, hasLapsed } from "../../../domain/measures/lapse.js";

// Beijing midnight is 16:00 UTC the day before.
const chinaMorning = (date: string) => new Date(`${date}T09:00:00+08:00`);

describe("查扣冻规定 2020 art. 27: an unrenewed measure lapses at expiry", () => {
  it("is in force through the last minute of the expiry day, China time", () => {
    expect(hasLapsed("2025-01-10", new Date("2025-01-10T15:59:59Z"))).toBe(false);
    expect(hasLapsed("2025-01-10", new Date("2025-01-10T16:00:00Z"))).toBe(true);
  });

  it("counts days left in China time", () => {
    expect(daysUntilExpiry("2025-01-10", chinaMorning("2025-01-10"))).toBe(0);
    expect(daysUntilExpiry("2025-03-01", chinaMorning("2024-02-28"))).toBe(367);
  });

  it("throws on an expiry date that does not exist", () => {
    expect(() => hasLapsed("2025-02-29", new Date())).toThrow(RangeError);
  });
});

describe("Henan High Court supervision opinion, items 13 and 21: warnings 30, 7 and 1 days before expiry", () => {
  const expiresOn = "2025-03-31";

  it("nothing is due 31 days before", () => {
    expect(expiryWarningsDue(expiresOn, chinaMorning("2025-02-28"), [])).toEqual([]);
  });

  it("the 30-day warning is due 30 days before, once", () => {
    expect(expiryWarningsDue(expiresOn, chinaMorning("2025-03-01"), [])).toEqual([30]);
    expect(expiryWarningsDue(expiresOn, chinaMorning("2025-03-01"), [30])).toEqual([]);
    expect(expiryWarningsDue(expiresOn, chinaMorning("2025-03-10"), [30])).toEqual([]);
  });

  it("the 7-day and 1-day warnings follow", () => {
    expect(expiryWarningsDue(expiresOn, chinaMorning("2025-03-24"), [30])).toEqual([7]);
    expect(expiryWarningsDue(expiresOn, chinaMorning("2025-03-30"), [30, 7])).toEqual([1]);
    expect(expiryWarningsDue(expiresOn, chinaMorning("2025-03-30"), [30, 7, 1])).toEqual([]);
  });

  it("a missed 30-day warning is not sent once the 7-day one is due: only the tightest", () => {
    expect(expiryWarningsDue(expiresOn, chinaMorning("2025-03-26"), [])).toEqual([7]);
  });

  it("a missed 1-day warning is still sent on the expiry day, and nothing after", () => {
    expect(expiryWarningsDue(expiresOn, chinaMorning("2025-03-31"), [30, 7])).toEqual([1]);
    expect(expiryWarningsDue(expiresOn, chinaMorning("2025-04-01"), [30, 7])).toEqual([]);
  });

  it("uses the date in China: 16:00 UTC is already the next day", () => {
    expect(expiryWarningsDue(expiresOn, new Date("2025-02-28T15:59:59Z"), [])).toEqual([]);
    expect(expiryWarningsDue(expiresOn, new Date("2025-02-28T16:00:00Z"), [])).toEqual([30]);
  });
});
