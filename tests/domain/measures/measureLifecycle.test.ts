import { describe, expect, it } from "vitest";
import {
  AWAITING_ANSWER,
  HELD_AT_AGENCY,
  RELEASABLE_AT_AGENCY,
  MEASURE_STATUSES,
  ORDER_ANSWERS,
  measureLifecycle as lifecycle,
  type MeasureEvent,
  type MeasureStatus,
} from "../../../domain/measures/measureLifecycle.js";

/** Where each event moves each status; a status missing from a row is one the event does not apply to. */
const EXPECTED: Record<MeasureEvent, Partial<Record<MeasureStatus, MeasureStatus>>> = {
  MISS_DEADLINE: { REQUESTED: "UNCONFIRMED" },
  TAKE_EFFECT: { REQUESTED: "EFFECTIVE", UNCONFIRMED: "EFFECTIVE" },
  QUEUE: { REQUESTED: "QUEUED", UNCONFIRMED: "QUEUED" },
  REFUSE: { REQUESTED: "REFUSED", UNCONFIRMED: "REFUSED" },
  FAIL: { REQUESTED: "FAILED", UNCONFIRMED: "FAILED" },
  REPORT_EFFECTIVE: { REQUESTED: "EFFECTIVE", UNCONFIRMED: "EFFECTIVE", QUEUED: "EFFECTIVE" },
  LAPSE: { EFFECTIVE: "LAPSED", QUEUED: "LAPSED" },
  COMPLETE: { EFFECTIVE: "COMPLETED" },
  RELEASE: Object.fromEntries(MEASURE_STATUSES.map((status) => [status, "RELEASED"])),
};

describe("the life of a measure", () => {
  it.each(MEASURE_STATUSES.flatMap((status) => lifecycle.events.map((event) => [status, event] as const)))("%s on %s", (status, event) => {
    expect(lifecycle.next(status, event)).toBe(EXPECTED[event][status]);
    expect(lifecycle.statusesFrom(event).includes(status)).toBe(EXPECTED[event][status] !== undefined);
  });

  it("knows every event the expectation names", () => {
    expect([...lifecycle.events].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it("is answered only while REQUESTED or UNCONFIRMED (a late answer counts); only a release ends a measure for good", () => {
    for (const event of ORDER_ANSWERS.filter((e) => e !== "MISS_DEADLINE")) {
      expect(lifecycle.statusesFrom(event)).toEqual(["REQUESTED", "UNCONFIRMED"]);
    }
    expect(lifecycle.finalStatuses).toEqual(["RELEASED"]);
    expect(HELD_AT_AGENCY).toEqual(["EFFECTIVE", "QUEUED"]);
    // An unconfirmed order may be in force at the agency: a release goes there rather than waiting.
    expect(RELEASABLE_AT_AGENCY).toEqual(["EFFECTIVE", "QUEUED", "UNCONFIRMED"]);
    expect(AWAITING_ANSWER).toEqual(["REQUESTED"]);
  });

  it("a withholding of income completes only while in effect (民事诉讼法 2023 art. 254), and even then a release is the payer's word", () => {
    expect(lifecycle.statusesFrom("COMPLETE")).toEqual(["EFFECTIVE"]);
    expect(lifecycle.next("COMPLETED", "RELEASE")).toBe("RELEASED");
  });
});
