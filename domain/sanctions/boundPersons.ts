/**
 * Who a consumption restriction on an organisation binds, 限制消费规定 (法释〔2015〕17号) art. 3 para. 2: "被执行人为
 * 单位的，被采取限制消费措施后，被执行人及其法定代表人、主要负责人、影响债务履行的直接责任人员、实际控制人不得实施
 * 前款规定的行为". Airlines and railways refuse tickets by a person's ID, so each bound person travels with the entry
 * named and identified; a person debtor binds only themself.
 *
 * A change of legal representative, 最高人民法院关于在执行工作中进一步强化善意文明执行理念的意见 (法发〔2019〕35号)
 * item 17: the former representative who shows they are neither the actual controller nor a directly responsible
 * person has the restriction on them lifted, and the new representative is restricted. The same item lets a restricted
 * person travel for an emergency (illness, a funeral, official duty, an examination), with the president's approval,
 * for at most one month (最长不超过1个月).
 */
import { refuseWith, type Refusal } from "../measures/guardResult.js";
import { lastDayOfPeriod } from "../measures/periodDates.js";

export const BOUND_ROLES = {
  LEGAL_REPRESENTATIVE: "法定代表人",
  PRINCIPAL_OFFICER: "主要负责人",
  DIRECTLY_RESPONSIBLE: "影响债务履行的直接责任人员",
  ACTUAL_CONTROLLER: "实际控制人",
} as const;
export type BoundRole = keyof typeof BOUND_ROLES;

export interface BoundPerson {
  readonly role: BoundRole;
  readonly name: string;
  readonly idNumber: string;
  /** The last day of a temporary lifting for an emergency, when one is granted. */
  readonly liftedUntil?: string | null;
}

export type BoundPersonsCheck =
  | { ok: true; persons: BoundPerson[] }
  | Refusal<"LEGAL_REPRESENTATIVE_REQUIRED", { rule: string }>
  | Refusal<"BOUND_PERSONS_OF_PERSON", { rule: string }>
  | Refusal<"BOUND_PERSON_REPEATED", { idNumber: string; role: string }>;

const RULE = "限制消费规定 art. 3 para. 2";

/** The persons an organisation's restriction binds: its legal representative at least, each once per role. */
export function checkBoundPersons(debtorKind: "PERSON" | "ORGANISATION", persons: readonly BoundPerson[]): BoundPersonsCheck {
  if (debtorKind === "PERSON") {
    return persons.length === 0
      ? { ok: true, persons: [] }
      : refuseWith("BOUND_PERSONS_OF_PERSON", `a restriction on a person binds that person only (${RULE})`, { rule: RULE });
  }
  if (!persons.some((person) => person.role === "LEGAL_REPRESENTATIVE")) {
    return refuseWith(
      "LEGAL_REPRESENTATIVE_REQUIRED",
      `a restriction on an organisation binds its legal representative, named and identified (${RULE})`,
      { rule: RULE },
    );
  }
  const seen = new Set<string>();
  for (const person of persons) {
    const key = `${person.role} ${person.idNumber}`;
    if (seen.has(key)) {
      return refuseWith("BOUND_PERSON_REPEATED", `${person.idNumber} is named twice as ${person.role}`, {
        idNumber: person.idNumber,
        role: person.role,
      });
    }
    seen.add(key);
  }
  return { ok: true, persons: persons.map((person) => ({ role: person.role, name: person.name, idNumber: person.idNumber })) };
}

export type RepresentativeChangeCheck =
  | { ok: true; persons: BoundPerson[] }
  | Refusal<"NOT_THE_LEGAL_REPRESENTATIVE", { idNumber: string }>
  | Refusal<"FORMER_REPRESENTATIVE_STILL_IN_CONTROL", { idNumber: string; role: BoundRole; rule: string }>
  | Refusal<"EVIDENCE_REQUIRED", { rule: string }>;

/**
 * 法发〔2019〕35号 item 17: the former legal representative leaves the entry and the new one is bound, if the former
 * is not also bound as actual controller or directly responsible person and their evidence is on record.
 */
export function changeLegalRepresentative(
  persons: readonly BoundPerson[],
  change: { formerIdNumber: string; successor: { name: string; idNumber: string }; evidence: string },
): RepresentativeChangeCheck {
  const rule = "法发〔2019〕35号 item 17";
  if (!persons.some((p) => p.role === "LEGAL_REPRESENTATIVE" && p.idNumber === change.formerIdNumber)) {
    return refuseWith("NOT_THE_LEGAL_REPRESENTATIVE", `${change.formerIdNumber} is not the legal representative the entry binds`, {
      idNumber: change.formerIdNumber,
    });
  }
  const stillBound = persons.find(
    (p) => p.idNumber === change.formerIdNumber && (p.role === "ACTUAL_CONTROLLER" || p.role === "DIRECTLY_RESPONSIBLE"),
  );
  if (stillBound) {
    return refuseWith(
      "FORMER_REPRESENTATIVE_STILL_IN_CONTROL",
      `${change.formerIdNumber} is also bound as ${stillBound.role}; the restriction on them stays (${rule})`,
      { idNumber: change.formerIdNumber, role: stillBound.role, rule },
    );
  }
  if (!change.evidence.trim()) {
    return refuseWith("EVIDENCE_REQUIRED", `the former representative shows they no longer control the organisation (${rule})`, { rule });
  }
  const kept = persons.filter((p) => !(p.role === "LEGAL_REPRESENTATIVE" && p.idNumber === change.formerIdNumber));
  return { ok: true, persons: [...kept, { role: "LEGAL_REPRESENTATIVE", ...change.successor }] };
}

export const MAX_TEMPORARY_LIFTING_MONTHS = 1;

export type TemporaryLiftingCheck =
  | { ok: true; liftedUntil: string }
  | Refusal<"TEMPORARY_LIFTING_TOO_LONG", { from: string; until: string; latest: string; rule: string }>
  | Refusal<"PRESIDENT_APPROVAL_REQUIRED", { rule: string }>;

/** An emergency lifting from `from` to `until` (both included), at most one month, approved by the president. */
export function checkTemporaryLifting(input: { from: string; until: string; approvedBy: string }): TemporaryLiftingCheck {
  const rule = "法发〔2019〕35号 item 17";
  if (!input.approvedBy.trim()) return refuseWith("PRESIDENT_APPROVAL_REQUIRED", `the president approves it (${rule})`, { rule });
  const latest = lastDayOfPeriod(input.from, MAX_TEMPORARY_LIFTING_MONTHS);
  if (input.until < input.from || input.until > latest) {
    return refuseWith(
      "TEMPORARY_LIFTING_TOO_LONG",
      `a temporary lifting lasts at most one month: from ${input.from} until ${latest} at the latest (${rule})`,
      { from: input.from, until: input.until, latest, rule },
    );
  }
  return { ok: true, liftedUntil: input.until };
}
