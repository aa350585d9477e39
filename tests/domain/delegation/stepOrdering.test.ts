import { describe, expect, it } from "vitest";
import { ORDERING_PARTY, routeStep } from "../../../domain/delegation/stepOrdering.js";

/**
 * Seed 000 item 18 and Nanzhao court enforcement minutes (2020) (办理委托案件; the delegating court may withdraw before acceptance only):
 * across two hubs, a withdrawal races against the target court's steps. Which copy orders them, the
 * target court's hub, is the design choice of domain/delegation/stepOrdering.ts, not a rule of the seeds.
 */
describe("which hub orders the steps of a task shared by two hubs", () => {
  it("the target court's hub orders; a hub serving both courts orders its own tasks", () => {
    expect(ORDERING_PARTY).toBe("TARGET");
    // The delegating court's own withdrawal is only a request on its hub, decided on the target court's.
    expect(routeStep("DELEGATING", "DELEGATING", "OFFICER")).toEqual({ ok: true, route: "REQUEST" });
    expect(routeStep("TARGET", "DELEGATING", "PEER_REQUEST")).toEqual({ ok: true, route: "DECIDE" });
    expect(routeStep("BOTH", "DELEGATING", "OFFICER")).toEqual({ ok: true, route: "DECIDE" });
  });

  it("the target court's steps are decided on its own hub at once", () => {
    expect(routeStep("TARGET", "TARGET", "OFFICER")).toEqual({ ok: true, route: "DECIDE" });
    expect(routeStep("BOTH", "TARGET", "OFFICER")).toEqual({ ok: true, route: "DECIDE" });
  });

  it("a withdrawal is decided at once when both courts are served by one hub", () => {
    expect(routeStep("BOTH", "DELEGATING", "OFFICER")).toEqual({ ok: true, route: "DECIDE" });
  });

  it(
    "across hubs, the delegating court's withdrawal is a request its " + "hub sends, one at a time, which the target court's hub decides",
    () => {
      expect(routeStep("DELEGATING", "DELEGATING", "OFFICER")).toEqual({ ok: true, route: "REQUEST" });
      expect(routeStep("DELEGATING", "DELEGATING", "OFFICER", "REQUESTED")).toMatchObject({
        ok: false,
        code: "DELEGATION_WITHDRAWAL_PENDING",
      });
      expect(routeStep("TARGET", "DELEGATING", "PEER_REQUEST")).toEqual({ ok: true, route: "DECIDE" });
    },
  );

  it("the delegating court's hub follows what the target court's hub decided, for either court", () => {
    expect(routeStep("DELEGATING", "TARGET", "PEER_DECISION")).toEqual({ ok: true, route: "FOLLOW" });
    expect(routeStep("DELEGATING", "DELEGATING", "PEER_DECISION")).toEqual({ ok: true, route: "FOLLOW" });
  });

  it("a step sent to the hub that may not order it is refused", () => {
    // The delegating court's hub sending a decided step, or receiving a request.
    expect(routeStep("TARGET", "DELEGATING", "PEER_DECISION")).toMatchObject({
      ok: false,
      code: "DELEGATION_STEP_ORDERED_ELSEWHERE",
      orderedBy: "TARGET",
    });
    expect(routeStep("DELEGATING", "DELEGATING", "PEER_REQUEST")).toMatchObject({ ok: false, code: "DELEGATION_STEP_ORDERED_ELSEWHERE" });
    expect(routeStep("TARGET", "TARGET", "PEER_REQUEST")).toMatchObject({ ok: false, code: "DELEGATION_STEP_ORDERED_ELSEWHERE" });
    // An officer of a court served by the other hub acting on this hub's copy.
    expect(routeStep("DELEGATING", "TARGET", "OFFICER")).toMatchObject({
      ok: false,
      code: "DELEGATION_STEP_ORDERED_ELSEWHERE",
      actorParty: "TARGET",
    });
    expect(routeStep("TARGET", "DELEGATING", "OFFICER")).toMatchObject({
      ok: false,
      code: "DELEGATION_STEP_ORDERED_ELSEWHERE",
      actorParty: "DELEGATING",
    });
    // A task of this hub alone takes no step from another hub.
    expect(routeStep("BOTH", "TARGET", "PEER_DECISION")).toMatchObject({ ok: false, code: "DELEGATION_STEP_ORDERED_ELSEWHERE" });
    expect(routeStep("BOTH", "DELEGATING", "PEER_REQUEST")).toMatchObject({ ok: false, code: "DELEGATION_STEP_ORDERED_ELSEWHERE" });
  });
});
