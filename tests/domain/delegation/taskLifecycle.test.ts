import { describe, expect, it } from "vitest";
import {
  WITHDRAWAL_REQUEST_EVENTS,
  WITHDRAWAL_REQUEST_STATES,
  applyStep,
  stepWithdrawalRequest,
  withdrawalRequestOf,
  type TaskAction,
  type TaskStatus,
  type WithdrawalRequestEvent,
  type WithdrawalRequestState,
} from "../../../domain/delegation/taskLifecycle.js";

const task = (status: TaskStatus) => ({ status, delegatingCourt: "豫0225", targetCourt: "皖0104" });
const byTarget = (action: TaskAction, reason?: string) => ({ actorCourt: "皖0104", action, reason });

describe(
  "Henan High Court supervision opinion, item 18 / Nanzhao court enforcement minutes (2020) (办理委托案件): " +
    "the target court does the delegated work",
  () => {
    it("receives, accepts and completes, in that order", () => {
      expect(applyStep(task("SENT"), byTarget("RECEIVE"))).toEqual({ ok: true, status: "RECEIVED", party: "TARGET" });
      expect(applyStep(task("RECEIVED"), byTarget("ACCEPT"))).toEqual({ ok: true, status: "ACCEPTED", party: "TARGET" });
      expect(applyStep(task("ACCEPTED"), byTarget("COMPLETE"))).toEqual({ ok: true, status: "COMPLETED", party: "TARGET" });
    });

    it("cannot complete before accepting", () => {
      expect(applyStep(task("RECEIVED"), byTarget("COMPLETE"))).toMatchObject({
        ok: false,
        code: "DELEGATION_TRANSITION_NOT_ALLOWED",
        status: "RECEIVED",
        allowedFrom: ["ACCEPTED"],
      });
      expect(applyStep(task("SENT"), byTarget("ACCEPT"))).toMatchObject({ ok: false, code: "DELEGATION_TRANSITION_NOT_ALLOWED" });
    });

    it("returns (退回) before or after accepting, and rejects before accepting, always with reasons", () => {
      expect(applyStep(task("ACCEPTED"), byTarget("RETURN", "材料不全"))).toMatchObject({ ok: true, status: "RETURNED" });
      expect(applyStep(task("RECEIVED"), byTarget("RETURN", "材料不全"))).toMatchObject({ ok: true, status: "RETURNED" });
      expect(applyStep(task("SENT"), byTarget("REJECT", "非本院辖区"))).toMatchObject({ ok: true, status: "REJECTED" });
      expect(applyStep(task("ACCEPTED"), byTarget("REJECT", "非本院辖区"))).toMatchObject({
        ok: false,
        code: "DELEGATION_TRANSITION_NOT_ALLOWED",
      });
      expect(applyStep(task("RECEIVED"), byTarget("RETURN", "  "))).toMatchObject({ ok: false, code: "DELEGATION_REASON_REQUIRED" });
      expect(applyStep(task("RECEIVED"), byTarget("REJECT"))).toMatchObject({ ok: false, code: "DELEGATION_REASON_REQUIRED" });
    });

    it("nothing moves a final task", () => {
      for (const status of ["COMPLETED", "RETURNED", "REJECTED"] as const) {
        for (const action of ["RECEIVE", "ACCEPT", "COMPLETE", "RETURN", "REJECT"] as const) {
          expect(applyStep(task(status), byTarget(action, "x"))).toMatchObject({ ok: false, code: "DELEGATION_TRANSITION_NOT_ALLOWED" });
        }
      }
    });
  },
);

describe("the delegating court may withdraw only before acceptance", () => {
  const byDelegating = { actorCourt: "豫0225", action: "WITHDRAW" as const };
  it("withdraws a task sent or received", () => {
    expect(applyStep(task("SENT"), byDelegating)).toEqual({ ok: true, status: "WITHDRAWN", party: "DELEGATING" });
    expect(applyStep(task("RECEIVED"), byDelegating)).toEqual({ ok: true, status: "WITHDRAWN", party: "DELEGATING" });
  });
  it("cannot withdraw once accepted", () => {
    expect(applyStep(task("ACCEPTED"), byDelegating)).toMatchObject({
      ok: false,
      code: "DELEGATION_TRANSITION_NOT_ALLOWED",
      status: "ACCEPTED",
    });
  });
});

