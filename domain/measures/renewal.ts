/**
 * Renewal (续行) of a freeze, seal or seizure.
 *
 * 民诉法解释 (法释〔2022〕11号) art. 485 para. 2: "申请执行人申请延长期限的，人民法院应当在查封、扣押、
 * 冻结期限届满前办理续行查封、扣押、冻结手续，续行期限不得超过前款规定的期限。" Para. 3: the court
 * may also renew of its own motion.
 * 查扣冻规定 (法释〔2020〕21号) art. 27: once the period has run out without renewal, "查封、扣押、
 * 冻结的效力消灭": a lapsed measure cannot be renewed, only ordered anew (and may then
 * rank behind measures queued meanwhile). Seed 000 item 13: 杜绝处置期间"脱封".
 *
 * Choices:
 * - "届满前" is read as up to the end of the expiry day: `expiresOn` is the last day the
 *   measure is in force (periodDates.ts), so renewing on that day is in time, the next
 *   day is not. Dates are in China time.
 * - The renewed period is counted from the old expiry (its day not counted, 民法典 art. 201),
 *   never from the renewal date, so renewing early neither loses nor gains time; each
 *   renewal may be at most the maximum of art. 485 para. 1 for the measure and asset.
 */

import { isCalendarDate } from "../calendarDate.js";
import { invalidDate, refuseWith, type InvalidDate, type Refusal } from "./guardResult.js";
import { maximumPeriodMonths, type NoPeriod } from "./maximumPeriod.js";
import type { AssetCategory, KindNotApplicable, MeasureKind } from "./measureKinds.js";
import { addDays, lastDayOfPeriod } from "./periodDates.js";

export interface RenewableMeasure {
  readonly kind: MeasureKind;
  readonly category: AssetCategory;
  /** Last day the measure is in force, YYYY-MM-DD. */
  readonly expiresOn: string;
}

export type RenewalCheck =
  | { ok: true; renewedFrom: string; maximumMonths: number; latestExpiresOn: string }
  | KindNotApplicable
  | NoPeriod
  | InvalidDate
  | Refusal<"RENEWAL_AFTER_EXPIRY", { expiresOn: string; renewalDate: string }>
  | Refusal<"RENEWAL_NOT_EXTENDING", { expiresOn: string; newExpiresOn: string }>
  | Refusal<"RENEWAL_TOO_LONG", { expiresOn: string; newExpiresOn: string; maximumMonths: number; latestExpiresOn: string }>;

export function checkRenewal(measure: RenewableMeasure, renewalDate: string, newExpiresOn: string): RenewalCheck {
  const maximum = maximumPeriodMonths(measure.kind, measure.category);
  if (!maximum.ok) return maximum;
  const { expiresOn } = measure;
  if (!isCalendarDate(expiresOn)) return invalidDate("expiry date", expiresOn);
  if (!isCalendarDate(renewalDate)) return invalidDate("renewal date", renewalDate);
  if (!isCalendarDate(newExpiresOn)) return invalidDate("new expiry date", newExpiresOn);

  if (renewalDate > expiresOn) {
    return refuseWith(
      "RENEWAL_AFTER_EXPIRY",
      `the measure lapsed at the end of ${expiresOn} and can no longer be renewed on ${renewalDate} (查扣冻规定 art. 27); ` +
        "order a new measure instead",
      { expiresOn, renewalDate },
    );
  }
  if (newExpiresOn <= expiresOn) {
    return refuseWith("RENEWAL_NOT_EXTENDING", `the new expiry date ${newExpiresOn} must be after the current expiry date ${expiresOn}`, {
      expiresOn,
      newExpiresOn,
    });
  }
  const maximumMonths = maximum.months;
  const latestExpiresOn = lastDayOfPeriod(expiresOn, maximumMonths);
  if (newExpiresOn > latestExpiresOn) {
    return refuseWith(
      "RENEWAL_TOO_LONG",
      `a renewal of a ${measure.kind} of ${measure.category} may add at most ${maximumMonths} months ` +
        `from the current expiry ${expiresOn} (民诉法解释 art. 485): the new expiry must be by ${latestExpiresOn}, not ${newExpiresOn}`,
      { expiresOn, newExpiresOn, maximumMonths, latestExpiresOn },
    );
  }
  return { ok: true, renewedFrom: addDays(expiresOn, 1), maximumMonths, latestExpiresOn };
}
