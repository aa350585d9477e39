/**
 * Citizen identity numbers (公民身份号码, GB 11643-1999): six digits of the division
 * where the person was first registered, eight of the birth date, three of a sequence
 * whose last digit is odd for men and even for women, and a check character.
 *
 * The same shape and check character serve the residence permits of Hong Kong, Macao and Taiwan residents
 * (港澳台居民居住证, 国办发〔2018〕81号: 810000, 820000, 830000 in place of the division) and the foreign permanent
 * residence ID of 2023 (外国人永久居留身份证, 国家移民管理局公告 2023: "9", the issuing province's two digits and a
 * three-digit nationality code in place of the division).
 */

import { isCalendarDate, todayInChina } from "../calendarDate.js";
import { provinceOf } from "../divisionCode.js";
import { refuse, type ParseResult } from "../parseResult.js";

export type Sex = "MALE" | "FEMALE";

export type IdHolder = "CITIZEN" | "HONG_KONG_RESIDENT" | "MACAO_RESIDENT" | "TAIWAN_RESIDENT" | "FOREIGN_PERMANENT_RESIDENT";

const PERMIT_HOLDERS: Readonly<Record<string, IdHolder>> = {
  "810000": "HONG_KONG_RESIDENT",
  "820000": "MACAO_RESIDENT",
  "830000": "TAIWAN_RESIDENT",
};

/** Who holds a number of this shape, from its first six digits; undefined when they fit no holder. */
export function idHolder(firstSix: string): IdHolder | undefined {
  const permit = PERMIT_HOLDERS[firstSix];
  if (permit) return permit;
  if (firstSix.startsWith("9")) return provinceOf(`${firstSix.slice(1, 3)}0000`) ? "FOREIGN_PERMANENT_RESIDENT" : undefined;
  return provinceOf(firstSix) ? "CITIZEN" : undefined;
}

export interface ResidentId {
  readonly holder: IdHolder;
  /** The number with its check character upper-cased, as printed on the card. */
  readonly idNumber: string;
  readonly divisionCode: string;
  /** YYYY-MM-DD */
  readonly birthDate: string;
  readonly sex: Sex;
}

const SHAPE = /^\d{17}[\dXx]$/;
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = "10X98765432";
const EARLIEST_BIRTH_DATE = "1900-01-01";

/**
 * Reads an 18-character resident ID number. `today` (YYYY-MM-DD, Beijing time) bounds
 * the birth date; it defaults to the current date.
 */
export function parseResidentId(value: string, today: string = todayInChina()): ParseResult<ResidentId> {
  if (value.length !== 18) {
    return refuse(`resident ID number must be 18 characters, got ${value.length}`);
  }
  if (!SHAPE.test(value)) {
    return refuse("resident ID number must be 17 digits followed by a digit or X");
  }
  const idNumber = value.toUpperCase();

  const divisionCode = idNumber.slice(0, 6);
  const holder = idHolder(divisionCode);
  if (holder === undefined) {
    return refuse(`division code ${divisionCode} does not start with a GB/T 2260 province code`);
  }

  const digits = idNumber.slice(6, 14);
  const birthDate = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
  if (!isCalendarDate(birthDate)) {
    return refuse(`birth date ${digits} is not a calendar date`);
  }
  if (birthDate < EARLIEST_BIRTH_DATE) {
    return refuse(`birth date ${birthDate} is before 1900`);
  }
  if (birthDate > today) {
    return refuse(`birth date ${birthDate} is in the future`);
  }

  const expected = checkCharacter(idNumber.slice(0, 17));
  const actual = idNumber[17];
  if (actual !== expected) {
    return refuse(`check digit should be ${expected}, got ${actual}`);
  }

  const sex: Sex = Number(idNumber[16]) % 2 === 1 ? "MALE" : "FEMALE";
  return { ok: true, value: { holder, idNumber, divisionCode, birthDate, sex } };
}

/** The GB 11643 check character of the first 17 digits. */
export function checkCharacter(body: string): string {
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++) sum += Number(body[i]) * WEIGHTS[i];
  return CHECK_CHARACTERS[sum % 11];
}
