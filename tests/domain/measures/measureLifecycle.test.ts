import { describe, expect, it } from "vitest";
import {
  HELD_AT_AGENCY,
  MEASURE_STATUSES,
  ORDER_ANSWERS,
  measureLifecycle as lifecycle,
  type MeasureEvent,
  type MeasureStatus,
} from "../../../domain/measures/measureLifecycle.js";

/** Where each event moves each status; a status missing from a row is one the event does not apply to. */
const EXPECTED: Record<MeasureEvent, Partial<Record<MeasureStatus, MeasureStatus>>> = {
  TAKE_EFFECT: { REQUESTED: "EFFECTIVE" },
  QUEUE: { REQUESTED: "QUEUED" },
  REFUSE: { REQUESTED: "REFUSED" },
  FAIL: { REQUESTED: "FAILED" },
  REPORT_EFFECTIVE: { REQUESTED: "EFFECTIVE", QUEUED: "EFFECTIVE" },
  LAPSE: { EFFECTIVE: "LAPSED", QUEUED: "LAPSED" },
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

  it("is answered only while REQUESTED; only a release ends a measure for good", () => {
    for (const event of ORDER_ANSWERS) expect(lifecycle.statusesFrom(event)).toEqual(["REQUESTED"]);
    expect(lifecycle.finalStatuses).toEqual(["RELEASED"]);
    expect(HELD_AT_AGENCY).toEqual(["EFFECTIVE", "QUEUED"]);
  });
});
