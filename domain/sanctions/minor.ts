/**
 * 失信规定 (法释〔2017〕7号) art. 4: "被执行人为未成年人的，人民法院不得将其纳入失信被执行人名单。"
 * The age comes from the birth date in the resident ID (GB 11643), in whole years on the listing date.
 */
import { ageOn } from "../identity/age.js";
import { refuseWith, type Refusal } from "../measures/guardResult.js";

export const AGE_OF_MAJORITY = 18; // 民法典 art. 17

export type MinorCheck = { ok: true; age: number } | Refusal<"DEBTOR_IS_MINOR", { age: number; birthDate: string }>;

export function checkNotMinor(birthDate: string, listingDate: string): MinorCheck {
  const age = ageOn(birthDate, listingDate);
  if (age < AGE_OF_MAJORITY) {
    return refuseWith(
      "DEBTOR_IS_MINOR",
      `the debtor is ${age} on ${listingDate}; minors may not be listed as dishonest debtors (失信规定 art. 4)`,
      {
        age,
        birthDate,
      },
    );
  }
  return { ok: true, age };
}
