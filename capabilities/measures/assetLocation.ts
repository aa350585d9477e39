/**
 * The province an asset lies in, where the hub can tell: real-estate certificates (豫(2021)兰考县不动产权第…号)
 * and plates (豫B…) begin with the province's abbreviation. Deposits, refunds and other rights have no
 * place the hub knows, so no province.
 */
import { PROVINCES } from "../../domain/divisionCode.js";
import type { AssetCategory } from "../../domain/measures/measureKinds.js";

// Plates write Inner Mongolia 蒙 and Guizhou 贵, where court codes write 内 and 黔.
const PROVINCE_BY_ABBREVIATION = new Map<string, string>([
  ...PROVINCES.map((p) => [p.abbreviation, p.code] as const),
  ["蒙", "15"],
  ["贵", "52"],
]);

export function provinceOfAsset(asset: { category: AssetCategory; identifier: string }): string | undefined {
  if (asset.category !== "REAL_ESTATE" && asset.category !== "MOVABLE") return undefined;
  return PROVINCE_BY_ABBREVIATION.get(asset.identifier.trim().charAt(0));
}
