/**
 * Longest period a control measure may be ordered for.
 *
 * 民诉法解释 (法释〔2022〕11号) art. 485 para. 1: "人民法院冻结被执行人的银行存款的期限不得超过一年，
 * 查封、扣押动产的期限不得超过两年，查封不动产、冻结其他财产权的期限不得超过三年。"
 * 查扣冻规定 (法释〔2020〕21号) art. 27: "查封、扣押、冻结期限届满，人民法院未办理延期手续的，
 * 查封、扣押、冻结的效力消灭" — so the end date ordered is the day the measure lapses
 * unless renewed (see renewal.ts and lapse.ts).
 *
 * `startDate` is the day the measure takes effect (the assistance notice is served,
 * 查扣冻规定 art. 1), `endDate` the last day it is in force. Counting follows
 * periodDates.ts: the start day is not counted, so 12 months from 2024-01-10 end on
 * 2025-01-10, and from 2024-02-29 on 2025-02-28.
 * A deduction (划拨) is a single transfer and has no period; a withholding of income runs for the period its order
 * states, which no law bounds (incomeWithholding.ts).
 */

import { isCalendarDate } from "../calendarDate.js";
import { invalidDate, refuseWith, type InvalidDate, type Refusal } from "./guardResult.js";
import { checkKindApplies, type AssetCategory, type KindNotApplicable, type MeasureKind } from "./measureKinds.js";
import { lastDayOfPeriod } from "./periodDates.js";

/** The kinds that hold an asset for a period the law bounds. */
type HoldingKind = Exclude<MeasureKind, "DEDUCT" | "WITHHOLD">;

export const MAXIMUM_PERIOD_MONTHS: Readonly<Record<HoldingKind, Partial<Record<AssetCategory, number>>>> = {
  FREEZE: { DEPOSIT: 12, OTHER_PROPERTY_RIGHT: 36 },
  SEAL: { MOVABLE: 24, REAL_ESTATE: 36 },
  SEIZE: { MOVABLE: 24 },
};

export type NoPeriod = Refusal<"NO_PERIOD", { kind: MeasureKind }>;

export function maximumPeriodMonths(
  kind: MeasureKind,
  category: AssetCategory,
): { ok: true; months: number } | KindNotApplicable | NoPeriod {
  const applies = checkKindApplies(kind, category);
  if (!applies.ok) return applies;
  if (kind === "DEDUCT") {
    return refuseWith("NO_PERIOD", "a deduction (划拨) transfers money once and has no period", { kind });
  }
  if (kind === "WITHHOLD") {
    return refuseWith("NO_PERIOD", "no law sets a longest period for withholding income (扣留、提取收入): order a new one", { kind });
  }
  const months = MAXIMUM_PERIOD_MONTHS[kind][category];
  // Unreachable while MAXIMUM_PERIOD_MONTHS covers CATEGORIES_BY_KIND; kept so that a
  // category added to one table and not the other is refused rather than unlimited.
  if (months === undefined) {
    return refuseWith("NO_PERIOD", `no maximum period is laid down for ${kind} on ${category}`, { kind });
  }
  return { ok: true, months };
}

export type PeriodCheck =
  | { ok: true; maximumMonths: number; latestEndDate: string }
  | KindNotApplicable
  | NoPeriod
  | InvalidDate
  | Refusal<"END_NOT_AFTER_START", { startDate: string; endDate: string }>
  | Refusal<"PERIOD_TOO_LONG", { startDate: string; endDate: string; maximumMonths: number; latestEndDate: string }>;

export function checkPeriod(kind: MeasureKind, category: AssetCategory, startDate: string, endDate: string): PeriodCheck {
  const maximum = maximumPeriodMonths(kind, category);
  if (!maximum.ok) return maximum;
  if (!isCalendarDate(startDate)) return invalidDate("start date", startDate);
  if (!isCalendarDate(endDate)) return invalidDate("end date", endDate);
  if (endDate <= startDate) {
    return refuseWith("END_NOT_AFTER_START", `end date ${endDate} must be after start date ${startDate}`, {
      startDate,
      endDate,
    });
  }
  const maximumMonths = maximum.months;
  const latestEndDate = lastDayOfPeriod(startDate, maximumMonths);
  if (endDate > latestEndDate) {
    return refuseWith(
      "PERIOD_TOO_LONG",
      `a ${kind} of ${category} may last at most ${maximumMonths} months (民诉法解释 art. 485): ` +
        `starting ${startDate} it must end by ${latestEndDate}, not ${endDate}`,
      { startDate, endDate, maximumMonths, latestEndDate },
    );
  }
  return { ok: true, maximumMonths, latestEndDate };
}
