/**
 * The court directory derived from the division tree (GB/T 2260 as the statistics bureau publishes it):
 * a higher court per province, an intermediate court per prefecture-level division, a basic court per
 * county-level division, each coded as its case numbers are (法〔2015〕137号: province abbreviation, then
 * the division code's city and county digits), plus the hand-made entries of overrides.json for what
 * division data cannot say.
 */
import type { Court } from "../domain/courts/competentCourt.js";
import type { DirectoryFile, DirectoryProvince } from "./courtDirectory.js";

/** A division as the data names it: province (2 digits), prefecture (4) or county level (6). */
export interface Division {
  code: string;
  name: string;
}

export interface OverrideCourt extends Court {
  /** Why the data cannot produce this entry: kept in the file so the next regeneration keeps it too. */
  why: string;
}

export interface Overrides {
  /** The provinces the directory covers, with the hub serving each; their divisions come from the data. */
  provinces: DirectoryProvince[];
  /** Each replaces any generated court with its code or serving one of its divisions. */
  courts: OverrideCourt[];
}

/**
 * Prefecture-level entries for the county-level cities a province governs directly (济源, 仙桃…): not a
 * city, so no city court; which intermediate court serves them is an override.
 */
const DIRECTLY_GOVERNED = "省直辖县级行政区划";

/**
 * Whether a county-level code is a division at all: the statistics bureau's codes give development
 * zones and other functional areas (经济技术开发区, 管理区…) the digits 71–79, which GB/T 2260 has not
 * and which have no court of their own in the data; their codes fall back to the city's court.
 */
function isFunctionalArea(countyCode: string): boolean {
  return countyCode[4] === "7";
}

/**
 * A city district's court carries the city's name (郑州市中原区人民法院, and so 晋城市城区 and 济南市市中区
 * are told apart); a county's or county-level city's does not (中牟县人民法院, 新郑市人民法院). GB/T 2260
 * numbers districts 01–20; 神农架林区 (21) is a forestry district, not a city's.
 */
function basicCourtName(city: Division, county: Division): string {
  const isCityDistrict = Number(county.code.slice(4)) <= 20 && county.name.endsWith("区");
  return `${isCityDistrict ? city.name : ""}${county.name}人民法院`;
}

function courtsOfProvince(province: DirectoryProvince, divisions: readonly Division[]): Court[] {
  const court = (code: string, name: string, level: Court["level"], divisionCode: string): Court => ({
    code: `${province.abbreviation}${code}`,
    name,
    level,
    province: province.code,
    divisions: [divisionCode],
  });
  const courts = [court("", `${province.name}高级人民法院`, "HIGHER", `${province.code}0000`)];
  const within = (parent: Division, digits: number) =>
    divisions.filter((division) => division.code.length === digits && division.code.startsWith(parent.code));
  const provinceDivision = divisions.find((division) => division.code === province.code);
  if (!provinceDivision) throw new Error(`division data has no province ${province.code}`);
  for (const city of within(provinceDivision, 4)) {
    const cityDigits = city.code.slice(2, 4);
    if (city.name !== DIRECTLY_GOVERNED) {
      courts.push(court(cityDigits, `${province.name}${city.name}中级人民法院`, "INTERMEDIATE", `${city.code}00`));
    }
    for (const county of within(city, 6)) {
      if (isFunctionalArea(county.code)) continue;
      courts.push(court(county.code.slice(2), basicCourtName(city, county), "BASIC", county.code));
    }
  }
  return courts;
}

export function courtsFromDivisions(divisions: readonly Division[], overrides: Overrides): DirectoryFile {
  const generated = overrides.provinces.flatMap((province) => courtsOfProvince(province, divisions));
  const overridden = overrides.courts.map(({ why: _why, ...court }) => court);
  const replaced = (court: Court) =>
    overridden.some((override) => override.code === court.code || override.divisions.some((d) => court.divisions.includes(d)));
  const provinceOrder = overrides.provinces.map((province) => province.code);
  // Within a province, division order puts the higher court (xx0000) first and each city's court before its counties.
  const courts = [...generated.filter((court) => !replaced(court)), ...overridden].sort(
    (a, b) => provinceOrder.indexOf(a.province) - provinceOrder.indexOf(b.province) || a.divisions[0].localeCompare(b.divisions[0]),
  );
  return { provinces: overrides.provinces, courts };
}

/** One entry a line, as the file has always been laid out, so a regeneration's diff reads court by court. */
export function formatDirectory(file: DirectoryFile): string {
  const lines = (entries: object[]) => entries.map((entry) => `    ${JSON.stringify(entry)}`).join(",\n");
  return `{\n  "provinces": [\n${lines(file.provinces)}\n  ],\n  "courts": [\n${lines(file.courts)}\n  ]\n}\n`;
}
