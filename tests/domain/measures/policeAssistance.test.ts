import { describe, expect, it } from "vitest";
import {
  DECISION_REQUIRED,
  POLICE_ASSISTANCE_KINDS,
  checkPoliceAssistance,
  policeSeizurePeriod,
} from "../../../domain/measures/policeAssistance.js";

const single = { decisionNumber: "（2024）豫0225执123号", decisionDate: "2024-05-20", judges: ["王明"] };
const panel = { ...single, judges: ["王明", "李华", "张伟"] };

describe("Henan enforcement decision (2020): police assistance (查找及临时控制被执行人、查扣车辆、限制出境) needs a decision on record", () => {
  it.each(POLICE_ASSISTANCE_KINDS)("%s without a decision is refused", (kind) => {
    expect(checkPoliceAssistance(kind, undefined, "2024-06-01")).toMatchObject({ ok: false, code: "DECISION_MISSING" });
  });

  it("Henan High Court supervision opinion, item 6: seizing a vehicle (扣押) needs a collegial panel", () => {
    expect(DECISION_REQUIRED.SEIZE_VEHICLE).toBe("COLLEGIAL_PANEL");
    expect(checkPoliceAssistance("SEIZE_VEHICLE", single, "2024-06-01")).toMatchObject({ ok: false, code: "PANEL_TOO_SMALL" });
    expect(checkPoliceAssistance("SEIZE_VEHICLE", panel, "2024-06-01")).toMatchObject({
      ok: true,
      kind: "SEIZE_VEHICLE",
      requiredDecision: "COLLEGIAL_PANEL",
    });
  });

  it.each(["LOCATE_DEBTOR", "TEMPORARY_CONTROL", "RESTRICT_EXIT", "LIFT_EXIT_RESTRICTION"] as const)(
    "%s needs a court decision naming its judge",
    (kind) => {
      expect(checkPoliceAssistance(kind, single, "2024-06-01")).toMatchObject({ ok: true, requiredDecision: "COURT_DECISION" });
      expect(checkPoliceAssistance(kind, { ...single, judges: [] }, "2024-06-01")).toMatchObject({
        ok: false,
        code: "JUDGE_MISSING",
      });
    },
  );

  it("出境入境管理法 art. 12: an exit restriction decided after the order is refused", () => {
    expect(checkPoliceAssistance("RESTRICT_EXIT", single, "2024-05-19")).toMatchObject({ ok: false, code: "DECISION_AFTER_ORDER" });
  });
});

describe("民诉法解释 2022 art. 485: a vehicle the police seized is held at most two years from the seizure", () => {
  it("seized on 2024-05-20, it lapses after 2026-05-20 unless renewed", () => {
    expect(policeSeizurePeriod("2024-05-20")).toEqual({ startsOn: "2024-05-20", expiresOn: "2026-05-20" });
  });

  it("seized on 29 February, the period ends on 28 February two years on", () => {
    expect(policeSeizurePeriod("2024-02-29")).toEqual({ startsOn: "2024-02-29", expiresOn: "2026-02-28" });
  });
});
