/**
 * Dates in the hub's records are Gregorian calendar dates written YYYY-MM-DD,
 * so that comparing two of them as strings orders them in time.
 */

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.UTC rolls 02-30 over into March; a real date survives the round trip.
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

// China keeps one time zone, UTC+8, with no daylight saving, so a fixed offset is exact.
const CHINA_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * The date in China at the given instant. Courts date their acts in Beijing time,
 * so "today" near midnight UTC must not be yesterday's date.
 */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 10);
}
