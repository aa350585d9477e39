import { describe, expect, it } from "vitest";
import { checkAmount } from "../../../domain/input/decimalAmount.js";

describe("amounts are canonical decimals in yuan", () => {
  it.each(["1", "100", "0.01", "1250000.00", "9999999999999999.99"])("accepts %s", (value) => {
    expect(checkAmount(value)).toBeNull();
  });

  it.each(["00100", "0100.5", "1.005", "-1", "+1", "1e3", "1,000", "¥100", " 100", "NaN", "Infinity", ""])(
    "refuses %j, which is not the one way of writing an amount",
    (value) => {
      expect(checkAmount(value)?.rule).toBe("DECIMAL_AMOUNT");
    },
  );

  it("refuses zero where a sum is owed, accepts it where allowed", () => {
    expect(checkAmount("0")?.rule).toBe("AMOUNT_NOT_POSITIVE");
    expect(checkAmount("0.00", true)).toBeNull();
  });

  it("refuses more than NUMERIC(18, 2) holds", () => {
    expect(checkAmount("10000000000000000")?.rule).toBe("AMOUNT_TOO_LARGE");
  });
});
