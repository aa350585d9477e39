/**
 * Amounts given to the hub are canonical decimals in yuan: the one way of
 * writing the figure (no leading zeros like "00100", at most two decimals), more
 * than zero where the amount is a sum owed or a value, and within what the
 * records hold (NUMERIC(18, 2)).
 */

import { parseYuan } from "../measures/yuan.js";
import { type InputViolation, violation } from "./inputViolation.js";

/** The largest amount a record holds: 16 digits before the point, 2 after. */
const MAX_CENTS = 10n ** 18n - 1n;

/** Null when `value` is a canonical amount in yuan above zero (or zero, when `zeroAllowed`) and storable. */
export function checkAmount(value: string, zeroAllowed = false): InputViolation | null {
  const parsed = parseYuan(value);
  if (!parsed.ok)
    return violation("DECIMAL_AMOUNT", "must be an amount in yuan with at most two decimals, e.g. 1234.56, without sign or leading zeros");
  if (parsed.cents === 0n && !zeroAllowed) return violation("AMOUNT_NOT_POSITIVE", "must be greater than zero");
  if (parsed.cents > MAX_CENTS) return violation("AMOUNT_TOO_LARGE", "must have at most 16 digits before the decimal point");
  return null;
}
