/**
 * What the agencies that keep balances (the bank, the provident fund centre, the payment institutions) report
 * alike: the balance, and how much of it courts already hold frozen. A new freeze can hold only the rest.
 */
import { formatYuan, parseYuan } from "../domain/measures/yuan.js";
import { AgencyProtocolError, type AgencyKind, type Yuan } from "./connector.js";

/** The balance not yet frozen (never below zero): the estimated value of the account to a new freeze. */
export function unfrozenBalance(kind: AgencyKind, balance: Yuan, frozen: Yuan): Yuan {
  const available = centsOf(kind, balance) - centsOf(kind, frozen);
  return formatYuan(available > 0n ? available : 0n);
}

/** Amounts were checked by the wire decoder (codec.ts `yuan`), so they parse. */
function centsOf(kind: AgencyKind, amount: string): bigint {
  const parsed = parseYuan(amount);
  if (!parsed.ok) throw new AgencyProtocolError(`${kind} amount ${amount} is not in yuan`);
  return parsed.cents;
}
