/**
 * The watch over a case concluded without full performance (终结本次执行程序): 最高人民法院关于严格规范终结本次执行程序
 * 的规定（试行）(法〔2016〕373号) art. 16 para. 1: "终结本次执行程序后的五年内，执行法院应当每六个月通过网络执行查控系统
 * 查询一次被执行人的财产". The periods are counted as the measures' are (periodDates.ts): the day of 终本 is not
 * counted, and round k falls on the same day 6k months later (or that month's last day).
 */
import { lastDayOfPeriod } from "../measures/periodDates.js";

/** Months between two re-inquiries (art. 16). */
export const REINQUIRY_INTERVAL_MONTHS = 6;
/** How long the watch lasts after 终本 (art. 16): five years. */
export const WATCH_MONTHS = 60;

/** 法〔2016〕373号 art. 16: the day round `round` (1, 2, …) of the watch falls due, or null once it would fall after the five years. */
export function reinquiryDueOn(concludedOn: string, round: number): string | null {
  if (!Number.isSafeInteger(round) || round < 1) throw new RangeError(`round must be a positive integer, got ${round}`);
  const due = lastDayOfPeriod(concludedOn, REINQUIRY_INTERVAL_MONTHS * round);
  return due <= lastDayOfPeriod(concludedOn, WATCH_MONTHS) ? due : null;
}

/**
 * The round to run next once rounds up to `lastRound` have run, as of `today`: a hub that was down while rounds fell
 * due runs the latest of them now and then keeps to the schedule, rather than every missed round at once. Null once
 * the five years are over.
 */
export function nextReinquiry(concludedOn: string, lastRound: number, today: string): { round: number; dueOn: string } | null {
  if (today > lastDayOfPeriod(concludedOn, WATCH_MONTHS)) return null;
  for (let round = lastRound + 1; ; round += 1) {
    const dueOn = reinquiryDueOn(concludedOn, round);
    if (dueOn === null) return null;
    const following = reinquiryDueOn(concludedOn, round + 1);
    if (following === null || following > today) return { round, dueOn };
  }
}

/** What one finished round of the watch found: the debtors' assets it saw that the case had not known before. */
export interface WatchRound {
  /** When the round's inquiries had all been answered, YYYY-MM-DD. */
  settledOn: string;
  newAssets: number;
}

/**
 * 失信规定 (法释〔2017〕7号) art. 10 item 4: after 终本, the debtor's property was queried through the network inquiry
 * system two or more times and nothing was found. The day the second fruitless round was settled, or null while
 * fewer than two rounds have settled or once a round found property (the case then has assets to resume with).
 */
export function secondFruitlessInquiryOn(rounds: readonly WatchRound[]): string | null {
  const settled = [...rounds].sort((a, b) => a.settledOn.localeCompare(b.settledOn));
  if (settled.some((round) => round.newAssets > 0)) return null;
  return settled.length >= 2 ? settled[1].settledOn : null;
}
