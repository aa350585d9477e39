/**
 * What a case still holds under measures, and what the debtor still owes, once deductions
 * (划拨) are taken into account: the two figures the over-seizure rule (overSeizure.ts) and
 * the listing bar of 失信规定 art. 3 item 2 (sanctions/coveredByMeasures.ts) compare.
 *
 * A deduction transfers frozen money out of the debtor's account to the court: it is no
 * longer the debtor's property under a measure, and it has paid that much of the debt.
 * - Held: 查扣冻规定 (法释〔2020〕21号) art. 19 measures "查封、扣押、冻结被执行人的财产" by "其价额";
 *   money deducted has left the debtor, so a freeze counts for its amount less what was
 *   deducted from it.
 * - Owed: art. 19 bounds measures by what is "足以清偿法律文书确定的债权额及执行费用"; money
 *   deducted has paid part of that (清偿), and art. 28 item 4 ("债务已经清偿的") ends measures
 *   once it is all paid. 民事诉讼法 (2023) art. 253 para. 1 says the same of every measure:
 *   "不得超出被执行人应当履行义务的范围" — the obligation still to be performed. What was
 *   deducted from a freeze since released or lapsed has paid the debt all the same.
 * Deductions beyond claim plus costs leave nothing owed; they do not make the debt negative.
 *
 * An asset is counted once (art. 19 measures the property's 价额, not the number of orders on it): of several
 * measures of the case on the same asset, only the one holding most counts. A freeze of a deposit account
 * holds an amount, not the account, so freezes by amount (`byAmount`) on one account add up.
 */

import { refuseWith, type Refusal } from "./guardResult.js";
import { formatYuan, parseYuan, type InvalidAmount } from "./yuan.js";

export interface MeasureOnCase {
  /** The measure's id, for naming it in a refusal. */
  readonly id?: string;
  /** Value the measure was ordered for (a freeze: the amount frozen), yuan. */
  readonly value: string;
  /** Deducted (划拨) from it so far, yuan; only a freeze is deducted from. Default none. */
  readonly deducted?: string;
  /** False once released or lapsed: it holds nothing, but what was deducted from it has paid the debt. Default true. */
  readonly inForce?: boolean;
  /** The asset it holds (any key naming it); measures with the same key hold one asset. Default: an asset of its own. */
  readonly asset?: string;
  /** A freeze of an amount of money: it adds to other freezes of the same account. Default false. */
  readonly byAmount?: boolean;
}

export interface ClaimAndMeasures {
  /** Claim amount under the judgment (执行标的), yuan. */
  readonly claimAmount: string;
  /** Enforcement costs (执行费用), yuan. */
  readonly costs: string;
  /** The measures of the case that hold value, and those no longer in force that were deducted from. */
  readonly measures: readonly MeasureOnCase[];
  /**
   * What is still owed, yuan, when the case's claim statement gives it (domain/claims/claimStatement.ts: costs, doubled
   * interest and payments, the deductions counted there as payments); otherwise claim plus costs less the deductions.
   */
  readonly outstanding?: string;
}

/** All in cents. */
export interface NetFigures {
  readonly claimAndCosts: bigint;
  /** Value still under measures in force: ordered values less what was deducted from them. */
  readonly held: bigint;
  /** Everything deducted on the case. */
  readonly deducted: bigint;
  /** Claim plus costs less everything deducted, never below zero, or the outstanding amount given. */
  readonly outstanding: bigint;
}

export type DeductedExceedsValue = Refusal<"DEDUCTED_EXCEEDS_FROZEN", { frozenAmount: string; alreadyDeducted: string }>;

export function netOfDeductions(input: ClaimAndMeasures): { ok: true; figures: NetFigures } | InvalidAmount | DeductedExceedsValue {
  const claim = parseYuan(input.claimAmount, "claim amount");
  if (!claim.ok) return claim;
  const costs = parseYuan(input.costs, "costs");
  if (!costs.ok) return costs;
  let held = 0n;
  let deducted = 0n;
  /** The most any measure on the asset holds, by asset key: what the asset counts for. */
  const heldByAsset = new Map<string, bigint>();
  for (const [index, measure] of input.measures.entries()) {
    const value = parseYuan(measure.value, `value of measure #${index + 1}`);
    if (!value.ok) return value;
    const less = parseYuan(measure.deducted ?? "0", `deducted from measure #${index + 1}`);
    if (!less.ok) return less;
    // The deduction guard (deduction.ts) never lets this happen; records that say otherwise are wrong, not a debt paid twice.
    if (less.cents > value.cents) {
      return refuseWith(
        "DEDUCTED_EXCEEDS_FROZEN",
        `measure #${index + 1} is recorded with ${formatYuan(less.cents)} yuan ` +
          `deducted from a value of ${formatYuan(value.cents)} yuan; correct the records`,
        { frozenAmount: formatYuan(value.cents), alreadyDeducted: formatYuan(less.cents) },
      );
    }
    deducted += less.cents;
    if (measure.inForce === false) continue;
    const holds = value.cents - less.cents;
    if (measure.asset === undefined || measure.byAmount === true) held += holds;
    else heldByAsset.set(measure.asset, bigMax(heldByAsset.get(measure.asset) ?? 0n, holds));
  }
  for (const holds of heldByAsset.values()) held += holds;
  const claimAndCosts = claim.cents + costs.cents;
  let outstanding = claimAndCosts > deducted ? claimAndCosts - deducted : 0n;
  if (input.outstanding !== undefined) {
    const owed = parseYuan(input.outstanding, "outstanding");
    if (!owed.ok) return owed;
    outstanding = owed.cents;
  }
  return { ok: true, figures: { claimAndCosts, held, deducted, outstanding } };
}

const bigMax = (a: bigint, b: bigint) => (a > b ? a : b);
