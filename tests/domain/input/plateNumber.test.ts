import { describe, expect, it } from "vitest";
import { isPlateNumber } from "../../../domain/input/plateNumber.js";

// GA 36-2018 机动车号牌: province, office letter, five characters (six for new energy vehicles).
describe("plate numbers", () => {
  it.each(["豫B12345", "豫B6789A", "京AD12345", "粤B1234学", "沪A1234挂"])("accepts %s", (value) => {
    expect(isPlateNumber(value)).toBe(true);
  });

  it.each(["豫b12345", "豫BI2345", "XB12345", "豫B1234", "豫B1234567", "410225199001011234", ""])("refuses %j", (value) => {
    expect(isPlateNumber(value)).toBe(false);
  });
});
