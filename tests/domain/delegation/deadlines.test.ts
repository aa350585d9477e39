import { describe, expect, it } from "vitest";
import { DEFAULT_DEADLINES, alertDue, deadlinePolicy, runningDeadline } from "../../../domain/delegation/deadlines.js";

const HOUR = 3_600_000;
const sentAt = new Date("2025-03-01T02:00:00Z");

describe("Henan High Court supervision opinion, item 21 (每日巡检 of 事项委托): deadlines, reminders and overdue tasks", () => {
  it("every default names its source or says it is local policy", () => {
    for (const rule of Object.values(DEFAULT_DEADLINES))
      expect(rule.source).toMatch(/local policy|民事诉讼法|Henan High Court supervision opinion /);
  });

  it("acceptance runs from sending, completion from acceptance; a final task runs against nothing", () => {
    expect(runningDeadline({ kind: "SEAL", status: "RECEIVED", sentAt, acceptedAt: null }, DEFAULT_DEADLINES)).toEqual({
      deadline: "ACCEPTANCE",
      dueAt: new Date(sentAt.getTime() + 24 * HOUR),
    });
    const acceptedAt = new Date(sentAt.getTime() + 5 * HOUR);
    expect(runningDeadline({ kind: "QUERY", status: "ACCEPTED", sentAt, acceptedAt }, DEFAULT_DEADLINES)).toEqual({
      deadline: "COMPLETION",
      dueAt: new Date(acceptedAt.getTime() + 10 * 24 * HOUR),
    });
    expect(runningDeadline({ kind: "QUERY", status: "COMPLETED", sentAt, acceptedAt }, DEFAULT_DEADLINES)).toBeUndefined();
  });

  it("reminds within the lead time, once, then says overdue, once", () => {
    const task = { kind: "QUERY" as const, status: "SENT" as const, sentAt, acceptedAt: null };
    const due = sentAt.getTime() + 3 * 24 * HOUR;
    expect(alertDue(task, new Date(due - 25 * HOUR), DEFAULT_DEADLINES, 24, [])).toBeUndefined();
    expect(alertDue(task, new Date(due - 24 * HOUR), DEFAULT_DEADLINES, 24, [])).toMatchObject({
      alert: "REMINDER",
      deadline: "ACCEPTANCE",
    });
    expect(alertDue(task, new Date(due - HOUR), DEFAULT_DEADLINES, 24, ["ACCEPTANCE:REMINDER"])).toBeUndefined();
    expect(alertDue(task, new Date(due + 1), DEFAULT_DEADLINES, 24, ["ACCEPTANCE:REMINDER"])).toMatchObject({ alert: "OVERDUE" });
    expect(alertDue(task, new Date(due + 1), DEFAULT_DEADLINES, 24, ["ACCEPTANCE:REMINDER", "ACCEPTANCE:OVERDUE"])).toBeUndefined();
  });

  it("an accepted task is reminded again about its completion deadline", () => {
    const acceptedAt = new Date(sentAt.getTime() + HOUR);
    const task = { kind: "SEAL" as const, status: "ACCEPTED" as const, sentAt, acceptedAt };
    const now = new Date(acceptedAt.getTime() + 3 * 24 * HOUR - 2 * HOUR);
    expect(alertDue(task, now, DEFAULT_DEADLINES, 24, ["ACCEPTANCE:REMINDER"])).toMatchObject({
      alert: "REMINDER",
      deadline: "COMPLETION",
    });
  });
});

describe("deadlines are configurable, each figure with its source", () => {
  it("replaces the figures of the kinds given and keeps the defaults of the others", () => {
    const policy = deadlinePolicy({ QUERY: { acceptWithinDays: 1, completeWithinDays: 7, source: "河南高院 local rule" } });
    expect(policy.QUERY).toEqual({ acceptWithinDays: 1, completeWithinDays: 7, source: "河南高院 local rule" });
    expect(policy.SEAL).toEqual(DEFAULT_DEADLINES.SEAL);
  });

  it("refuses unknown kinds, figures that are not positive, and figures without a source", () => {
    expect(() => deadlinePolicy({ ARREST: { acceptWithinDays: 1, completeWithinDays: 1, source: "x" } })).toThrow(/not a task kind/);
    expect(() => deadlinePolicy({ QUERY: { acceptWithinDays: 0, source: "x" } })).toThrow(/acceptWithinDays/);
    expect(() => deadlinePolicy({ QUERY: { completeWithinDays: 3 } })).toThrow(/source/);
  });
});
