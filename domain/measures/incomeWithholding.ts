/**
 * Withholding income (扣留、提取收入): how much of a debtor's monthly wage or pension a court may order its payer
 * to withhold each month, and for how long.
 *
 * - 民事诉讼法 (2023) art. 254: "人民法院有权扣留、提取被执行人应当履行义务部分的收入。但应当保留被执行人及其所扶养
 *   家属的生活必需费用。" The court rules, and the payer (所在单位) must carry out its assistance notice.
 * - 查扣冻规定 2020 art. 3 item 2: the necessities of the debtor and the dependants may not be frozen, "当地有最低生活
 *   保障标准的，必需的生活费用依照该标准确定" — so each person kept is kept at least the local minimum living
 *   standard (最低生活保障标准).
 *
 * The standard is set by each city or county and changes every year; the sources the hub was given (seeds) state no
 * figure, so the court gives it with each order (`minimumLivingStandard`), with the number of dependants it found, and
 * may find a person needs more than the standard (`necessitiesPerPerson`), never less. What stays with the debtor each
 * month is (1 + dependants) times that; the rest of the month's income is all that may be withheld.
 * Art. 254 also bounds the whole by "应当履行义务部分": the total to withhold is at most what is still owed.
 */

import { isCalendarDate } from "../calendarDate.js";
import { invalidDate, refuseWith, type InvalidDate, type Refusal } from "./guardResult.js";
import { formatYuan, parseYuan, type InvalidAmount } from "./yuan.js";

/** More dependants than this is a typing error, not a household (the edge bounds the field too). */
export const MAXIMUM_DEPENDANTS = 20;

export interface WithholdingTerms {
  /** What the payer pays the debtor each month (the wage or the pension the agency reports), yuan. */
  readonly monthlyIncome: string;
  /** What the order withholds each month, yuan. */
  readonly monthlyAmount: string;
  /** Persons the debtor supports (所扶养家属), as the court found. */
  readonly dependants: number;
  /** The local minimum living standard (当地最低生活保障标准), yuan per person per month. */
  readonly minimumLivingStandard: string;
  /** What the court found a person needs a month, if more than the standard; default the standard. */
  readonly necessitiesPerPerson?: string;
  /** The total to withhold over the order's period, yuan. */
  readonly total: string;
  /** Claim, costs and interest still owed today (domain/claims/claimStatement.ts), yuan. */
  readonly outstanding: string;
}

export type WithholdingCheck =
  | { ok: true; necessities: string; withholdable: string }
  | InvalidAmount
  | Refusal<"INVALID_DEPENDANTS", { field: string; dependants: number }>
  | Refusal<"NECESSITIES_BELOW_STANDARD", { field: string; necessitiesPerPerson: string; minimumLivingStandard: string }>
  | Refusal<"WITHHOLDING_NOT_POSITIVE", { field: string }>
  | Refusal<
      "WITHHOLDING_LEAVES_LESS_THAN_NECESSITIES",
      { field: string; monthlyIncome: string; necessities: string; withholdable: string; requested: string }
    >
  | Refusal<"WITHHOLDING_EXCEEDS_OUTSTANDING", { field: string; outstanding: string; requested: string; excess: string }>;

