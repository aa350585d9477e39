import { describe, expect, it } from "vitest";
import { CASE_STATUSES, caseLifecycle as lifecycle, type CaseEvent, type CaseStatus } from "../../../domain/cases/caseLifecycle.js";

/** Where each event moves each status; a status missing from a row is one the event does not apply to. */
const EXPECTED: Record<CaseEvent, Partial<Record<CaseStatus, CaseStatus>>> = {
  // 民事诉讼法 2023 art. 267
  SUSPEND: { IN_ENFORCEMENT: "SUSPENDED" },
  CONTINUE: { SUSPENDED: "IN_ENFORCEMENT" },
  // 法〔2016〕373号 art. 1
  CONCLUDE: { IN_ENFORCEMENT: "CONCLUDED" },
  // 民事诉讼法 2023 art. 268
  TERMINATE: { IN_ENFORCEMENT: "TERMINATED", SUSPENDED: "TERMINATED", CONCLUDED: "TERMINATED" },
  // 法发〔2014〕26号 art. 15
  CLOSE: { IN_ENFORCEMENT: "CLOSED" },
  // 法发〔2014〕26号 art. 6 items 3 and 5
  RESUME: { CONCLUDED: "SUPERSEDED", TERMINATED: "SUPERSEDED" },
};

describe("the life of a case", () => {
  it.each(CASE_STATUSES.flatMap((status) => lifecycle.events.map((event) => [status, event] as const)))("%s on %s", (status, event) => {
    expect(lifecycle.next(status, event)).toBe(EXPECTED[event][status]);
    expect(lifecycle.statusesFrom(event).includes(status)).toBe(EXPECTED[event][status] !== undefined);
  });

  it("knows every event the expectation names", () => {
    expect([...lifecycle.events].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it("ends only by performance or by being carried on as 执恢; 终本 and 终结 can still be resumed", () => {
    expect(lifecycle.finalStatuses).toEqual(["CLOSED", "SUPERSEDED"]);
    expect(lifecycle.isFinal("CONCLUDED")).toBe(false);
  });
});
