import { describe, expect, it } from "vitest";
import { checkStorable, checkText } from "../../../domain/input/textPolicy.js";

const oneLine = { maxLength: 5, multiline: false };
const paragraph = { maxLength: 20, multiline: true };

describe("text policy: what any text the hub stores, signs and sends may hold", () => {
  it.each(["张三", "", "ab cd", "𠮷𠮷𠮷𠮷𠮷"])("accepts %j (characters outside the BMP count once)", (value) => {
    expect(checkText(value, oneLine)).toBeNull();
  });

  it.each([
    ["a\u0000b", "U+0000"],
    ["a\u001bb", "U+001B"],
    ["a\u007fb", "U+007F"],
    ["a\u0085b", "U+0085"],
    ["a\u202eb", "U+202E"],
    ["a\nb", "U+000A"],
  ])("refuses %j on one line, naming %s", (value, code) => {
    expect(checkText(value, oneLine)).toEqual({ rule: "CONTROL_CHARACTER", reason: expect.stringContaining(code) });
  });

  it("allows line breaks and tabs in a paragraph, but not NUL", () => {
    expect(checkText("一\n二\r\n三\t四", paragraph)).toBeNull();
    expect(checkText("一\n\u0000", paragraph)?.rule).toBe("CONTROL_CHARACTER");
  });

  it.each(["a\ud800", "\udc00a", "\ud800\ud800"])("refuses the lone surrogate in %j", (value) => {
    expect(checkText(value, paragraph)?.rule).toBe("LONE_SURROGATE");
  });

  it("refuses text beyond the maximum length", () => {
    expect(checkText("123456", oneLine)).toEqual({ rule: "MAX_LENGTH", reason: "is longer than 5 characters" });
    expect(checkText("x".repeat(1_000_000), paragraph)?.rule).toBe("MAX_LENGTH");
  });
});

describe("what no text may hold, whatever its field (the edge's check of every string in a request)", () => {
  it("refuses NUL and lone surrogates only: other control characters and any length are for the field's rule", () => {
    expect(checkStorable("a\u0000b")).toEqual({ rule: "CONTROL_CHARACTER", reason: "contains the control character U+0000" });
    expect(checkStorable("a\ud800")?.rule).toBe("LONE_SURROGATE");
    expect(checkStorable("a\u0007b\n")).toBeNull();
    expect(checkStorable("张".repeat(10_000))).toBeNull();
  });
});
