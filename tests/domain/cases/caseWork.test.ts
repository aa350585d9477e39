import { describe, expect, it } from "vitest";
import { CASE_STATUSES } from "../../../domain/cases/caseLifecycle.js";
import { caseAdmitsWork, type CaseWork } from "../../../domain/cases/caseWork.js";

const WORK: CaseWork[] = ["INQUIRY", "MEASURE", "RENEWAL", "LISTING", "ASSISTANCE", "DELEGATION"];

describe("which work a case admits", () => {
  it.each(WORK)("a case performed, terminated or carried on as 执恢 admits no new %s (民事诉讼法 2023 art. 268)", (work) => {
    for (const status of ["CLOSED", "TERMINATED", "SUPERSEDED"] as const) {
      expect(caseAdmitsWork(status, work)).toMatchObject({ ok: false, code: "CASE_NOT_ACTIVE", status, work });
    }
  });

  it("a 终本 case keeps its renewals and its watching inquiries (法〔2016〕373号 arts. 9, 16)", () => {
    expect(caseAdmitsWork("CONCLUDED", "RENEWAL")).toEqual({ ok: true });
    expect(caseAdmitsWork("CONCLUDED", "INQUIRY")).toEqual({ ok: true });
  });

  it("a case in enforcement or suspended admits every kind of work", () => {
    const open = CASE_STATUSES.filter((status) => status === "IN_ENFORCEMENT" || status === "SUSPENDED");
    for (const status of open) for (const work of WORK) expect(caseAdmitsWork(status, work).ok).toBe(true);
  });
});
