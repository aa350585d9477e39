/**
 * Lapse at expiry and the warnings before it.
 *
 * 查扣冻规定 (法释〔2020〕21号) art. 27: "查封、扣押、冻结期限届满，人民法院未办理延期手续的，查封、扣押、
 * 冻结的效力消灭。" The hub records such a measure as lapsed; it does not wait for the
 * agency to say so.
 * Seed 000 item 13 (杜绝处置期间"脱封"现象发生) and item 21 (每日巡检): the command centre is
 * warned 30, 7 and 1 days before a measure expires, so that it is renewed in time
 * (renewal.ts). The three thresholds come from the issue, not from a rule.
 *
 * `expiresOn` is the last day in force (periodDates.ts); "today" is the date in China
 * (UTC+8), as courts date their acts. Dates that are not calendar dates are the
 * caller's error (they come from the hub's own records) and throw RangeError.
 */

import { isCalendarDate, todayInChina } from "../calendarDate.js";
import { daysFromTo } from "./periodDates.js";

export const EXPIRY_WARNING_DAYS = [30, 7, 1] as const;
export type ExpiryWarningDays = (typeof EXPIRY_WARNING_DAYS)[number];

function checkedDate(expiresOn: string): string {
  if (!isCalendarDate(expiresOn)) throw new RangeError(`expiry date ${expiresOn} is not a YYYY-MM-DD calendar date`);
  return expiresOn;
}

/** True from the first moment of the day after `expiresOn`, China time. */
export function hasLapsed(expiresOn: string, now: Date): boolean {
  return todayInChina(now) > checkedDate(expiresOn);
}

/** Days from today (China time) to the expiry date: 0 on the expiry day, negative once lapsed. */
export function daysUntilExpiry(expiresOn: string, now: Date): number {
  return daysFromTo(todayInChina(now), checkedDate(expiresOn));
}

/**
 * Which warning is due now: the tightest threshold that has been reached (days left ≤
 * threshold), unless it or a tighter one was already sent. At most one warning is
 * returned: a measure found with 5 days left gets the 7-day warning, not the 30-day
 * one as well; the 30-day one is never sent afterwards. On the expiry day itself the
 * 1-day warning is still due if it was missed; after expiry nothing is (the measure
 * has lapsed, hasLapsed). Thresholds in `alreadyWarned` other than 30, 7, 1 are ignored.
 */
export function expiryWarningsDue(expiresOn: string, now: Date, alreadyWarned: readonly number[]): ExpiryWarningDays[] {
  const daysLeft = daysUntilExpiry(expiresOn, now);
  if (daysLeft < 0) return [];
  const reached = EXPIRY_WARNING_DAYS.filter((threshold) => daysLeft <= threshold);
  if (reached.length === 0) return [];
  const tightest = reached[reached.length - 1];
  const sentTightOrTighter = alreadyWarned.some((sent) => (EXPIRY_WARNING_DAYS as readonly number[]).includes(sent) && sent <= tightest);
  return sentTightOrTighter ? [] : [tightest];
}
