/**
 * Enforcement case numbers (案号), as laid down by 最高人民法院关于人民法院案件案号的若干规定
 * (法〔2015〕137号, amended 法〔2018〕335号): "（" + filing year + "）" + court code +
 * case kind + serial + "号", e.g. （2024）豫0225执123号.
 */

import { todayInChina } from "./calendarDate.js";
import { PROVINCES } from "./divisionCode.js";
import { refuse, type ParseResult } from "./parseResult.js";

export type CaseKind = "ENFORCEMENT" | "RESUMED" | "PRESERVATION";

export interface CaseNumber {
  /** With full-width parentheses, the form courts print. */
  readonly caseNumber: string;
  readonly year: number;
  /** Province abbreviation and digits, e.g. 豫0225. */
  readonly courtCode: string;
  readonly kind: CaseKind;
  readonly serial: number;
  /**
   * The court's jurisdiction in division-code shape, for routing: the province code
   * followed by the court's digits, padded with zeros (豫02 → 410200). Special courts'
   * digits (71 and above: railway, maritime, intellectual property, cross-division)
   * and the Corps' 66 follow the same pattern but are not GB/T 2260 codes.
   */
  readonly divisionCode: string;
}

const KINDS: Readonly<Record<string, CaseKind>> = { 执: "ENFORCEMENT", 执恢: "RESUMED", 执保: "PRESERVATION" };
const ALLOWED_KINDS = "执 (ENFORCEMENT), 执恢 (RESUMED), 执保 (PRESERVATION)";

// Taiwan, Hong Kong and Macao have their own judicial systems and no courts under the
// Supreme People's Court, hence no court codes.
const WITHOUT_PEOPLES_COURTS = new Set(["71", "81", "82"]);

// The Xinjiang Production and Construction Corps has its own courts, coded 兵 (art. 4),
// but no province in GB/T 2260; national information systems give it 66.
const CORPS = { code: "66", abbreviation: "兵" };

const JURISDICTION_BY_ABBREVIATION: ReadonlyMap<string, string> = new Map([
  ...PROVINCES.filter((province) => !WITHOUT_PEOPLES_COURTS.has(province.code)).map(
    (province) => [province.abbreviation, province.code] as const,
  ),
  [CORPS.abbreviation, CORPS.code] as const,
]);

const EARLIEST_YEAR = 1990;
const MAX_SERIAL = 2_147_483_647;
const HEAD = /^[（(](\d{4})[）)]/;
const BODY = /^(\D)(\d*)(\D*)(\d*)$/;

/**
 * Reads an enforcement case number; half-width parentheses are accepted. `today`
 * (YYYY-MM-DD, Beijing time) bounds the filing year, which may be next year's for a
 * case registered in the last days of December; it defaults to the current date.
 */
export function parseCaseNumber(value: string, today: string = todayInChina()): ParseResult<CaseNumber> {
  const head = HEAD.exec(value);
  if (!head) {
    return refuse("case number must start with the four-digit filing year in parentheses, e.g. （2024）");
  }
  const year = Number(head[1]);
  const latestYear = Number(today.slice(0, 4)) + 1;
  if (year < EARLIEST_YEAR || year > latestYear) {
    return refuse(`filing year ${year} is outside ${EARLIEST_YEAR} to ${latestYear}`);
  }

  if (!value.endsWith("号")) {
    return refuse("case number must end with 号");
  }
  const body = BODY.exec(value.slice(head[0].length, -1));
  if (!body) {
    return refuse("case number must be the court code, the case kind and the serial between the year and 号");
  }
  const [, abbreviation, courtDigits, kindText, serialText] = body;

  const provinceCode = JURISDICTION_BY_ABBREVIATION.get(abbreviation);
  if (provinceCode === undefined) {
    return refuse(
      `court code must begin with a province abbreviation (${[...JURISDICTION_BY_ABBREVIATION.keys()].join("")}), got ${abbreviation}`,
    );
  }
  // The abbreviation alone names the higher court (art. 4, e.g. （2024）豫执12号), two digits more an intermediate
  // court, four a basic court (art. 5).
  if (courtDigits.length !== 0 && courtDigits.length !== 2 && courtDigits.length !== 4) {
    return refuse(`court code ${abbreviation}${courtDigits} must be the province abbreviation alone or followed by 2 or 4 digits`);
  }

  const kind = KINDS[kindText];
  if (kind === undefined) {
    return refuse(`case kind ${kindText || "(none)"} is not accepted; allowed kinds are ${ALLOWED_KINDS}`);
  }

  // A leading zero would let one case be written two ways.
  if (!/^[1-9]\d*$/.test(serialText)) {
    return refuse(`serial ${serialText || "(none)"} must be a positive integer without leading zeros`);
  }
  // Records keep the serial as a 32-bit integer; no court files two billion cases in a year.
  if (Number(serialText) > MAX_SERIAL) {
    return refuse(`serial ${serialText} is above ${MAX_SERIAL}`);
  }
  const serial = Number(serialText);

  const courtCode = `${abbreviation}${courtDigits}`;
  return {
    ok: true,
    value: {
      caseNumber: `（${year}）${courtCode}${kindText}${serial}号`,
      year,
      courtCode,
      kind,
      serial,
      divisionCode: `${provinceCode}${courtDigits}`.padEnd(6, "0"),
    },
  };
}
