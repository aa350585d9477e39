import { describe, expect, it } from "vitest";
import { formatYuan, parseYuan } from "../../../domain/measures/yuan.js";

describe("amounts in yuan, exact to the cent (执行标的 as written on a ruling)", () => {
  it.each([
    ["0", 0n],
    ["0.5", 50n],
    ["0.05", 5n],
    ["1234.56", 123456n],
    ["100000000000000000000.01", 10000000000000000000001n],
  ])("reads %s as %s cents", (value, cents) => {
    expect(parseYuan(value)).toEqual({ ok: true, cents });
  });

  it.each(["", "-1", "+1", "1.234", "1.", ".5", "01", "1,000", "¥10", "1e3", " 1", "NaN"])("refuses %j", (value) => {
    expect(parseYuan(value, "claim amount")).toMatchObject({ ok: false, code: "INVALID_AMOUNT", field: "claim amount", value });
  });

  it("writes cents with two decimals", () => {
    expect(formatYuan(123456n)).toBe("1234.56");
    expect(formatYuan(5n)).toBe("0.05");
    expect(formatYuan(0n)).toBe("0.00");
    expect(formatYuan(-150n)).toBe("-1.50");
  });

  it("adds 0.1 and 0.2 to exactly 0.30", () => {
    const a = parseYuan("0.1");
    const b = parseYuan("0.2");
    if (!a.ok || !b.ok) throw new Error("unreachable");
    expect(formatYuan(a.cents + b.cents)).toBe("0.30");
  });
});
