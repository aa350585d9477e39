import { describe, expect, it } from "vitest";
import {
  ASSISTANCE_STATUSES,
  REPORTED,
  assistanceLifecycle as lifecycle,
  type AssistanceEvent,
  type AssistanceStatus,
} from "../../../domain/assistance/assistanceLifecycle.js";

/** Where each event moves each status; a status missing from a row is one the event does not apply to. */
const EXPECTED: Record<AssistanceEvent, Partial<Record<AssistanceStatus, AssistanceStatus>>> = {
  MISS_DEADLINE: { REQUESTED: "UNCONFIRMED" },
  ACCEPT: { REQUESTED: "ACCEPTED", UNCONFIRMED: "ACCEPTED" },
  REFUSE: { REQUESTED: "REFUSED", UNCONFIRMED: "REFUSED" },
  FAIL: { REQUESTED: "FAILED", UNCONFIRMED: "FAILED" },
  CARRY_OUT: { REQUESTED: "DONE", UNCONFIRMED: "DONE", ACCEPTED: "DONE" },
  FALL_THROUGH: { REQUESTED: "UNSUCCESSFUL", UNCONFIRMED: "UNSUCCESSFUL", ACCEPTED: "UNSUCCESSFUL" },
  LIFT: { DONE: "LIFTED" },
};

describe("the life of a request for police assistance", () => {
  it.each(ASSISTANCE_STATUSES.flatMap((status) => lifecycle.events.map((event) => [status, event] as const)))(
    "%s on %s",
    (status, event) => {
      expect(lifecycle.next(status, event)).toBe(EXPECTED[event][status]);
      expect(lifecycle.statusesFrom(event).includes(status)).toBe(EXPECTED[event][status] !== undefined);
    },
  );

  it("knows every event the expectation names", () => {
    expect([...lifecycle.events].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it("ends refused, failed, unsuccessful or lifted; a report moves it to the outcome reported", () => {
    expect(lifecycle.finalStatuses).toEqual(["UNSUCCESSFUL", "REFUSED", "FAILED", "LIFTED"]);
    expect(lifecycle.next("ACCEPTED", REPORTED.DONE)).toBe("DONE");
    expect(lifecycle.next("ACCEPTED", REPORTED.UNSUCCESSFUL)).toBe("UNSUCCESSFUL");
  });
});
