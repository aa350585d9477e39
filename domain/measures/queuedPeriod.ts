/**
 * The period of a queued measure (轮候) counts from the day it takes effect.
 *
 * 查扣冻规定 (法释〔2020〕21号) art. 26 para. 1: "查封、扣押、冻结解除的，登记在先的轮候查封、扣押、冻结即自动
 * 生效" — until then a queued measure binds nothing, so none of its period can run;
 * art. 27: "查封、扣押、冻结期限届满，人民法院未办理延期手续的，查封、扣押、冻结的效力消灭" — the period that
 * lapses is the period of the measure's effect. 法发〔2004〕5号 art. 20 says a queued seal "自动转为查封"
 * when the first is released; a seal so converted runs its own period from then. Hence the
 * period ordered (its length) is moved to start on the day the measure takes effect, and is
 * kept within the maximum of 民诉法解释 2022 art. 485 counted from that day
 * (maximumPeriod.ts; day counting as in periodDates.ts).
 *
 * A measure that takes effect on or before the first day ordered keeps its period.
 */

import { isCalendarDate } from "../calendarDate.js";
import { invalidDate, refuseWith, type InvalidDate } from "./guardResult.js";
import { maximumPeriodMonths } from "./maximumPeriod.js";
import type { AssetCategory, MeasureKind } from "./measureKinds.js";
import { addDays, daysFromTo, lastDayOfPeriod } from "./periodDates.js";

export interface OrderedPeriod {
  kind: MeasureKind;
  category: AssetCategory;
  /** First and last day in force as ordered (YYYY-MM-DD). */
  startsOn: string;
  expiresOn: string;
}

export type PeriodOnTakingEffect = { ok: true; startsOn: string; expiresOn: string; moved: boolean } | InvalidDate;

export function periodOnTakingEffect(ordered: OrderedPeriod, effectiveOn: string): PeriodOnTakingEffect {
  if (!isCalendarDate(effectiveOn)) return invalidDate("day the measure took effect", effectiveOn);
  if (!isCalendarDate(ordered.startsOn)) return invalidDate("start date", ordered.startsOn);
  if (!isCalendarDate(ordered.expiresOn)) return invalidDate("end date", ordered.expiresOn);
  if (effectiveOn <= ordered.startsOn) return { ok: true, startsOn: ordered.startsOn, expiresOn: ordered.expiresOn, moved: false };
  const moved = addDays(effectiveOn, daysFromTo(ordered.startsOn, ordered.expiresOn));
  const maximum = maximumPeriodMonths(ordered.kind, ordered.category);
  // The same number of days can reach one day past the legal maximum across a 29 February.
  const latest = maximum.ok ? lastDayOfPeriod(effectiveOn, maximum.months) : moved;
  return { ok: true, startsOn: effectiveOn, expiresOn: moved < latest ? moved : latest, moved: true };
}

/**
 * The period of a measure another court carried out (事项委托), as its report gives the agency's registration: it runs from
 * the day the agency registered it (查扣冻规定 2020 art. 1: the measure binds from the notice's service; art. 27: what lapses
 * is its effect), to the last day the agency registered, or, when the report gives none, for the length ordered. Either
 * way it ends at the latest on the maximum of 民诉法解释 2022 art. 485 counted from that day: no registration can hold a
 * measure longer than the law lets the court order it.
 */
export function periodAsRegistered(ordered: OrderedPeriod, registeredOn: string, registeredUntil?: string): PeriodOnTakingEffect {
  if (!isCalendarDate(registeredOn)) return invalidDate("day the agency registered the measure", registeredOn);
  if (!isCalendarDate(ordered.startsOn)) return invalidDate("start date", ordered.startsOn);
  if (!isCalendarDate(ordered.expiresOn)) return invalidDate("end date", ordered.expiresOn);
  if (registeredUntil !== undefined && !isCalendarDate(registeredUntil)) return invalidDate("last day registered", registeredUntil);
  if (registeredUntil !== undefined && registeredUntil < registeredOn) {
    return refuseWith("INVALID_DATE", `the last day registered, ${registeredUntil}, is before the day registered, ${registeredOn}`, {
      field: "last day registered",
      value: registeredUntil,
    });
  }
  const until = registeredUntil ?? addDays(registeredOn, daysFromTo(ordered.startsOn, ordered.expiresOn));
  const maximum = maximumPeriodMonths(ordered.kind, ordered.category);
  const latest = maximum.ok ? lastDayOfPeriod(registeredOn, maximum.months) : until;
  const expiresOn = until < latest ? until : latest;
  return { ok: true, startsOn: registeredOn, expiresOn, moved: registeredOn !== ordered.startsOn || expiresOn !== ordered.expiresOn };
}
