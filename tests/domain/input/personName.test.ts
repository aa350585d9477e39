import { describe, expect, it } from "vitest";
import { checkPersonName } from "../../../domain/input/personName.js";

// 失信规定 2017 art. 6: the name is published to partners, the ID number as a field of its own.
describe("names published to partners", () => {
  it.each(["张三", "欧阳娜娜", "Nguyễn Văn An", "阿卜杜热依木·艾力", "郑州第3建筑工程有限公司"])("accepts %s", (value) => {
    expect(checkPersonName(value)).toBeNull();
  });

  it.each(["NaN", "null", "undefined", "N/A", " nan "])("refuses the placeholder %j", (value) => {
    expect(checkPersonName(value)?.rule).toBe("NAME_PLACEHOLDER");
  });

  it.each(["", "   ", "12345", "-", "..."])("refuses %j, which has no letters", (value) => {
    expect(checkPersonName(value)?.rule).toBe("NAME_WITHOUT_LETTERS");
  });

  it.each(["张三 410225199001011234", "张三41022519900101123X"])("refuses the ID number in %s", (value) => {
    expect(checkPersonName(value)?.rule).toBe("NAME_WITH_NUMBER");
  });

  it("refuses a name of 1 MB, and control characters", () => {
    expect(checkPersonName("张".repeat(1_000_000))?.rule).toBe("MAX_LENGTH");
    expect(checkPersonName("张\u0000三")?.rule).toBe("CONTROL_CHARACTER");
  });
});
