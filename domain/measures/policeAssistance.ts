/**
 * Police assistance (公安机关协助执行).
 *
 * Seed 003 (河南省人大常委会《关于新形势下加强人民法院执行工作的决定》, 2020), part 三: "完善公安机关与
 * 人民法院建立网络化查找及临时控制被执行人、查扣车辆、限制出境等协作机制。" The seed names the forms of
 * assistance but not who must decide them; the issue requires a decision on record for each.
 *
 * What decision each needs (a choice; see the report):
 * - SEIZE_VEHICLE (查扣车辆) is a seizure (扣押), which Henan High Court supervision opinion, item 6 lists among the acts
 *   "应当由员额法官组成合议庭评议决定": a collegial-panel decision (collegialPanelDecision.ts).
 * - RESTRICT_EXIT (限制出境) rests on 民事诉讼法 (2023) art. 266 and 出境入境管理法 art. 12(3)
 *   ("有未了结的民事案件，人民法院决定不准出境的"): a court decision, which neither seed puts
 *   before a panel; LIFT_EXIT_RESTRICTION needs the same, so that lifting is never
 *   harder than imposing.
 * - LOCATE_DEBTOR (查找被执行人) and TEMPORARY_CONTROL (临时控制) are not among the acts of seed
 *   000 item 6: a court decision on record (number, date, deciding judge), per Henan High Court supervision opinion
 *   item 9 (全程留痕, no "体外循环").
 */

import { checkPanelDecision, type PanelDecisionCheck } from "./collegialPanelDecision.js";
import { checkCourtDecision, type CourtDecision, type DecisionRefusal } from "./courtDecision.js";
import { refuseWith } from "./guardResult.js";
import { MAXIMUM_PERIOD_MONTHS } from "./maximumPeriod.js";
import { lastDayOfPeriod } from "./periodDates.js";

export const POLICE_ASSISTANCE_KINDS = [
  "LOCATE_DEBTOR",
  "TEMPORARY_CONTROL",
  "SEIZE_VEHICLE",
  "RESTRICT_EXIT",
  "LIFT_EXIT_RESTRICTION",
] as const;
export type PoliceAssistanceKind = (typeof POLICE_ASSISTANCE_KINDS)[number];

export type RequiredDecision = "COLLEGIAL_PANEL" | "COURT_DECISION";

export const DECISION_REQUIRED: Readonly<Record<PoliceAssistanceKind, RequiredDecision>> = {
  LOCATE_DEBTOR: "COURT_DECISION",
  TEMPORARY_CONTROL: "COURT_DECISION",
  SEIZE_VEHICLE: "COLLEGIAL_PANEL",
  RESTRICT_EXIT: "COURT_DECISION",
  LIFT_EXIT_RESTRICTION: "COURT_DECISION",
};

const DESCRIPTIONS: Readonly<Record<PoliceAssistanceKind, string>> = {
  LOCATE_DEBTOR: "locating a debtor (查找被执行人)",
  TEMPORARY_CONTROL: "temporary control of a debtor (临时控制)",
  SEIZE_VEHICLE: "seizing a vehicle (查扣车辆)",
  RESTRICT_EXIT: "restricting exit (限制出境)",
  LIFT_EXIT_RESTRICTION: "lifting an exit restriction (解除限制出境)",
};

export type PoliceAssistanceCheck =
  | { ok: true; kind: PoliceAssistanceKind; requiredDecision: RequiredDecision; decision: CourtDecision }
  | Exclude<PanelDecisionCheck, { ok: true }>
  | DecisionRefusal;

export function checkPoliceAssistance(
  kind: PoliceAssistanceKind,
  decision: CourtDecision | null | undefined,
  orderDate: string,
): PoliceAssistanceCheck {
  const requiredDecision = DECISION_REQUIRED[kind];
  if (decision === null || decision === undefined) {
    const needed = requiredDecision === "COLLEGIAL_PANEL" ? "a collegial-panel decision" : "a court decision";
    return refuseWith("DECISION_MISSING", `asking the police for ${DESCRIPTIONS[kind]} needs ${needed} on record; none was given`);
  }
  const checked =
    requiredDecision === "COLLEGIAL_PANEL" ? checkPanelDecision(decision, orderDate) : checkCourtDecision(decision, orderDate);
  if (!checked.ok) return checked;
  return { ok: true, kind, requiredDecision, decision: checked.decision };
}

/**
 * The period of a vehicle the police seized for the court (查扣车辆): a seizure (扣押) of a movable, which 民诉法解释 2022
 * art. 485 para. 1 limits to two years ("查封、扣押动产的期限不得超过两年"), counted from the day of the seizure, when it
 * binds (查扣冻规定 2020 art. 1 by analogy: a measure binds from the act that carries it out). The request to the police
 * names no period, so the seizure is recorded for the longest the law allows, and watched for expiry like any measure.
 */
export function policeSeizurePeriod(seizedOn: string): { startsOn: string; expiresOn: string } {
  return { startsOn: seizedOn, expiresOn: lastDayOfPeriod(seizedOn, MAXIMUM_PERIOD_MONTHS.SEIZE.MOVABLE!) };
}
