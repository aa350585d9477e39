/**
 * Deductions (划拨) never exceed what is frozen and not yet deducted, nor what is still owed.
 *
 * 民事诉讼法 (2023) art. 253 para. 1: "人民法院查询、扣押、冻结、划拨、变价的财产不得超出被执行人应当履行
 * 义务的范围". A freeze may hold more than the claim (over-seizure allows a local-policy tolerance,
 * overSeizure.ts), so the frozen balance alone does not bound a deduction by the obligation: it is
 * also bounded by claim plus costs less everything already deducted on the case (netOfDeductions.ts).
 * Seed 000 item 16: "加强案款冻结、扣划、清分、发放各环节管理，确保执行案款收支全程留痕". The hub
 * deducts only from a freeze it holds (the issue: "Deductions never exceed what is frozen").
 */

import { refuseWith, type Refusal } from "./guardResult.js";
import { formatYuan, parseYuan, type InvalidAmount } from "./yuan.js";

export type DeductionCheck =
  | { ok: true; remainingAfter: string }
  | InvalidAmount
  | Refusal<"DEDUCTION_NOT_POSITIVE">
  | Refusal<"DEDUCTED_EXCEEDS_FROZEN", { frozenAmount: string; alreadyDeducted: string }>
  | Refusal<"DEDUCTION_EXCEEDS_FROZEN", { remaining: string; requested: string; excess: string }>
  | Refusal<"DEDUCTION_EXCEEDS_OUTSTANDING", { outstanding: string; requested: string; excess: string }>;

/** `outstanding`: claim plus costs less every deduction on the case (netOfDeductions.ts), yuan. */
export function checkDeduction(frozenAmount: string, alreadyDeducted: string, requested: string, outstanding: string): DeductionCheck {
  const frozen = parseYuan(frozenAmount, "frozen amount");
  if (!frozen.ok) return frozen;
  const deducted = parseYuan(alreadyDeducted, "amount already deducted");
  if (!deducted.ok) return deducted;
  const asked = parseYuan(requested, "requested deduction");
  if (!asked.ok) return asked;
  const owed = parseYuan(outstanding, "amount outstanding");
  if (!owed.ok) return owed;

  if (asked.cents === 0n) {
    return refuseWith("DEDUCTION_NOT_POSITIVE", "a deduction must be of a positive amount");
  }
  if (deducted.cents > frozen.cents) {
    return refuseWith(
      "DEDUCTED_EXCEEDS_FROZEN",
      `the records show ${formatYuan(deducted.cents)} yuan already deducted from a freeze of ${formatYuan(frozen.cents)} yuan; ` +
        "correct them before deducting more",
      { frozenAmount: formatYuan(frozen.cents), alreadyDeducted: formatYuan(deducted.cents) },
    );
  }
  const remaining = frozen.cents - deducted.cents;
  if (asked.cents > remaining) {
    return refuseWith(
      "DEDUCTION_EXCEEDS_FROZEN",
      `only ${formatYuan(remaining)} yuan remains frozen and not yet deducted; ` +
        `${formatYuan(asked.cents)} yuan is ${formatYuan(asked.cents - remaining)} yuan too much`,
      { remaining: formatYuan(remaining), requested: formatYuan(asked.cents), excess: formatYuan(asked.cents - remaining) },
    );
  }
  if (asked.cents > owed.cents) {
    return refuseWith(
      "DEDUCTION_EXCEEDS_OUTSTANDING",
      `only ${formatYuan(owed.cents)} yuan of claim and costs is still owed; ` +
        `${formatYuan(asked.cents)} yuan is ${formatYuan(asked.cents - owed.cents)} yuan too much`,
      { outstanding: formatYuan(owed.cents), requested: formatYuan(asked.cents), excess: formatYuan(asked.cents - owed.cents) },
    );
  }
  return { ok: true, remainingAfter: formatYuan(remaining - asked.cents) };
}
