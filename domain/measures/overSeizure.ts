/**
 * No over-seizure (严禁超标的查封).
 *
 * 查扣冻规定 (法释〔2020〕21号) art. 19: "查封、扣押、冻结被执行人的财产，以其价额足以清偿法律文书确定的
 * 债权额及执行费用为限，不得明显超标的额查封、扣押、冻结。发现超标的额查封、扣押、冻结的，人民法院应当
 * … 及时解除对超标的额部分财产的查封、扣押、冻结，但该财产为不可分物且被执行人无其他可供执行的财产
 * 或者其他财产不足以清偿债务的除外。" Also 民事诉讼法 (2023) art. 253 ("不得超出被执行人应当履行义务的
 * 范围") and Henan enforcement decision (2020) ("严禁超时限、超范围、超标的查封").
 *
 * Both sides are net of deductions (划拨, netOfDeductions.ts): a freeze counts for what it
 * still holds, and the claim for what is still owed. Money deducted has left the debtor
 * and paid that much of the debt; counted on both sides at full value, it would let a
 * case that has collected part of its claim keep measures far beyond what it still needs.
 *
 * "明显超标的" has no number in law. The tolerance is therefore a parameter, in basis
 * points over the claim plus costs still owed; DEFAULT_OVER_SEIZURE_TOLERANCE_BASIS_POINTS (20 %) is
 * LOCAL POLICY chosen for this hub, not a statutory figure, and each deployment may
 * configure its own. Exactly at the tolerance is allowed; one cent more is not.
 *
 * Amounts are yuan strings (yuan.ts), computed in cents with bigint: no floats.
 */

import { refuseWith, type Refusal } from "./guardResult.js";
import { netOfDeductions, type ClaimAndMeasures, type DeductedExceedsValue } from "./netOfDeductions.js";
import { formatYuan, parseYuan, type InvalidAmount } from "./yuan.js";

/** 20 % over claim amount plus costs: local policy, configurable; no statute sets it. */
export const DEFAULT_OVER_SEIZURE_TOLERANCE_BASIS_POINTS = 2000;

const BASIS = 10_000n;

export interface OverSeizureOverride {
  /** The asset of the new measure cannot be divided (不可分物). */
  readonly indivisible: boolean;
  /** The debtor has no other property to enforce against, or not enough (无其他可供执行的财产或者其他财产不足以清偿债务). */
  readonly noOtherProperty: boolean;
  /** Why, in words, for the record. */
  readonly reason: string;
}

export interface ValueInForceInput extends ClaimAndMeasures {
  /** Basis points over the claim plus costs still owed that are not yet "clearly" over; defaults to 2000. */
  readonly toleranceBasisPoints?: number;
}

export interface OverSeizureInput extends ValueInForceInput {
  /** Value of the asset the new order would put under a measure, yuan. */
  readonly newValue: string;
  readonly override?: OverSeizureOverride;
}

interface Figures {
  /** Claim amount plus costs, as registered. */
  readonly claimAndCosts: string;
  /** Everything deducted (划拨) on the case. */
  readonly deducted: string;
  /** Claim plus costs less what was deducted: what the measures may still secure. */
  readonly outstanding: string;
  /** Value still under measures, net of deductions, once the new one is in force (over-seizure) or now (excess to release). */
  readonly valueInForce: string;
  /** Highest value allowed: the outstanding amount plus the tolerance, rounded down to the cent. */
  readonly limit: string;
}

export type InvalidTolerance = Refusal<"INVALID_TOLERANCE", { toleranceBasisPoints: number }>;

export type OverSeizureCheck =
  | ({ ok: true; overridden: false } & Figures)
  | ({ ok: true; overridden: true; overrideReason: string } & Figures)
  | InvalidAmount
  | InvalidTolerance
  | DeductedExceedsValue
  | Refusal<"OVER_SEIZURE", Figures & { excess: string; excessOverClaimAndCosts: string; release: readonly MeasureToRelease[] }>
  | Refusal<
      "OVERRIDE_NOT_JUSTIFIED",
      Figures & { excess: string; excessOverClaimAndCosts: string; missing: readonly ("indivisible" | "noOtherProperty" | "reason")[] }
    >;

/** A measure in force whose release (in whole or in part) would bring the case back within the limit. */
export interface MeasureToRelease {
  readonly measureId: string;
  /** yuan it holds */
  readonly holds: string;
}

