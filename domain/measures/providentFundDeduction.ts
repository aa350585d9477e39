/**
 * A deduction (划拨) from a housing provident fund account (住房公积金) only on a withdrawal ground, and never
 * of what the debtor and the dependants need to live on.
 *
 * - 住房公积金管理条例 (国务院, 2019 revision) art. 3: the fund paid in by the worker and the employer is the worker's
 *   own (属于职工个人所有); art. 24 lists when a worker may withdraw it: buying, building or repairing the home lived
 *   in (一), retirement (二), total loss of working capacity with the employment ended (三), settling abroad (四),
 *   repaying the home's loan (五), rent above the set share of household income (六). Money the worker could not
 *   withdraw is not money a court can transfer to a creditor either.
 * - 最高人民法院执行局《关于执行程序中能否扣划被执行人住房公积金问题的答复》((2013) 执他字第15号): the balance may be
 *   enforced once the debtor meets the withdrawal conditions, leaving the debtor and dependants their necessities.
 * - 查扣冻规定 (法释〔2020〕21号) art. 3 (二): the living costs the debtor and the dependants need (被执行人及其所扶养家属
 *   所必需的生活费用) are not to be taken.
 *
 * The hub's seed documents say nothing of the provident fund, so this is the conservative reading: the ground
 * must be one the centre itself reports on the account (the centre knows a retirement or a closed account; a
 * court's own finding of a housing purpose is not taken on trust here), and the order must say how much it
 * leaves for necessities, a positive amount, which stays on the account after the deduction and every earlier one
 * the case ordered from it (counted against the balance last reported even if that already showed them: the error
 * then falls on the debtor's side).
 * A freeze (冻结) needs no ground: it keeps the balance where it is and takes nothing.
 */

import { refuseWith, type Refusal } from "./guardResult.js";
import { formatYuan, parseYuan, type InvalidAmount } from "./yuan.js";

/** The withdrawal grounds of 住房公积金管理条例 art. 24, items (一) to (六). */
export const WITHDRAWAL_GROUNDS = ["HOUSING", "RETIREMENT", "INCAPACITY", "EMIGRATION", "LOAN_REPAYMENT", "RENT"] as const;
export type WithdrawalGround = (typeof WITHDRAWAL_GROUNDS)[number];

export function isWithdrawalGround(value: unknown): value is WithdrawalGround {
  return typeof value === "string" && (WITHDRAWAL_GROUNDS as readonly string[]).includes(value);
}

export interface ProvidentFundDeductionInput {
  /** The ground the centre reports for the account holder, undefined when it reports none. */
  withdrawalGround: WithdrawalGround | undefined;
  /** The balance the centre last reported, yuan. */
  balance: string;
  /** What the order leaves to the debtor and the dependants for necessities, yuan; undefined when it says nothing. */
  necessitiesReserve: string | undefined;
  /** What the case has already ordered deducted from the account, yuan. */
  alreadyDeducted: string;
  requested: string;
}

export type ProvidentFundDeductionCheck =
  | { ok: true; leftOnAccount: string }
  | InvalidAmount
  | Refusal<"PROVIDENT_FUND_NOT_WITHDRAWABLE">
  | Refusal<"PROVIDENT_FUND_RESERVE_REQUIRED">
  | Refusal<
      "PROVIDENT_FUND_RESERVE_NOT_LEFT",
      { balance: string; alreadyDeducted: string; necessitiesReserve: string; requested: string; excess: string }
    >;

export function checkProvidentFundDeduction(input: ProvidentFundDeductionInput): ProvidentFundDeductionCheck {
  if (input.withdrawalGround === undefined) {
    return refuseWith(
      "PROVIDENT_FUND_NOT_WITHDRAWABLE",
      "the provident fund centre reports no withdrawal ground (住房公积金管理条例 art. 24) for this account holder: " +
        "the balance may be frozen, not deducted",
    );
  }
  if (input.necessitiesReserve === undefined) {
    return refuseWith(
      "PROVIDENT_FUND_RESERVE_REQUIRED",
      "a deduction from a provident fund must state the amount left for the debtor's and the dependants' necessities " +
        "(necessitiesReserve; 查扣冻规定 2020 art. 3)",
    );
  }
  const balance = parseYuan(input.balance, "balance");
  if (!balance.ok) return balance;
  const reserve = parseYuan(input.necessitiesReserve, "necessitiesReserve");
  if (!reserve.ok) return reserve;
  const deducted = parseYuan(input.alreadyDeducted, "amount already deducted");
  if (!deducted.ok) return deducted;
  const requested = parseYuan(input.requested, "requested deduction");
  if (!requested.ok) return requested;
  if (reserve.cents === 0n) {
    return refuseWith(
      "PROVIDENT_FUND_RESERVE_REQUIRED",
      "the amount left for necessities must be positive (查扣冻规定 2020 art. 3: 被执行人及其所扶养家属所必需的生活费用)",
    );
  }
  const left = balance.cents - deducted.cents - requested.cents;
  const excess = reserve.cents - left;
  if (excess > 0n) {
    return refuseWith(
      "PROVIDENT_FUND_RESERVE_NOT_LEFT",
      `deducting ${formatYuan(requested.cents)} yuan from a balance of ${formatYuan(balance.cents)} yuan, ` +
        `${formatYuan(deducted.cents)} yuan already deducted, would not leave the ` +
        `${formatYuan(reserve.cents)} yuan set aside for necessities: ${formatYuan(excess)} yuan too much`,
      {
        balance: formatYuan(balance.cents),
        alreadyDeducted: formatYuan(deducted.cents),
        necessitiesReserve: formatYuan(reserve.cents),
        requested: formatYuan(requested.cents),
        excess: formatYuan(excess),
      },
    );
  }
  return { ok: true, leftOnAccount: formatYuan(left) };
}