describe("every transition by the right party only", () => {
  it("a third court can do nothing", () => {
    for (const action of ["RECEIVE", "ACCEPT", "COMPLETE", "RETURN", "REJECT", "WITHDRAW"] as const) {
      expect(applyStep(task("SENT"), { actorCourt: "鄂0102", action, reason: "x" })).toMatchObject({
        ok: false,
        code: "DELEGATION_NOT_A_PARTY",
        actorCourt: "鄂0102",
      });
    }
  });
  it("the delegating court cannot do the target court's steps, nor the target court withdraw", () => {
    expect(applyStep(task("SENT"), { actorCourt: "豫0225", action: "RECEIVE" })).toMatchObject({
      ok: false,
      code: "DELEGATION_WRONG_PARTY",
      requiredParty: "TARGET",
    });
    expect(applyStep(task("ACCEPTED"), { actorCourt: "豫0225", action: "COMPLETE" })).toMatchObject({
      ok: false,
      code: "DELEGATION_WRONG_PARTY",
    });
    expect(applyStep(task("SENT"), byTarget("WITHDRAW"))).toMatchObject({
      ok: false,
      code: "DELEGATION_WRONG_PARTY",
      requiredParty: "DELEGATING",
    });
  });
});

describe("the withdrawal request across hubs: asked by the delegating court's hub, applied or refused by the target court's", () => {
  /** Every (state, event) pair: where the request goes, or the refusal's code. */
  const TABLE: Record<WithdrawalRequestState, Record<WithdrawalRequestEvent, string>> = {
    NONE: { REQUEST: "REQUESTED", APPLY: "DELEGATION_WITHDRAWAL_REQUEST_NOT_ALLOWED", REFUSE: "DELEGATION_WITHDRAWAL_REQUEST_NOT_ALLOWED" },
    REQUESTED: { REQUEST: "DELEGATION_WITHDRAWAL_PENDING", APPLY: "APPLIED", REFUSE: "REFUSED" },
    REFUSED: {
      REQUEST: "REQUESTED",
      APPLY: "DELEGATION_WITHDRAWAL_REQUEST_NOT_ALLOWED",
      REFUSE: "DELEGATION_WITHDRAWAL_REQUEST_NOT_ALLOWED",
    },
    APPLIED: {
      REQUEST: "DELEGATION_WITHDRAWAL_REQUEST_NOT_ALLOWED",
      APPLY: "DELEGATION_WITHDRAWAL_REQUEST_NOT_ALLOWED",
      REFUSE: "DELEGATION_WITHDRAWAL_REQUEST_NOT_ALLOWED",
    },
  };

  it("moves as the table says, and only so", () => {
    for (const state of WITHDRAWAL_REQUEST_STATES) {
      for (const event of WITHDRAWAL_REQUEST_EVENTS) {
        const result = stepWithdrawalRequest(state, event);
        expect([state, event, result.ok ? result.state : result.code]).toEqual([state, event, TABLE[state][event]]);
      }
    }
  });

  it("one request waits at a time, and the officer is told so", () => {
    expect(stepWithdrawalRequest("REQUESTED", "REQUEST")).toEqual({
      ok: false,
      code: "DELEGATION_WITHDRAWAL_PENDING",
      reason: "a withdrawal of this task is already waiting for the target court's hub to answer",
    });
  });

  it("is read from the task's copy: asked, refused, or applied by withdrawing the task", () => {
    const at = new Date("2026-03-02T08:00:00Z");
    expect(withdrawalRequestOf({ status: "SENT", requestedAt: null, refusedAt: null })).toBe("NONE");
    expect(withdrawalRequestOf({ status: "RECEIVED", requestedAt: at, refusedAt: null })).toBe("REQUESTED");
    expect(withdrawalRequestOf({ status: "ACCEPTED", requestedAt: at, refusedAt: at })).toBe("REFUSED");
    expect(withdrawalRequestOf({ status: "WITHDRAWN", requestedAt: null, refusedAt: null })).toBe("APPLIED");
  });
});
