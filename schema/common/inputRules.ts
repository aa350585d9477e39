/**
 * The named rules every argument of the API is checked by at the edge (schema
 * input types carry them with `@Checked`). Each returns null or the violation;
 * the pure rules are in domain/input and the identifier parsers of domain/.
 */

import { parseCaseNumber } from "../../domain/caseNumber.js";
import { isValidDivisionCode } from "../../domain/divisionCode.js";
import { isDebtorIdNumber } from "../../domain/identity/debtorIdentity.js";
import { checkAmount } from "../../domain/input/decimalAmount.js";
import { type InputViolation, violation } from "../../domain/input/inputViolation.js";
import { checkIsoDate, type DateRange } from "../../domain/input/isoDate.js";
import { checkPersonName } from "../../domain/input/personName.js";
import { isPlateNumber } from "../../domain/input/plateNumber.js";
import { checkText, type TextPolicy } from "../../domain/input/textPolicy.js";

/** One rule: null when `value` passes; `today` is the date in China. */
export type InputRule = (value: string, today: string) => InputViolation | null;

const text =
  (policy: TextPolicy): InputRule =>
  (value) =>
    checkText(value, policy);

/** One line of at most `maxLength` characters: numbers, references, short labels. */
export const line = (maxLength: number) => text({ maxLength, multiline: false });

/** Free text of at most `maxLength` characters, line breaks allowed: accounts, reasons, instructions. */
export const paragraph = (maxLength: number) => text({ maxLength, multiline: true });

/** What an argument without a rule of its own is held to. */
export const DEFAULT_RULE = line(200);

/** A text rule first, then a test of the form; `rule` names what the form is. */
const shaped =
  (maxLength: number, rule: string, reason: string, test: (value: string, today: string) => boolean): InputRule =>
  (value, today) =>
    checkText(value, { maxLength, multiline: false }) ?? (test(value, today) ? null : violation(rule, reason));

/** A date in a plausible range. */
export const date =
  (range: DateRange): InputRule =>
  (value, today) =>
    checkIsoDate(value, range, today);

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Case numbers go back to 1990, the earliest year of the case-number rules (domain/caseNumber.ts). */
const EARLIEST = "1990-01-01";

export const inputRules = {
  caseNumber: ((value, today) => {
    const textViolation = checkText(value, { maxLength: 40, multiline: false });
    if (textViolation) return textViolation;
    const parsed = parseCaseNumber(value, today);
    return parsed.ok ? null : violation("CASE_NUMBER", parsed.reason);
  }) satisfies InputRule,
  /**
   * A party's number by any document the hub knows (domain/identity/debtorIdentity.ts): a resident ID (GB 11643), a
   * unified social credit code (GB 32100), an organisation code (GB 11714) or a passport number (ICAO 9303).
   */
  idNumber: shaped(
    18,
    "ID_NUMBER",
    "must be a resident ID (GB 11643), a unified social credit code (GB 32100), an organisation code (GB 11714) or a passport number",
    isDebtorIdNumber,
  ),
  divisionCode: shaped(6, "DIVISION_CODE", "must be a six-digit division code (GB/T 2260)", isValidDivisionCode),
  plateNumber: shaped(8, "PLATE_NUMBER", "must be a plate number such as 豫B12345 (GA 36-2018)", isPlateNumber),
  personName: checkPersonName satisfies InputRule,
  /** A sum owed or a value: more than zero. */
  amount: ((value) => checkAmount(value)) satisfies InputRule,
  /** A value that may be nothing, e.g. an asset's estimate. */
  amountOrZero: ((value) => checkAmount(value, true)) satisfies InputRule,
  /** Document content; its size is bounded by the delegation service (HUB_DELEGATION_MAX_DOCUMENT_BYTES). */
  base64: ((value) => (BASE64.test(value) ? null : violation("BASE64", "must be base64 (RFC 4648)"))) satisfies InputRule,
  /**
   * The day of a decision, a notice or an approval. Whether it may lie after the order is for the legal guards to say,
   * with their own codes (DECISION_AFTER_ORDER); a date more than a year ahead is a typing error.
   */
  actDate: date({ notBefore: EARLIEST, daysAhead: 366 }),
  /** The first or last day of a period, which may lie years ahead (a measure renewed at most for its maximum, 3 years). */
  periodDate: date({ notBefore: EARLIEST, daysAhead: 6 * 366 }),
} as const;
