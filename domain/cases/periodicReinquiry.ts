/**
 * After 终结本次执行程序 the court keeps looking for the debtor's property: for five years it queries the network
 * inquiry system every six months (最高人民法院关于严格规范终结本次执行程序的规定（试行）, 法〔2016〕373号, art. 16).
 */
import { daysFromTo, lastDayOfPeriod } from "../measures/periodDates.js";

export const REINQUIRY_INTERVAL_MONTHS = 6;
export const REINQUIRY_YEARS = 5;

export interface ReinquiryDue {
  /** The day the next inquiry is due: six months after the conclusion or after the last inquiry since, whichever is later. */
  dueOn: string;
  /** Days from today to `dueOn`; negative once past. */
  daysLeft: number;
}

/**
 * When a concluded case's next periodic inquiry is due (dates as YYYY-MM-DD, in China), or undefined once the five
 * years after the conclusion are over. `lastInquiryOn` counts only an inquiry made after the conclusion.
 */
export function periodicReinquiryDue(concludedOn: string, lastInquiryOn: string | null, today: string): ReinquiryDue | undefined {
  const base = lastInquiryOn && lastInquiryOn > concludedOn ? lastInquiryOn : concludedOn;
  const dueOn = lastDayOfPeriod(base, REINQUIRY_INTERVAL_MONTHS);
  if (dueOn > lastDayOfPeriod(concludedOn, REINQUIRY_YEARS * 12)) return undefined;
  return { dueOn, daysLeft: daysFromTo(today, dueOn) };
}
