/**
 * Control measures (控) and the assets they bear on.
 *
 * - 民事诉讼法 (2023) art. 253: deposits, bonds, shares, fund units and the like may be
 *   "扣押、冻结、划拨、变价"; art. 255: the debtor's property may be "查封、扣押、冻结、拍卖、变卖".
 * - 民诉法解释 (2022) art. 485 sorts assets by the period each measure may last:
 *   "冻结被执行人的银行存款 … 查封、扣押动产 … 查封不动产、冻结其他财产权".
 *
 * Hence: bank deposits and other property rights (equity, receivables, tax refunds, ...)
 * are frozen (冻结); real estate and movables are sealed (查封); movables may also be
 * seized (扣押), i.e. taken into the court's control, e.g. a vehicle; deductions (划拨)
 * transfer money out of deposits already frozen (see deduction.ts), and out of a money claim
 * frozen as another property right, such as a tax refund due (art. 253: "冻结、划拨"). Whether
 * a right is money is the agency's to know: equity is sold (变价), and the market regulator
 * carries out no deductions; the securities depository sells frozen shares and fund shares
 * and transfers the proceeds, so it deducts a yuan amount within the freeze.
 *
 * Income (收入: a wage, a pension) is neither: 民事诉讼法 (2023) art. 254 lets the court withhold and take part of it
 * (扣留、提取) each month through its payer, within incomeWithholding.ts's limit (WITHHOLD).
 */

import { refuseWith, type Refusal } from "./guardResult.js";

export const MEASURE_KINDS = ["FREEZE", "SEAL", "SEIZE", "DEDUCT", "WITHHOLD"] as const;
/** FREEZE 冻结, SEAL 查封, SEIZE 扣押, DEDUCT 划拨, WITHHOLD 扣留、提取收入 (monthly). Release (解除) and renewal (续行) act on one of these. */
export type MeasureKind = (typeof MEASURE_KINDS)[number];

export const ASSET_CATEGORIES = ["DEPOSIT", "MOVABLE", "REAL_ESTATE", "OTHER_PROPERTY_RIGHT", "INCOME"] as const;
/**
 * DEPOSIT 银行存款; MOVABLE 动产 (vehicles, goods, equipment); REAL_ESTATE 不动产 (land use
 * rights, buildings); OTHER_PROPERTY_RIGHT 其他财产权 (equity, receivables, tax refunds,
 * intellectual property, ...); INCOME 收入 (a wage or pension paid monthly: withheld, art. 254).
 */
export type AssetCategory = (typeof ASSET_CATEGORIES)[number];

export const CATEGORIES_BY_KIND: Readonly<Record<MeasureKind, readonly AssetCategory[]>> = {
  FREEZE: ["DEPOSIT", "OTHER_PROPERTY_RIGHT"],
  SEAL: ["REAL_ESTATE", "MOVABLE"],
  SEIZE: ["MOVABLE"],
  DEDUCT: ["DEPOSIT", "OTHER_PROPERTY_RIGHT"],
  WITHHOLD: ["INCOME"],
};

export function isMeasureKind(value: unknown): value is MeasureKind {
  return typeof value === "string" && (MEASURE_KINDS as readonly string[]).includes(value);
}

export function isAssetCategory(value: unknown): value is AssetCategory {
  return typeof value === "string" && (ASSET_CATEGORIES as readonly string[]).includes(value);
}

export function appliesTo(kind: MeasureKind, category: AssetCategory): boolean {
  return CATEGORIES_BY_KIND[kind].includes(category);
}

export type KindNotApplicable = Refusal<
  "KIND_NOT_APPLICABLE",
  { kind: MeasureKind; category: AssetCategory; allowedCategories: readonly AssetCategory[] }
>;

export function checkKindApplies(kind: MeasureKind, category: AssetCategory): { ok: true } | KindNotApplicable {
  if (appliesTo(kind, category)) return { ok: true };
  const allowedCategories = CATEGORIES_BY_KIND[kind];
  return refuseWith(
    "KIND_NOT_APPLICABLE",
    `a ${kind} measure cannot be ordered on ${category}; it applies to ${allowedCategories.join(" and ")} only`,
    { kind, category, allowedCategories },
  );
}
