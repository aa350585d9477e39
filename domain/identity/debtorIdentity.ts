/**
 * Which document identifies a debtor, and its number as the hub keeps it. Persons: the 18-character number of
 * GB 11643-1999, which citizens, Hong Kong, Macao and Taiwan residents' residence permits and the 2023 foreign
 * permanent residence ID share (residentId.ts), or the old 15-digit number, converted (oldResidentId.ts); a
 * foreigner without permanent residence by passport (passport.ts). Organisations: the unified social credit code
 * (creditCode.ts) or, for one that never had one, the old organisation code (organisationCode.ts).
 */
import { refuseWith, type Refusal } from "../measures/guardResult.js";
import { parseCreditCode } from "./creditCode.js";
import { convertOldResidentId } from "./oldResidentId.js";
import { parseOrganisationCode } from "./organisationCode.js";
import { parsePassport } from "./passport.js";
import { parseResidentId, type Sex } from "./residentId.js";

export const DEBTOR_ID_KINDS = ["RESIDENT_ID", "PASSPORT", "CREDIT_CODE", "ORGANISATION_CODE"] as const;
export type DebtorIdKind = (typeof DEBTOR_ID_KINDS)[number];
export type DebtorKind = "PERSON" | "ORGANISATION";

/** The documents of each kind of debtor; the first is assumed when the court names none. */
export const ID_KINDS_OF: Readonly<Record<DebtorKind, readonly DebtorIdKind[]>> = {
  PERSON: ["RESIDENT_ID", "PASSPORT"],
  ORGANISATION: ["CREDIT_CODE", "ORGANISATION_CODE"],
};

const RULES: Readonly<Record<DebtorIdKind, string>> = {
  RESIDENT_ID: "GB 11643-1999",
  PASSPORT: "ICAO 9303",
  CREDIT_CODE: "GB 32100-2015",
  ORGANISATION_CODE: "GB 11714-1997",
};

export interface DebtorIdentity {
  idKind: DebtorIdKind;
  /** As the hub keeps it: upper-cased, an old 15-digit ID converted to 18 characters. */
  idNumber: string;
  /** The number as given, when the hub keeps another (the 15-digit original); else null. */
  originalIdNumber: string | null;
  nationality: string | null;
  sex: Sex | null;
  birthDate: string | null;
}

export type IdentityCheck =
  | { ok: true; value: DebtorIdentity }
  | Refusal<"BAD_USER_INPUT", { field: "idKind" | "idNumber" | "nationality"; rule: string }>;

const refused = (field: "idKind" | "idNumber" | "nationality", rule: string, reason: string): IdentityCheck =>
  refuseWith("BAD_USER_INPUT", reason, { field, rule });

/** Reads a debtor's number by the document the court names, or the usual one for the kind of debtor. */
export function identifyDebtor(
  input: { kind: DebtorKind; idKind?: DebtorIdKind | null; idNumber: string; nationality?: string | null },
  today?: string,
): IdentityCheck {
  const idKind = input.idKind ?? ID_KINDS_OF[input.kind][0];
  if (!ID_KINDS_OF[input.kind].includes(idKind)) {
    return refused("idKind", RULES[idKind], `a ${input.kind.toLowerCase()} is identified by ${ID_KINDS_OF[input.kind].join(" or ")}`);
  }
  const value = input.idNumber.trim();
  const rule = RULES[idKind];
  const none = { originalIdNumber: null, nationality: null, sex: null, birthDate: null };
  if (input.nationality != null && idKind !== "PASSPORT") {
    return refused("nationality", rule, "the nationality is given with a passport only; the other documents carry it");
  }
  switch (idKind) {
    case "RESIDENT_ID": {
      const old = value.length === 15 ? convertOldResidentId(value) : undefined;
      if (old && !old.ok) return refused("idNumber", rule, old.reason);
      const id = parseResidentId(old?.ok ? old.value : value, today);
      if (!id.ok) return refused("idNumber", rule, `not a valid resident ID number: ${id.reason}`);
      return {
        ok: true,
        value: {
          ...none,
          idKind,
          idNumber: id.value.idNumber,
          originalIdNumber: old ? value : null,
          sex: id.value.sex,
          birthDate: id.value.birthDate,
        },
      };
    }
    case "PASSPORT": {
      const passport = parsePassport(value, input.nationality);
      if (!passport.ok) return refused(parsePassport(value, "XXX").ok ? "nationality" : "idNumber", rule, passport.reason);
      return { ok: true, value: { ...none, idKind, idNumber: passport.value.number, nationality: passport.value.nationality } };
    }
    case "CREDIT_CODE": {
      const code = parseCreditCode(value);
      if (!code.ok) return refused("idNumber", rule, `not a valid unified social credit code: ${code.reason}`);
      return { ok: true, value: { ...none, idKind, idNumber: code.value.creditCode } };
    }
    case "ORGANISATION_CODE": {
      const code = parseOrganisationCode(value);
      if (!code.ok) return refused("idNumber", rule, code.reason);
      return { ok: true, value: { ...none, idKind, idNumber: code.value } };
    }
  }
}

/** Whether a number names a debtor by any of the documents the hub knows, for the edge's checks of a debtor's number. */
export function isDebtorIdNumber(value: string, today?: string): boolean {
  return parseResidentId(value, today).ok || parseCreditCode(value).ok || parseOrganisationCode(value).ok || parsePassport(value, "XXX").ok;
}