export function checkIncomeWithholding(terms: WithholdingTerms): WithholdingCheck {
  const income = parseYuan(terms.monthlyIncome, "monthly income");
  if (!income.ok) return income;
  const asked = parseYuan(terms.monthlyAmount, "monthlyAmount");
  if (!asked.ok) return asked;
  const standard = parseYuan(terms.minimumLivingStandard, "minimumLivingStandard");
  if (!standard.ok) return standard;
  const perPerson = parseYuan(terms.necessitiesPerPerson ?? terms.minimumLivingStandard, "necessitiesPerPerson");
  if (!perPerson.ok) return perPerson;
  const total = parseYuan(terms.total, "value");
  if (!total.ok) return total;
  const owed = parseYuan(terms.outstanding, "amount outstanding");
  if (!owed.ok) return owed;

  if (!Number.isInteger(terms.dependants) || terms.dependants < 0 || terms.dependants > MAXIMUM_DEPENDANTS) {
    return refuseWith("INVALID_DEPENDANTS", `dependants must be a whole number from 0 to ${MAXIMUM_DEPENDANTS}`, {
      field: "dependants",
      dependants: terms.dependants,
    });
  }
  if (perPerson.cents < standard.cents) {
    return refuseWith(
      "NECESSITIES_BELOW_STANDARD",
      `a person's necessities (${formatYuan(perPerson.cents)} yuan) cannot be found below the local minimum living standard ` +
        `(${formatYuan(standard.cents)} yuan; 查扣冻规定 art. 3)`,
      {
        field: "necessitiesPerPerson",
        necessitiesPerPerson: formatYuan(perPerson.cents),
        minimumLivingStandard: formatYuan(standard.cents),
      },
    );
  }
  if (asked.cents === 0n) return refuseWith("WITHHOLDING_NOT_POSITIVE", "the monthly amount must be positive", { field: "monthlyAmount" });
  if (total.cents === 0n) return refuseWith("WITHHOLDING_NOT_POSITIVE", "the total to withhold must be positive", { field: "value" });

  const necessities = perPerson.cents * BigInt(1 + terms.dependants);
  const withholdable = income.cents > necessities ? income.cents - necessities : 0n;
  if (asked.cents > withholdable) {
    return refuseWith(
      "WITHHOLDING_LEAVES_LESS_THAN_NECESSITIES",
      `of ${formatYuan(income.cents)} yuan a month, ${formatYuan(necessities)} yuan must stay with the debtor and ` +
        `${terms.dependants} dependant(s) (民事诉讼法 art. 254); at most ${formatYuan(withholdable)} yuan may be withheld, ` +
        `not ${formatYuan(asked.cents)}`,
      {
        field: "monthlyAmount",
        monthlyIncome: formatYuan(income.cents),
        necessities: formatYuan(necessities),
        withholdable: formatYuan(withholdable),
        requested: formatYuan(asked.cents),
      },
    );
  }
  if (total.cents > owed.cents) {
    return refuseWith(
      "WITHHOLDING_EXCEEDS_OUTSTANDING",
      `only ${formatYuan(owed.cents)} yuan is still owed; a total of ${formatYuan(total.cents)} yuan is ` +
        `${formatYuan(total.cents - owed.cents)} yuan too much (民事诉讼法 art. 254: 应当履行义务部分)`,
      {
        field: "value",
        outstanding: formatYuan(owed.cents),
        requested: formatYuan(total.cents),
        excess: formatYuan(total.cents - owed.cents),
      },
    );
  }
  return { ok: true, necessities: formatYuan(necessities), withholdable: formatYuan(withholdable) };
}

/**
 * A withholding runs from its first to its last month: no law sets a longest period for it (民诉法解释 art. 485 lists
 * freezes, seals and seizures), so the order's own period is checked only for being one.
 */
export function checkWithholdingPeriod(
  startsOn: string,
  expiresOn: string,
): { ok: true } | InvalidDate | Refusal<"END_NOT_AFTER_START", { startDate: string; endDate: string }> {
  if (!isCalendarDate(startsOn)) return invalidDate("start date", startsOn);
  if (!isCalendarDate(expiresOn)) return invalidDate("end date", expiresOn);
  if (expiresOn <= startsOn) {
    return refuseWith("END_NOT_AFTER_START", `end date ${expiresOn} must be after start date ${startsOn}`, {
      startDate: startsOn,
      endDate: expiresOn,
    });
  }
  return { ok: true };
}

/**
 * What of a month's withholding the payer reports counts toward the case: never more than the order has left to
 * withhold, nor than is still owed (money withheld beyond either is the debtor's, to be returned). `completes` when the
 * order's total is reached: the payer stops, and so does the measure.
 */
export function monthlyWithholdingCounted(
  reported: bigint,
  total: bigint,
  alreadyWithheld: bigint,
  outstanding: bigint,
): { counted: bigint; excess: bigint; completes: boolean } {
  const left = total > alreadyWithheld ? total - alreadyWithheld : 0n;
  const cap = left < outstanding ? left : outstanding;
  const counted = reported < cap ? reported : cap;
  return { counted, excess: reported - counted, completes: alreadyWithheld + counted >= total };
}
