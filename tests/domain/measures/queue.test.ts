import { describe, expect, it } from "vitest";
import { nextToTakeEffect, type MeasureOnAsset } from "../../../domain/measures/queue.js";

const first: MeasureOnAsset = { id: "A", status: "RELEASED", queuedAt: "2024-01-05T10:00:00+08:00", rank: 1 };
const second: MeasureOnAsset = { id: "B", status: "QUEUED", queuedAt: "2024-02-01T09:00:00+08:00", rank: 2 };
const third: MeasureOnAsset = { id: "C", status: "QUEUED", queuedAt: "2024-03-01T09:00:00+08:00", rank: 3 };

describe("查扣冻规定 2020 art. 26: the earliest queued measure takes effect on release", () => {
  it("queue of three, first released: second takes effect, third becomes rank 2", () => {
    expect(nextToTakeEffect([first, second, third])).toEqual({
      ok: true,
      tookEffect: "B",
      measures: [
        { ...second, status: "EFFECTIVE", rank: 1 },
        { ...third, status: "QUEUED", rank: 2 },
        { ...first, rank: null },
      ],
    });
  });

  it("orders by registration time, not by the order given or a stale rank", () => {
    const late = { ...second, rank: 2, queuedAt: "2024-04-01T00:00:00+08:00" };
    const early = { ...third, rank: 3, queuedAt: "2024-01-31T23:00:00Z" };
    expect(nextToTakeEffect([late, first, early])).toMatchObject({ ok: true, tookEffect: "C" });
  });

  it("compares instants across offsets", () => {
    // 2024-02-01T00:30+08:00 is 2024-01-31T16:30Z, earlier than 2024-01-31T17:00Z.
    const a = { ...second, id: "X", queuedAt: "2024-02-01T00:30:00+08:00" };
    const b = { ...third, id: "Y", queuedAt: "2024-01-31T17:00:00Z" };
    expect(nextToTakeEffect([first, b, a])).toMatchObject({ ok: true, tookEffect: "X" });
  });

  it("a lapsed first measure lets the queue advance too (查扣冻规定 art. 27)", () => {
    expect(nextToTakeEffect([{ ...first, status: "LAPSED" }, second])).toMatchObject({ ok: true, tookEffect: "B" });
  });

  it("nothing takes effect when nothing is queued", () => {
    expect(nextToTakeEffect([first])).toEqual({ ok: true, tookEffect: null, measures: [{ ...first, rank: null }] });
  });

  it("refuses to advance while the first measure is still in effect", () => {
    expect(nextToTakeEffect([{ ...first, status: "EFFECTIVE" }, second])).toMatchObject({
      ok: false,
      code: "FIRST_MEASURE_STILL_IN_EFFECT",
      effectiveId: "A",
    });
  });

  it("refuses an asset with two measures in effect", () => {
    expect(
      nextToTakeEffect([
        { ...first, status: "EFFECTIVE" },
        { ...second, status: "EFFECTIVE" },
      ]),
    ).toMatchObject({ ok: false, code: "SEVERAL_IN_EFFECT", effectiveIds: ["A", "B"] });
  });

  it("refuses a queued measure without a registration time", () => {
    expect(nextToTakeEffect([first, { ...second, queuedAt: "yesterday" }])).toMatchObject({
      ok: false,
      code: "INVALID_QUEUED_AT",
      id: "B",
    });
  });
});
