/**
 * Which court does work at a place: the basic court of the district or county (基层人民法院), or, where
 * the directory has none for it, the intermediate court of the city (中级人民法院), which may do the
 * work itself or assign it within its area (民事诉讼法 (2023) art. 240 lets the work be delegated to
 * the court where the person or property is; Henan High Court supervision opinion, item 18: 委托当地法院).
 */
import { refuseWith, type Refusal } from "../measures/guardResult.js";
import { isValidDivisionCode } from "../divisionCode.js";

export type CourtLevel = "HIGHER" | "INTERMEDIATE" | "BASIC";

export interface Court {
  /** As in case numbers: 豫0225 (basic), 豫02 (intermediate), 豫 (higher). */
  code: string;
  name: string;
  level: CourtLevel;
  /** Two-digit province code. */
  province: string;
  /** Division codes it serves: a county's own code (and its old codes, which ID numbers keep), a city's code ending in 00. */
  divisions: string[];
}

export type CompetentCourtResult =
  | { ok: true; court: Court }
  | Refusal<"INVALID_DIVISION_CODE", { divisionCode: string }>
  | Refusal<"NO_COURT_FOR_DIVISION", { divisionCode: string }>;

export function competentCourt(divisionCode: string, courtsByDivision: ReadonlyMap<string, Court>): CompetentCourtResult {
  if (!isValidDivisionCode(divisionCode)) {
    return refuseWith("INVALID_DIVISION_CODE", `${divisionCode} is not a six-digit division code (GB/T 2260)`, { divisionCode });
  }
  const basic = courtsByDivision.get(divisionCode);
  if (basic && basic.level === "BASIC") return { ok: true, court: basic };
  const intermediate = courtsByDivision.get(`${divisionCode.slice(0, 4)}00`);
  if (intermediate && intermediate.level === "INTERMEDIATE") return { ok: true, court: intermediate };
  return refuseWith(
    "NO_COURT_FOR_DIVISION",
    `the court directory has no court serving ${divisionCode} or its city; name the target court instead`,
    {
      divisionCode,
    },
  );
}
