/**
 * The collegial-panel decision (合议庭评议决定) required for major enforcement acts.
 *
 * Seed 000 (河南高院《关于完善执行权监督制约机制的实施意见（试行）》), items 1 and 6: "在执行程序中，
 * 作出或解除（撤销）查封、冻结、扣押、拍卖及拍卖成交、以物抵债等执行措施 … 决定起拍价 … 等重大执行事项，
 * 应当由员额法官组成合议庭评议决定。" So ordering or releasing a freeze, seal or seizure, a
 * deduction, and a valuation or auction decision each carry the panel's decision:
 * number, date, and its judges.
 *
 * Size: the seed says only "合议庭". Its composition is taken from 民事诉讼法 (2023) art. 40
 * para. 1 (first instance; art. 41 for second instance, in the same words):
 * "合议庭的成员人数，必须是单数" — an odd number; a panel (as opposed to a single judge,
 * 独任) has at least three members. Both rules are written for trials; they are applied
 * here because the seed gives the enforcement panel no other composition.
 * The seed requires 员额法官 (judges with a post quota), not people's assessors; the hub
 * cannot verify a judge's status from a name and leaves that to the court's system.
 */

import { checkCourtDecision, type CourtDecision, type DecisionRefusal } from "./courtDecision.js";
import { refuseWith, type Refusal } from "./guardResult.js";

export const MINIMUM_PANEL_SIZE = 3;

export type PanelDecision = CourtDecision;

export type PanelDecisionCheck =
  | { ok: true; decision: PanelDecision }
  | DecisionRefusal
  | Refusal<"PANEL_TOO_SMALL", { panelSize: number }>
  | Refusal<"PANEL_EVEN", { panelSize: number }>;

export function checkPanelDecision(decision: PanelDecision | null | undefined, orderDate: string): PanelDecisionCheck {
  const checked = checkCourtDecision(decision, orderDate);
  if (!checked.ok) {
    if (checked.code === "DECISION_MISSING") {
      return refuseWith(
        "DECISION_MISSING",
        "ordering or releasing a freeze, seal, seizure or deduction needs a collegial-panel decision on record " +
          "(Henan High Court supervision opinion, items 1 and 6); none was given",
      );
    }
    return checked;
  }
  const panelSize = checked.decision.judges.length;
  if (panelSize < MINIMUM_PANEL_SIZE) {
    return refuseWith("PANEL_TOO_SMALL", `a collegial panel has at least ${MINIMUM_PANEL_SIZE} judges; the decision names ${panelSize}`, {
      panelSize,
    });
  }
  if (panelSize % 2 === 0) {
    return refuseWith(
      "PANEL_EVEN",
      `a collegial panel must have an odd number of members (民事诉讼法 art. 40); the decision names ${panelSize}`,
      { panelSize },
    );
  }
  return checked;
}
