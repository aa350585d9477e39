import { describe, expect, it } from "vitest";
import {
  AGENCY_REQUEST_STATUSES,
  agencyRequestLifecycle as lifecycle,
  type AgencyRequestEvent,
  type AgencyRequestStatus,
} from "../../../domain/inquiry/agencyRequestLifecycle.js";

const OPEN = ["QUEUED", "SENT", "AWAITING"] as const;
const to = (status: AgencyRequestStatus) => Object.fromEntries(OPEN.map((from) => [from, status]));
/** Where each event moves each status; a status missing from a row is one the event does not apply to. */
const EXPECTED: Record<AgencyRequestEvent, Partial<Record<AgencyRequestStatus, AgencyRequestStatus>>> = {
  SEND: { QUEUED: "SENT", SENT: "SENT" },
  AWAIT: to("AWAITING"),
  REQUEUE: to("QUEUED"),
  ANSWER: to("ANSWERED"),
  REFUSE: to("REFUSED"),
  FAIL: to("FAILED"),
  TIME_OUT: to("TIMED_OUT"),
};

describe("the life of an agency request", () => {
  it.each(AGENCY_REQUEST_STATUSES.flatMap((status) => lifecycle.events.map((event) => [status, event] as const)))(
    "%s on %s",
    (status, event) => {
      expect(lifecycle.next(status, event)).toBe(EXPECTED[event][status]);
      expect(lifecycle.statusesFrom(event).includes(status)).toBe(EXPECTED[event][status] !== undefined);
    },
  );

  it("knows every event the expectation names", () => {
    expect([...lifecycle.events].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it("ends in ANSWERED, REFUSED, FAILED or TIMED_OUT, and nothing moves a finished request", () => {
    expect(lifecycle.finalStatuses).toEqual(["ANSWERED", "REFUSED", "FAILED", "TIMED_OUT"]);
    expect(lifecycle.openStatuses).toEqual(["QUEUED", "SENT", "AWAITING"]);
    for (const status of AGENCY_REQUEST_STATUSES) expect(lifecycle.isFinal(status)).toBe(lifecycle.finalStatuses.includes(status));
    expect(lifecycle.isFinal("NO_SUCH_STATUS")).toBe(false);
  });
});