/**
 * Art. 19 asks the court to release the excess (及时解除), not only to stop ordering: the measures in force, largest
 * first, until together they hold the excess. Measures without an id (not yet recorded) are not named.
 */
function measuresToRelease(measures: ValueInForceInput["measures"], excessCents: bigint): MeasureToRelease[] {
  const held = measures
    .filter((m) => m.id !== undefined && m.inForce !== false)
    .map((m) => {
      const value = parseYuan(m.value);
      const less = parseYuan(m.deducted ?? "0");
      return { measureId: m.id!, cents: (value.ok ? value.cents : 0n) - (less.ok ? less.cents : 0n) };
    })
    .sort((a, b) => (a.cents === b.cents ? 0 : a.cents > b.cents ? -1 : 1));
  const release: MeasureToRelease[] = [];
  let covered = 0n;
  for (const measure of held) {
    if (covered >= excessCents) break;
    release.push({ measureId: measure.measureId, holds: formatYuan(measure.cents) });
    covered += measure.cents;
  }
  return release;
}

interface Assessment {
  readonly outstanding: bigint;
  readonly total: bigint;
  /** total × 10000 − outstanding × (10000 + tolerance): positive when clearly over. */
  readonly overScaled: bigint;
  readonly figures: Figures;
}

function assess(
  input: ValueInForceInput,
  newValue?: string,
): { ok: true; value: Assessment } | InvalidAmount | InvalidTolerance | DeductedExceedsValue {
  const toleranceBasisPoints = input.toleranceBasisPoints ?? DEFAULT_OVER_SEIZURE_TOLERANCE_BASIS_POINTS;
  if (!Number.isSafeInteger(toleranceBasisPoints) || toleranceBasisPoints < 0) {
    return refuseWith(
      "INVALID_TOLERANCE",
      `the over-seizure tolerance must be a whole, non-negative number of basis points (2000 = 20 %); got ${toleranceBasisPoints}`,
      { toleranceBasisPoints },
    );
  }
  const net = netOfDeductions(input);
  if (!net.ok) return net;
  let total = net.figures.held;
  if (newValue !== undefined) {
    const added = parseYuan(newValue, "new value");
    if (!added.ok) return added;
    total += added.cents;
  }
  const { claimAndCosts, deducted, outstanding } = net.figures;
  const limitScaled = outstanding * (BASIS + BigInt(toleranceBasisPoints));
  return {
    ok: true,
    value: {
      outstanding,
      total,
      overScaled: total * BASIS - limitScaled,
      figures: {
        claimAndCosts: formatYuan(claimAndCosts),
        deducted: formatYuan(deducted),
        outstanding: formatYuan(outstanding),
        valueInForce: formatYuan(total),
        limit: formatYuan(limitScaled / BASIS),
      },
    },
  };
}

/** Ceiling division for a positive numerator: an excess of a fraction of a cent is a cent. */
function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}

/**
 * Guard before a new freeze, seal or seizure is sent: the value still under measures on
 * the case with the new one added may not exceed the claim plus costs still owed by more
 * than the tolerance. A refusal gives `excess` (how much over the allowed limit) and
 * `excessOverClaimAndCosts` (how much over what is still owed). The art. 19 exception lets it through only when the asset
 * is indivisible, the debtor has no other (sufficient) property, and a reason is given.
 */
