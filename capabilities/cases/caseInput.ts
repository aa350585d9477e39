/**
 * Turns what a case system sends into a validated case, or a typed error that
 * names the field and the reason. Nothing is written before this passes.
 */
import { parseCaseNumber, type CaseNumber } from "../../domain/caseNumber.js";
import { identifyDebtor, type DebtorIdentity, type DebtorIdKind } from "../../domain/identity/debtorIdentity.js";
import { HubError, invalidField } from "../../gateway/errors.js";

export interface DebtorInput {
  kind: "PERSON" | "ORGANISATION";
  /** The document: default a resident ID for a person, a credit code for an organisation. */
  idKind?: DebtorIdKind | null;
  idNumber: string;
  /** A passport's nationality (ICAO code). */
  nationality?: string | null;
  name: string;
}

export interface CaseInput {
  caseNumber: string;
  creditorName: string;
  claimAmount: string;
  debtors: DebtorInput[];
}

export interface ValidDebtor extends DebtorIdentity {
  kind: "PERSON" | "ORGANISATION";
  name: string;
}

export interface ValidCase {
  number: CaseNumber;
  creditorName: string;
  /** Decimal yuan with at most two places, e.g. "1250000.00". */
  claimAmount: string;
  debtors: ValidDebtor[];
}

export function validateCase(input: CaseInput): ValidCase {
  const number = parseCaseNumber(input.caseNumber);
  if (!number.ok) throw invalidField("caseNumber", number.reason);
  const creditorName = input.creditorName.trim();
  if (!creditorName) throw invalidField("creditorName", "the creditor's name is required");
  if (input.debtors.length === 0) throw invalidField("debtors", "a case needs at least one debtor");
  const debtors = input.debtors.map((debtor, index) => validateDebtor(debtor, `debtors[${index}]`));
  const seen = new Set<string>();
  debtors.forEach((debtor, index) => {
    if (seen.has(debtor.idNumber)) throw invalidField(`debtors[${index}].idNumber`, "the same debtor is listed twice");
    seen.add(debtor.idNumber);
  });
  return { number: number.value, creditorName, claimAmount: validateYuan(input.claimAmount, "claimAmount"), debtors };
}

export function validateDebtor(input: DebtorInput, field = "debtor"): ValidDebtor {
  const name = input.name.trim();
  if (!name) throw invalidField(`${field}.name`, "the debtor's name is required");
  const identity = identifyDebtor(input);
  if (!identity.ok) {
    throw new HubError("BAD_USER_INPUT", `${field}.${identity.field}: ${identity.reason}`, {
      field: `${field}.${identity.field}`,
      reason: identity.reason,
      rule: identity.rule,
    });
  }
  return { kind: input.kind, name, ...identity.value };
}

export function validateYuan(value: string, field: string): string {
  const match = /^(\d{1,16})(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!match) throw invalidField(field, "must be an amount in yuan with at most two decimals, e.g. 125000.50");
  const amount = `${BigInt(match[1])}.${(match[2] ?? "").padEnd(2, "0")}`;
  if (amount === "0.00") throw invalidField(field, "must be greater than zero");
  return amount;
}
