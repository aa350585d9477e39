/**
 * Dates given to the hub are ISO calendar dates (YYYY-MM-DD, a day that exists)
 * within a range plausible for what they date: "1.005" or 1900-01-01 on a
 * decision is a typing error, not a decision.
 */

import { isCalendarDate } from "../calendarDate.js";
import { type InputViolation, violation } from "./inputViolation.js";

/** The plausible range of one date field. */
export interface DateRange {
  /** Earliest date accepted, YYYY-MM-DD. */
  readonly notBefore: string;
  /** How many days after today a date may lie: 0 for acts already done (a decision, a notice), more for periods. */
  readonly daysAhead: number;
}

/** Adds days to a YYYY-MM-DD date. */
function plusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Null when `value` is a calendar date in range; `today` is the date in China. */
export function checkIsoDate(value: string, range: DateRange, today: string): InputViolation | null {
  if (!isCalendarDate(value)) return violation("ISO_DATE", "must be a calendar date written YYYY-MM-DD");
  const latest = plusDays(today, range.daysAhead);
  if (value < range.notBefore || value > latest) {
    return violation("DATE_RANGE", `must be between ${range.notBefore} and ${latest}`);
  }
  return null;
}
