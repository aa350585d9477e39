/**
 * Calendar arithmetic for the periods of control measures, dates written YYYY-MM-DD
 * (see domain/calendarDate.ts).
 *
 * - 民法典 art. 201: "按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算";
 * - 民法典 art. 202: "按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日";
 * - 民事诉讼法 (2023) art. 85: "期间开始的时和日，不计算在期间内".
 *
 * So a one-year measure taking effect on 2024-01-10 is in force up to and including
 * 2025-01-10, and one taking effect on 2024-02-29 up to 2025-02-28.
 *
 * Not applied: the rule that a period whose last day is a public holiday runs to the
 * next working day (民法典 art. 203, 民事诉讼法 art. 85 para. 3). The hub has no holiday
 * calendar, and registries and banks lift measures on the calendar date; see the report.
 */

import { isCalendarDate } from "../calendarDate.js";

const MS_PER_DAY = 24 * 60 * 60 * 1000;

function toUtc(date: string): number {
  if (!isCalendarDate(date)) throw new RangeError(`${date} is not a YYYY-MM-DD calendar date`);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Last day of a period of `months` months that starts on `startDate` (the start day
 * itself not counted): the same day of the month `months` later, or that month's last
 * day when it has no such day. Throws RangeError on a date that is not a calendar date.
 */
export function lastDayOfPeriod(startDate: string, months: number): string {
  const start = new Date(toUtc(startDate));
  if (!Number.isSafeInteger(months) || months < 0) throw new RangeError(`months must be a non-negative integer, got ${months}`);
  const monthIndex = start.getUTCMonth() + months;
  const year = start.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  // Day 0 of the following month is the last day of this one.
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromUtc(Date.UTC(year, month, Math.min(start.getUTCDate(), daysInMonth)));
}

export function addDays(date: string, days: number): string {
  return fromUtc(toUtc(date) + days * MS_PER_DAY);
}

/** Whole days from `from` to `to`: 0 on the same date, negative when `to` is earlier. */
export function daysFromTo(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / MS_PER_DAY);
}
