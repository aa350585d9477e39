import { describe, expect, it } from "vitest";
import { validateCase, validateYuan } from "../../../capabilities/cases/caseInput.js";
import { caseNumber, creditCode, residentId } from "../../support/identities.js";

const fieldError = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { details: { field: string; reason: string } }).details;
  }
  throw new Error("expected a validation error");
};

describe("case input validation", () => {
  it("derives sex and birth date of a person from the resident ID (GB 11643-1999)", () => {
    const valid = validateCase({
      caseNumber: caseNumber(),
      creditorName: " 开封农商银行 ",
      claimAmount: "380000.5",
      debtors: [
        { kind: "PERSON", idNumber: residentId("19850612", 2), name: "王芳" },
        { kind: "ORGANISATION", idNumber: creditCode(), name: "开封某公司" },
      ],
    });
    expect(valid.creditorName).toBe("开封农商银行");
    expect(valid.claimAmount).toBe("380000.50");
    expect(valid.debtors[0]).toMatchObject({ sex: "FEMALE", birthDate: "1985-06-12" });
    expect(valid.debtors[1]).toMatchObject({ kind: "ORGANISATION", sex: null, birthDate: null });
  });

  it("records a debtor known by the old 15-digit number under its 18-character form (GB 11643-1999)", () => {
    const valid = validateCase({
      caseNumber: caseNumber(),
      creditorName: "开封农商银行",
      claimAmount: "1000",
      debtors: [{ kind: "PERSON", idNumber: "110105491231002", name: "李四" }],
    });
    expect(valid.debtors[0]).toMatchObject({ idNumber: "11010519491231002X", birthDate: "1949-12-31", sex: "FEMALE" });
  });

  it("names the field and the reason of what is wrong", () => {
    const id = residentId();
    const wrongCheck = id.slice(0, 17) + (id[17] === "1" ? "2" : "1");
    expect(
      fieldError(() =>
        validateCase({
          caseNumber: caseNumber(),
          creditorName: "x",
          claimAmount: "1",
          debtors: [{ kind: "PERSON", idNumber: wrongCheck, name: "张三" }],
        }),
      ),
    ).toMatchObject({
      field: "debtors[0].idNumber",
    });
    expect(fieldError(() => validateCase({ caseNumber: "2024豫0225执1", creditorName: "x", claimAmount: "1", debtors: [] })).field).toBe(
      "caseNumber",
    );
    expect(fieldError(() => validateCase({ caseNumber: caseNumber(), creditorName: "x", claimAmount: "1", debtors: [] })).field).toBe(
      "debtors",
    );
    expect(
      fieldError(() =>
        validateCase({
          caseNumber: caseNumber(),
          creditorName: "x",
          claimAmount: "1",
          debtors: [
            { kind: "PERSON", idNumber: id, name: "a" },
            { kind: "PERSON", idNumber: id, name: "b" },
          ],
        }),
      ).field,
    ).toBe("debtors[1].idNumber");
  });

  it("accepts yuan with at most two decimals and refuses zero, negatives and text", () => {
    expect(validateYuan("12", "claimAmount")).toBe("12.00");
    expect(validateYuan("007.1", "claimAmount")).toBe("7.10");
    for (const bad of ["0", "0.00", "-5", "1.234", "abc", "1e6", ""])
      expect(fieldError(() => validateYuan(bad, "claimAmount")).field).toBe("claimAmount");
  });
});
