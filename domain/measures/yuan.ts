/**
 * Money in the hub is written in yuan as a decimal string with at most two decimals
 * ("1234.56"), the form of 执行标的 on an enforcement ruling and of amounts on an
 * assistance notice (协助执行通知书). Arithmetic is done in whole cents (分) as bigint,
 * so that no sum of amounts is ever rounded: the over-seizure and deduction guards
 * compare amounts to the cent.
 */

import { refuseWith, type Refusal } from "./guardResult.js";

const YUAN = /^(0|[1-9]\d*)(?:\.(\d{1,2}))?$/;

export type InvalidAmount = Refusal<"INVALID_AMOUNT", { field: string; value: string }>;

/**
 * Reads a non-negative amount in yuan into cents. Refuses signs, thousands separators,
 * currency symbols, leading zeros and a third decimal: an amount that must be
 * rounded to be read is not what the court decided.
 */
export function parseYuan(value: string, field = "amount"): { ok: true; cents: bigint } | InvalidAmount {
  const match = typeof value === "string" ? YUAN.exec(value) : null;
  if (!match) {
    return refuseWith(
      "INVALID_AMOUNT",
      `${field} must be a non-negative amount in yuan with at most two decimals, e.g. 1234.56; got ${JSON.stringify(value)}`,
      { field, value: String(value) },
    );
  }
  const [, whole, fraction = ""] = match;
  return { ok: true, cents: BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0")) };
}

/** Writes cents as yuan with exactly two decimals: 123456n → "1234.56", -5n → "-0.05". */
export function formatYuan(cents: bigint): string {
  const sign = cents < 0n ? "-" : "";
  const magnitude = cents < 0n ? -cents : cents;
  return `${sign}${magnitude / 100n}.${(magnitude % 100n).toString().padStart(2, "0")}`;
}
