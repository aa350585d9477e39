/**
 * Which legal category an asset found by an inquiry falls in, for the
 * maximum periods of 民诉法解释 2022 art. 485: vehicles are movables; flats
 * are real estate; a deposit account holds bank deposits, and so, for the
 * periods, do a provident fund and a payment account; equity in a company, a
 * tax refund due (a claim on the state), and shares, bonds and fund shares at the
 * securities depository are other property rights; a wage or pension the social insurance
 * agency reports is income, withheld month by month (民事诉讼法 2023 art. 254).
 */
import type { AssetCategory } from "../../domain/measures/measureKinds.js";

export function assetCategoryOf(asset: { type: string; details?: unknown }): AssetCategory {
  if (asset.type === "REAL_ESTATE") return "REAL_ESTATE";
  if (asset.type === "VEHICLE") return "MOVABLE";
  if (asset.type === "DEPOSIT_ACCOUNT") return "DEPOSIT";
  if (asset.type === "INCOME") return "INCOME";
  // Money held for the debtor on an account, as at a bank: frozen at most a year (民诉法解释 art. 485, "银行存款"), the
  // shorter reading for the provident fund, which is the worker's own savings (住房公积金管理条例 art. 3).
  if (asset.type === "PROVIDENT_FUND_ACCOUNT" || asset.type === "PAYMENT_ACCOUNT") return "DEPOSIT";
  const category = (asset.details as { category?: string } | undefined)?.category;
  return category === "DEPOSIT" ? "DEPOSIT" : "OTHER_PROPERTY_RIGHT";
}
