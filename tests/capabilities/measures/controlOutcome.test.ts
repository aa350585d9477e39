import { describe, expect, it } from "vitest";
import { settleControl } from "../../../capabilities/measures/controlOutcome.js";

const ordered = { kind: "FREEZE", category: "DEPOSIT", startsOn: "2026-03-02", expiresOn: "2027-03-01" } as const;
const effective = (effectiveFrom: string) => ({ kind: "EFFECTIVE", effectiveFrom, reference: "冻20260310000001", raw: "{}" }) as const;

describe("the answer to an order", () => {
  it("answered on the first day ordered keeps the period ordered", () => {
    const { change } = settleControl("APPLY", effective("2026-03-02T10:00:00+08:00"), ordered);
    expect(change).toMatchObject({ event: "TAKE_EFFECT", rank: 1 });
    expect(change.startsOn).toBeUndefined();
    expect(change.expiresOn).toBeUndefined();
  });

  it("carried out later (a late answer) counts the period from the agency's date (查扣冻规定 2020 art. 26, 27)", () => {
    const { change } = settleControl("APPLY", effective("2026-03-10T09:00:00+08:00"), ordered);
    expect(change).toMatchObject({ event: "TAKE_EFFECT", startsOn: "2026-03-10", expiresOn: "2027-03-09" });
  });

  it("uses the agency's date in China time", () => {
    // 23:30 UTC on 9 March is 10 March in Beijing.
    expect(settleControl("APPLY", effective("2026-03-09T23:30:00Z"), ordered).change.startsOn).toBe("2026-03-10");
  });
});
