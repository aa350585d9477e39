/**
 * What a debtor still owes on a date: the money debt of the judgment, the enforcement costs, the doubled interest on
 * delay, less what was paid (by the debtor, or by deduction from a freeze).
 *
 * 民事诉讼法 (2023) art. 264: "被执行人未按判决、裁定和其他法律文书指定的期间履行给付金钱义务的，应当加倍支付迟延
 * 履行期间的债务利息". How, 最高人民法院关于执行程序中计算迟延履行期间的债务利息适用法律若干问题的解释
 * (法释〔2014〕8号):
 * - art. 1: the doubled part = "债务人尚未清偿的生效法律文书确定的除一般债务利息之外的金钱债务×日万分之一点七五×
 *   迟延履行期间"; the general interest runs as the judgment says and is part of what the judgment awards
 *   (the court records it in the principal it enters), so only the doubled part is computed here;
 * - art. 2: from the end of the performance period the judgment sets ("自生效法律文书确定的履行期间届满之日起计算"),
 *   or, when it sets none, from the day it took effect;
 * - art. 3: each part paid stops accruing on the day it is paid ("分次履行的，相应部分的加倍部分债务利息计算至每次
 *   履行完毕之日"; a deduction, "计算至划拨、提取之日");
 * - art. 4: what is paid goes first to the money debt of the judgment, then to the doubled interest
 *   ("应当先清偿生效法律文书确定的金钱债务，再清偿加倍部分债务利息").
 * Enforcement costs come off first: proceeds are applied "扣除执行费用" before any creditor is paid (民诉法解释,
 * 参与分配), and 执行申请费 is the debtor's to bear (诉讼费用交纳办法 art. 38).
 *
 * Days: the day after the last day of the performance period is the first day of delay, the day of payment the last
 * (a payment on the last day of the period is on time). Amounts are cents as bigint; the interest is summed exactly
 * (cents × 175 × days over 1,000,000) and rounded once, half up, to the cent.
 *
 * Not modelled: periods the interpretation's art. 3 para. 2 excludes (a suspension not at the debtor's request, a
 * retrial's suspension), instalment judgments (art. 2, one deadline per instalment) and foreign currency (art. 5).
 */
import { daysFromTo } from "../measures/periodDates.js";
import { refuseWith, type Refusal } from "../measures/guardResult.js";
import { formatYuan, parseYuan, type InvalidAmount } from "../measures/yuan.js";

/** 日万分之一点七五, as 175 per 1,000,000 per day. */
const DAILY_RATE_NUMERATOR = 175n;
const DAILY_RATE_DENOMINATOR = 1_000_000n;

export interface Payment {
  /** YYYY-MM-DD */
  readonly paidOn: string;
  /** yuan */
  readonly amount: string;
}

export interface ClaimFacts {
  /** 生效法律文书确定的金钱债务 (除一般债务利息之外), yuan: the claim amount registered with the case. */
  readonly principal: string;
  /** 执行费用, yuan. */
  readonly costs: string;
  /** The day the judgment took effect, YYYY-MM-DD; null when not recorded. */
  readonly judgmentDate: string | null;
  /** The last day of the performance period the judgment sets; null when it sets none. */
  readonly performanceDeadline: string | null;
  /** Payments and deductions, in any order. */
  readonly payments: readonly Payment[];
}

/** Every figure in yuan. */
export interface ClaimStatement {
  readonly asOf: string;
  readonly principal: string;
  readonly costs: string;
  /** Doubled interest accrued up to `asOf` (加倍部分债务利息). */
  readonly interest: string;
  /** Paid up to `asOf`, in all. */
  readonly paid: string;
  /** What is still owed on `asOf`: costs, principal and interest not yet paid. */
  readonly outstanding: string;
  /** Paid beyond everything owed (to be returned to the debtor). */
  readonly overpaid: string;
  /** The first day of delay, or null when no interest runs (no date recorded). */
  readonly interestFrom: string | null;
}

export type ClaimCheck = ({ ok: true } & ClaimStatement) | InvalidAmount | Refusal<"INTEREST_BASIS_INCONSISTENT", { field: string }>;

/** The first day on which the doubled interest runs (art. 2), or null when the judgment's dates are not recorded. */
export function delayStartsOn(judgmentDate: string | null, performanceDeadline: string | null): string | null {
  if (performanceDeadline !== null) return dayAfter(performanceDeadline);
  return judgmentDate;
}

function dayAfter(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/** Days of delay from `from` (the first day of delay) up to and including `to`; 0 before it. */
function daysOfDelay(from: string | null, to: string): bigint {
  if (from === null) return 0n;
  const days = daysFromTo(from, to) + 1;
  return days > 0 ? BigInt(days) : 0n;
}

/** Rounds numerator / denominator (both non-negative) half up. */
function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

export function claimStatement(facts: ClaimFacts, asOf: string): ClaimCheck {
  const principal = parseYuan(facts.principal, "principal");
  if (!principal.ok) return principal;
  const costs = parseYuan(facts.costs, "costs");
  if (!costs.ok) return costs;
  if (facts.judgmentDate !== null && facts.performanceDeadline !== null && facts.performanceDeadline < facts.judgmentDate) {
    return refuseWith("INTEREST_BASIS_INCONSISTENT", "the performance period cannot end before the judgment took effect", {
      field: "performanceDeadline",
    });
  }
  const payments: { paidOn: string; cents: bigint }[] = [];
  for (const [index, payment] of facts.payments.entries()) {
    const amount = parseYuan(payment.amount, `payment #${index + 1}`);
    if (!amount.ok) return amount;
    if (payment.paidOn <= asOf) payments.push({ paidOn: payment.paidOn, cents: amount.cents });
  }
  payments.sort((a, b) => (a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : 0));

  const from = delayStartsOn(facts.judgmentDate, facts.performanceDeadline);
  let costsDue = costs.cents;
  let principalDue = principal.cents;
  /** Interest of parts already paid, scaled by the rate's denominator: it no longer grows (art. 3). */
  let settledInterestScaled = 0n;
  let interestPaid = 0n;
  let paid = 0n;
  let spare = 0n;
  for (const payment of payments) {
    paid += payment.cents;
    let left = payment.cents;
    const toCosts = left < costsDue ? left : costsDue;
    costsDue -= toCosts;
    left -= toCosts;
    const toPrincipal = left < principalDue ? left : principalDue;
    principalDue -= toPrincipal;
    left -= toPrincipal;
    settledInterestScaled += toPrincipal * DAILY_RATE_NUMERATOR * daysOfDelay(from, payment.paidOn);
    // Interest is paid only once the principal is (art. 4); what it then takes is bounded by what has accrued so far.
    const accrued = roundHalfUp(settledInterestScaled, DAILY_RATE_DENOMINATOR) - interestPaid;
    const toInterest = principalDue === 0n ? (left < accrued ? left : accrued) : 0n;
    interestPaid += toInterest;
    spare += left - toInterest;
  }
  const runningScaled = principalDue * DAILY_RATE_NUMERATOR * daysOfDelay(from, asOf);
  const interest = roundHalfUp(settledInterestScaled + runningScaled, DAILY_RATE_DENOMINATOR);
  // Money left over arises only once the principal is paid, when the interest stops growing: nothing later absorbs it.
  const outstanding = costsDue + principalDue + interest - interestPaid;
  return {
    ok: true,
    asOf,
    principal: formatYuan(principal.cents),
    costs: formatYuan(costs.cents),
    interest: formatYuan(interest),
    paid: formatYuan(paid),
    outstanding: formatYuan(outstanding),
    overpaid: formatYuan(spare),
    interestFrom: from,
  };
}
