/**
 * The two identifiers a debtor can have: the 18-character resident ID
 * (GB 11643, persons) and the 18-character unified social credit code
 * (GB 32100, organisations). Agencies refuse numbers whose check character is
 * wrong, as the real registries do; tests and benches use the `complete*`
 * helpers to make valid ones.
 */
import { parseOrganisationCode } from "../domain/identity/organisationCode.js";

export type DebtorIdKind = "PERSON" | "ORGANISATION";

const RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_CHECK = "10X98765432";

const CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * RESIDENT_WEIGHTS[i];
  return RESIDENT_CHECK[sum % 11];
}

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CHARSET.indexOf(first17[i]) * CREDIT_WEIGHTS[i];
  return CREDIT_CHARSET[(31 - (sum % 31)) % 31];
}

export function completeResidentId(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new TypeError(`not 17 digits: ${first17}`);
  return first17 + residentIdCheckChar(first17);
}

export function completeCreditCode(first17: string): string {
  if (!/^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{9}$/.test(first17)) {
    throw new TypeError(`not a credit code body: ${first17}`);
  }
  return first17 + creditCodeCheckChar(first17);
}

/**
 * The kind of a well-formed ID with a correct check character, else undefined: the resident ID and the credit code,
 * then the numbers courts meet besides (domain/identity/debtorIdentity.ts): an organisation code (GB 11714) is an
 * organisation's, any other passport-shaped number (ICAO 9303) a foreigner's.
 */
export function debtorIdKind(idNumber: string): DebtorIdKind | undefined {
  if (/^\d{17}[\dX]$/.test(idNumber)) {
    const birth = idNumber.slice(6, 14);
    const date = new Date(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}T00:00:00Z`);
    const plausibleBirth = !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10).replaceAll("-", "") === birth;
    if (plausibleBirth && residentIdCheckChar(idNumber) === idNumber[17]) return "PERSON";
  }
  // Credit codes may be all digits too, so a failed resident ID can still be one.
  if (/^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$/.test(idNumber)) {
    return creditCodeCheckChar(idNumber) === idNumber[17] ? "ORGANISATION" : undefined;
  }
  // The hub sends these as it keeps them: nine characters without the hyphen, a passport number upper-cased.
  if (!/^[0-9A-Z]{1,9}$/.test(idNumber)) return undefined;
  return parseOrganisationCode(idNumber).ok ? "ORGANISATION" : "PERSON";
}

/** The 6-digit administrative division code embedded in either kind of ID. */
export function divisionCodeOf(idNumber: string): string {
  return debtorIdKind(idNumber) === "ORGANISATION" ? idNumber.slice(2, 8) : idNumber.slice(0, 6);
}

/** The subject of a request as an agency reads it: the name and ID it was given, the kind it was told. */
export interface Subject {
  readonly name: string | undefined;
  readonly idNumber: string;
  readonly declaredKind: DebtorIdKind | undefined;
}

/** How most agencies name the subject's kind on the wire (the vehicle registry names the ID instead). */
export const SUBJECT_TYPES = { PERSON: "PERSON", ORG: "ORGANISATION" } as const;

/** The kind a request declares, by the agency's own names for kinds; undefined for a name it does not know. */
export function declaredKindOf(names: Readonly<Record<string, DebtorIdKind>>, value: unknown): DebtorIdKind | undefined {
  return typeof value === "string" && Object.hasOwn(names, value) ? names[value] : undefined;
}

/**
 * Why an agency refuses to look up a subject, in its own words, or undefined
 * when the name is given and the ID number is valid and of the declared kind.
 */
export function subjectRefusal(subject: Subject, words: { name: string; type: string }): string | undefined {
  if (!subject.name) return `${words.name}不能为空`;
  const kind = debtorIdKind(subject.idNumber);
  if (!kind) return "证件号码校验失败";
  if (subject.declaredKind !== kind) return `${words.type}与证件号码不符`;
  return undefined;
}
