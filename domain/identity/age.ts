import { isCalendarDate } from "../calendarDate.js";

/**
 * Age in whole years (周岁) on a date, both dates YYYY-MM-DD. The hub uses it to
 * refuse listing minors as dishonest debtors (失信规定), so a person is 18 only once
 * the 18th birthday has arrived; someone born on 29 February turns a year older on
 * 1 March in common years, never a day early.
 *
 * Throws RangeError when either date is not a calendar date or `date` precedes
 * `birthDate`: both are caller errors, not facts about a person.
 */
export function ageOn(birthDate: string, date: string): number {
  if (!isCalendarDate(birthDate)) throw new RangeError(`birth date ${birthDate} is not a YYYY-MM-DD calendar date`);
  if (!isCalendarDate(date)) throw new RangeError(`date ${date} is not a YYYY-MM-DD calendar date`);
  if (date < birthDate) throw new RangeError(`date ${date} is before birth date ${birthDate}`);

  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  // Month-day strings order like the dates they stand for, and "02-29" sorts after
  // every "02-28", which gives the 1 March rule for common years.
  return date.slice(5) < birthDate.slice(5) ? years - 1 : years;
}
