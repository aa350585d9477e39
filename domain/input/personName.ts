/**
 * Names of people and organisations, which the hub publishes to partners
 * (失信规定 2017 art. 6 lists the name among the published fields): a name is
 * words, not a number, not a placeholder a program wrote for a missing value,
 * and never an ID number, which art. 6 publishes as a field of its own.
 */

import { checkText } from "./textPolicy.js";
import { type InputViolation, violation } from "./inputViolation.js";

/** The longest name accepted: registered organisation names run to a few dozen characters. */
export const MAX_NAME_LENGTH = 100;

const LETTER = /\p{L}/u;
// A run of six digits is already more than any name carries; an ID number (15 or 18 characters) always has one.
const DIGIT_RUN = /\d{6}/;
const PLACEHOLDERS = new Set(["nan", "null", "undefined", "none", "n/a", "na", "nil", "unknown", "test"]);

/** Null when `value` reads as a person's or an organisation's name. */
export function checkPersonName(value: string): InputViolation | null {
  const text = checkText(value, { maxLength: MAX_NAME_LENGTH, multiline: false });
  if (text) return text;
  const trimmed = value.trim();
  if (!LETTER.test(trimmed)) return violation("NAME_WITHOUT_LETTERS", "must be a name written in letters");
  if (PLACEHOLDERS.has(trimmed.toLowerCase())) return violation("NAME_PLACEHOLDER", `"${trimmed}" stands for a missing value, not a name`);
  if (DIGIT_RUN.test(trimmed)) return violation("NAME_WITH_NUMBER", "must not carry an ID number or any run of six digits");
  return null;
}