export function checkOverSeizure(input: OverSeizureInput): OverSeizureCheck {
  const assessed = assess(input, input.newValue);
  if (!assessed.ok) return assessed;
  const { outstanding, total, overScaled, figures } = assessed.value;
  if (overScaled <= 0n) return { ok: true, overridden: false, ...figures };

  const excess = formatYuan(ceilDiv(overScaled, BASIS));
  const excessOverClaimAndCosts = formatYuan(total - outstanding);
  const { override } = input;
  if (override === undefined) {
    const release = measuresToRelease(input.measures, ceilDiv(overScaled, BASIS));
    return refuseWith(
      "OVER_SEIZURE",
      `measures in force would hold ${figures.valueInForce} yuan against ${figures.outstanding} yuan still owed ` +
        `(claim plus costs ${figures.claimAndCosts} yuan, ${figures.deducted} yuan deducted), ` +
        `${excess} yuan over the allowed ${figures.limit} yuan (查扣冻规定 art. 19)` +
        (release.length > 0 ? `; releasing ${release.map((m) => m.measureId).join(", ")} would make room` : ""),
      { ...figures, excess, excessOverClaimAndCosts, release },
    );
  }
  const reason = (override.reason ?? "").trim();
  const missing = [
    ...(override.indivisible === true ? [] : (["indivisible"] as const)),
    ...(override.noOtherProperty === true ? [] : (["noOtherProperty"] as const)),
    ...(reason === "" ? (["reason"] as const) : []),
  ];
  if (missing.length > 0) {
    const wanting = [
      missing.includes("indivisible") ? "the asset is not recorded as indivisible" : null,
      missing.includes("noOtherProperty") ? "the debtor is not recorded as having no other sufficient property" : null,
      missing.includes("reason") ? "no reason is given" : null,
    ].filter((part) => part !== null);
    return refuseWith(
      "OVERRIDE_NOT_JUSTIFIED",
      `the order is ${excess} yuan over the allowed ${figures.limit} yuan and the exception of 查扣冻规定 art. 19 ` +
        `does not apply: ${wanting.join("; ")}`,
      { ...figures, excess, excessOverClaimAndCosts, missing },
    );
  }
  return { ok: true, overridden: true, overrideReason: reason, ...figures };
}

export type ExcessToRelease =
  | ({ ok: true; mustRelease: boolean; excess: string } & Figures)
  | InvalidAmount
  | InvalidTolerance
  | DeductedExceedsValue;

/**
 * How much value in force on a case should be released under art. 19 ("及时解除对超标的额
 * 部分财产的查封、扣押、冻结"). Nothing while the value is within the tolerance; once it is
 * clearly over, the excess is everything above the claim plus costs still owed, not merely
 * above the tolerance limit, since the article speaks of the part beyond the claim (超标的额部分).
 * Whether an indivisible asset is kept anyway is the court's decision (checkOverSeizure's
 * override); this only measures.
 */
export function excessToRelease(input: ValueInForceInput): ExcessToRelease {
  const assessed = assess(input);
  if (!assessed.ok) return assessed;
  const { outstanding, total, overScaled, figures } = assessed.value;
  const mustRelease = overScaled > 0n;
  return { ok: true, mustRelease, excess: formatYuan(mustRelease ? total - outstanding : 0n), ...figures };
}

/** A charge on an asset as its agency reports it: a mortgage, another court's seal, with the amount it secures or holds. */
export interface PriorCharge {
  readonly type: string;
  /** yuan; a charge reported without an amount cannot be netted and is not. */
  readonly amount?: string;
}

export type ValueNetOfPriorCharges = { ok: true; value: string; priorCharges: string } | InvalidAmount;

/**
 * What an asset is worth to this case: its estimated value less the claims paid from it first, never below nothing.
 *
 * 民法典 art. 386: "担保物权人在债务人不履行到期债务或者发生当事人约定的实现担保物权的情形，依法享有就担保财产优先受偿
 * 的权利" — a registered mortgage's secured claim is paid from the proceeds before this case's. Another court's earlier
 * seal is paid first as well where neither creditor holds security (执行工作若干问题的规定 (试行), 法释〔1998〕15号 as amended
 * 2020, art. 55: "按照执行法院采取执行措施的先后顺序受偿"). So art. 19 of 查扣冻规定 2020 ("以其价额足以清偿") counts the
 * value left after them; a flat worth 1,200,000 yuan with a 600,000 yuan mortgage secures 600,000 yuan of this case's claim,
 * and counted at 1,200,000 it would make the case look over-seized with half the security it needs.
 *
 * Counted are the charges the agency reports with an amount (the hub cannot guess one); they rank before any measure the
 * case orders now, since one measure per asset (oneMeasurePerAsset.ts) leaves the case no earlier seal of its own there.
 */
export function valueNetOfPriorCharges(estimatedValue: string, charges: readonly PriorCharge[]): ValueNetOfPriorCharges {
  const value = parseYuan(estimatedValue, "estimated value");
  if (!value.ok) return value;
  let prior = 0n;
  for (const charge of charges) {
    if (charge.amount === undefined) continue;
    const amount = parseYuan(charge.amount, `${charge.type} amount`);
    if (!amount.ok) return amount;
    prior += amount.cents;
  }
  return { ok: true, value: formatYuan(value.cents > prior ? value.cents - prior : 0n), priorCharges: formatYuan(prior) };
}
