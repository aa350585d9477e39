/**
 * 失信规定 (法释〔2017〕7号) art. 10 para. 4: "依照本条第一款第三项规定删除失信信息后六个月内，申请执行人申请将该被执行人
 * 纳入失信被执行人名单的，人民法院不予支持。" A creditor who had an entry removed by its own written application may not
 * have the debtor listed again on its application for six months; the court may still list on its own motion
 * (art. 10 para. 3). Six months counted as periods are (民法典 art. 201–202, periodDates.ts): the bar's last day is
 * the same day six months after the removal.
 */
import { refuseWith, type Refusal } from "../measures/guardResult.js";
import { lastDayOfPeriod } from "../measures/periodDates.js";

export const CREDITOR_BAR_MONTHS = 6;

export type CreditorBarCheck =
  | { ok: true }
  | Refusal<"CREDITOR_APPLICATION_BARRED", { removedOn: string; barredUntil: string; rule: string }>;

/** `removalsOnApplication`: the days entries of this case and debtor were removed on the creditor's application. */
export function checkCreditorApplicationBar(input: {
  onCreditorApplication: boolean;
  startsOn: string;
  removalsOnApplication: readonly string[];
}): CreditorBarCheck {
  if (!input.onCreditorApplication) return { ok: true };
  for (const removedOn of input.removalsOnApplication) {
    const barredUntil = lastDayOfPeriod(removedOn, CREDITOR_BAR_MONTHS);
    if (input.startsOn <= barredUntil) {
      return refuseWith(
        "CREDITOR_APPLICATION_BARRED",
        `the creditor's application removed this debtor's entry on ${removedOn}; until ${barredUntil} a listing on its ` +
          "application is not granted (失信规定 art. 10 para. 4); the court may list on its own motion",
        { removedOn, barredUntil, rule: "失信规定 art. 10 para. 4" },
      );
    }
  }
  return { ok: true };
}
