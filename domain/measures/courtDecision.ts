/**
 * The decision on record that authorises an act of enforcement: its number, its date,
 * and the judges who took it. Every control measure needs one — 查扣冻规定 (法释〔2020〕21号)
 * art. 1: "人民法院查封、扣押、冻结被执行人的动产、不动产及其他财产权，应当作出裁定"; 民事诉讼法 (2023)
 * art. 253 para. 2: "人民法院决定扣押、冻结、划拨、变价财产，应当作出裁定" — and Henan High Court supervision opinion, item 9
 * forbids measures outside the system ("体外循环"; 全程留痕).
 *
 * This file checks what any decision must carry. Which acts need a collegial panel
 * (合议庭) is collegialPanelDecision.ts; police assistance is policeAssistance.ts.
 */

import { isCalendarDate } from "../calendarDate.js";
import { invalidDate, refuseWith, type InvalidDate, type Refusal } from "./guardResult.js";

export interface CourtDecision {
  /** Number of the ruling or decision, e.g. （2024）豫0225执123号之一. */
  readonly decisionNumber: string;
  /** YYYY-MM-DD, China time. */
  readonly decisionDate: string;
  /** Names of the judges who took the decision (for a panel, all its members). */
  readonly judges: readonly string[];
}

export type DecisionRefusal =
  | Refusal<"DECISION_MISSING">
  | Refusal<"DECISION_NUMBER_MISSING">
  | InvalidDate
  | Refusal<"DECISION_AFTER_ORDER", { decisionDate: string; orderDate: string }>
  | Refusal<"JUDGE_MISSING">
  | Refusal<"JUDGE_NAME_EMPTY", { position: number }>
  | Refusal<"DUPLICATE_JUDGE", { judge: string }>;

/** Names are compared without spaces and after NFKC, so that 张 三 and 张三 are one judge. */
function judgeKey(name: string): string {
  return name.normalize("NFKC").replace(/\s+/gu, "");
}

/**
 * Checks that the decision exists, is numbered, is dated on a real date no later than
 * the order it authorises, and names at least one judge, each once. On success the
 * decision is returned with its number and names trimmed, ready to be recorded.
 */
export function checkCourtDecision(
  decision: CourtDecision | null | undefined,
  orderDate: string,
): { ok: true; decision: CourtDecision } | DecisionRefusal {
  if (decision === null || decision === undefined) {
    return refuseWith("DECISION_MISSING", "the order must carry the decision that authorises it; none was given");
  }
  const decisionNumber = (decision.decisionNumber ?? "").trim();
  if (decisionNumber === "") {
    return refuseWith("DECISION_NUMBER_MISSING", "the decision number is missing");
  }
  if (!isCalendarDate(decision.decisionDate)) return invalidDate("decision date", decision.decisionDate);
  if (!isCalendarDate(orderDate)) return invalidDate("order date", orderDate);
  if (decision.decisionDate > orderDate) {
    return refuseWith(
      "DECISION_AFTER_ORDER",
      `the decision is dated ${decision.decisionDate}, after the order of ${orderDate}; ` +
        "an order can only carry out a decision already taken",
      { decisionDate: decision.decisionDate, orderDate },
    );
  }

  const judges = (decision.judges ?? []).map((name) => (typeof name === "string" ? name.trim() : ""));
  if (judges.length === 0) {
    return refuseWith("JUDGE_MISSING", "the decision must name the judge or judges who took it");
  }
  const seen = new Set<string>();
  for (const [index, judge] of judges.entries()) {
    if (judge === "") {
      return refuseWith("JUDGE_NAME_EMPTY", `judge ${index + 1} of the decision has no name`, { position: index + 1 });
    }
    const key = judgeKey(judge);
    if (seen.has(key)) {
      return refuseWith("DUPLICATE_JUDGE", `judge ${judge} is named more than once in the decision`, { judge });
    }
    seen.add(key);
  }

  return { ok: true, decision: { decisionNumber, decisionDate: decision.decisionDate, judges } };
}
