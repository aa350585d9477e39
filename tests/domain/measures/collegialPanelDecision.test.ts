import { describe, expect, it } from "vitest";
import { checkPanelDecision } from "../../../domain/measures/collegialPanelDecision.js";
import { checkCourtDecision } from "../../../domain/measures/courtDecision.js";

const panel = {
  decisionNumber: "（2024）豫0225执123号之一",
  decisionDate: "2024-05-20",
  judges: ["王明", "李华", "张伟"],
};

describe("Henan High Court supervision opinion, items 1 and 6: ordering or releasing a measure needs a collegial-panel decision", () => {
  it("accepts a decision of three judges dated on or before the order", () => {
    expect(checkPanelDecision(panel, "2024-05-20")).toEqual({ ok: true, decision: panel });
    expect(checkPanelDecision(panel, "2024-06-01")).toMatchObject({ ok: true });
  });

  it("refuses an order without a decision", () => {
    expect(checkPanelDecision(undefined, "2024-06-01")).toMatchObject({ ok: false, code: "DECISION_MISSING" });
    expect(checkPanelDecision(null, "2024-06-01")).toMatchObject({ ok: false, code: "DECISION_MISSING" });
  });

  it("refuses a decision without a number", () => {
    expect(checkPanelDecision({ ...panel, decisionNumber: "  " }, "2024-06-01")).toMatchObject({
      ok: false,
      code: "DECISION_NUMBER_MISSING",
    });
  });

  it("refuses a decision dated after the order", () => {
    expect(checkPanelDecision(panel, "2024-05-19")).toMatchObject({
      ok: false,
      code: "DECISION_AFTER_ORDER",
      decisionDate: "2024-05-20",
      orderDate: "2024-05-19",
    });
  });

  it("refuses a decision date that does not exist", () => {
    expect(checkPanelDecision({ ...panel, decisionDate: "2023-02-29" }, "2024-06-01")).toMatchObject({
      ok: false,
      code: "INVALID_DATE",
      field: "decision date",
    });
  });

  it("民事诉讼法 art. 40: refuses a panel of two, or of one", () => {
    expect(checkPanelDecision({ ...panel, judges: ["王明", "李华"] }, "2024-06-01")).toMatchObject({
      ok: false,
      code: "PANEL_TOO_SMALL",
      panelSize: 2,
    });
    expect(checkPanelDecision({ ...panel, judges: ["王明"] }, "2024-06-01")).toMatchObject({ ok: false, code: "PANEL_TOO_SMALL" });
  });

  it("民事诉讼法 art. 40 (合议庭的成员人数，必须是单数): refuses a panel of four, accepts five", () => {
    expect(checkPanelDecision({ ...panel, judges: ["王明", "李华", "张伟", "赵敏"] }, "2024-06-01")).toMatchObject({
      ok: false,
      code: "PANEL_EVEN",
      panelSize: 4,
    });
    expect(checkPanelDecision({ ...panel, judges: ["王明", "李华", "张伟", "赵敏", "陈静"] }, "2024-06-01")).toMatchObject({
      ok: true,
    });
  });

  it("refuses a judge named twice, even spaced differently", () => {
    expect(checkPanelDecision({ ...panel, judges: ["王明", "李华", "王 明"] }, "2024-06-01")).toMatchObject({
      ok: false,
      code: "DUPLICATE_JUDGE",
    });
  });

  it("refuses a judge without a name", () => {
    expect(checkPanelDecision({ ...panel, judges: ["王明", " ", "张伟"] }, "2024-06-01")).toMatchObject({
      ok: false,
      code: "JUDGE_NAME_EMPTY",
      position: 2,
    });
  });

  it("records the decision trimmed", () => {
    expect(
      checkPanelDecision({ ...panel, decisionNumber: " （2024）豫0225执123号之一 ", judges: [" 王明", "李华 ", "张伟"] }, "2024-06-01"),
    ).toEqual({ ok: true, decision: panel });
  });
});

describe("查扣冻规定 2020 art. 1: a court decision names at least one judge", () => {
  it("accepts a single judge's decision and refuses one naming none", () => {
    expect(checkCourtDecision({ ...panel, judges: ["王明"] }, "2024-06-01")).toMatchObject({ ok: true });
    expect(checkCourtDecision({ ...panel, judges: [] }, "2024-06-01")).toMatchObject({ ok: false, code: "JUDGE_MISSING" });
  });
});
