/**
 * What a list entry publishes, 失信规定 (法释〔2017〕7号) art. 6: "（一）作为被执行人的法人或者其他组织的名称、统一社会
 * 信用代码（或组织机构代码）、法定代表人或者负责人姓名；（二）作为被执行人的自然人的姓名、性别、年龄、身份证号码；
 * （三）生效法律文书确定的义务和被执行人的履行情况；（四）被执行人失信行为的具体情形；（五）执行依据的制作单位和文号、
 * 执行案号、立案时间、执行法院". Nothing else is published, and each partner receives only the fields of its
 * data profile (data minimisation): a partner that blocks air tickets needs who and until when, not the claim.
 * A consumption restriction on an organisation adds `boundPersons`: the legal representative, principal officer,
 * directly responsible persons and actual controller it binds, each named and identified (限制消费规定 art. 3 para. 2,
 * boundPersons.ts), since carriers refuse tickets by a person's ID; `liftedUntil` is the last day of a person
 * debtor's emergency lifting (法发〔2019〕35号 item 17), a bound person's being in their own record.
 */
import type { BoundPerson } from "./boundPersons.js";

export const PUBLISHED_FIELDS = [
  "name",
  "sex",
  "age",
  "legalRepresentative",
  "obligation",
  "performance",
  "conduct",
  "enforcementBasis",
  "caseNumber",
  "filingDate",
  "court",
  "startsOn",
  "expiresOn",
  "boundPersons",
  "liftedUntil",
] as const;
export type PublishedField = (typeof PUBLISHED_FIELDS)[number];

export type PublishedRecord = Partial<Record<Exclude<PublishedField, "boundPersons">, string | number | null>> & {
  boundPersons?: readonly BoundPerson[];
};

export function isPublishedField(field: string): field is PublishedField {
  return (PUBLISHED_FIELDS as readonly string[]).includes(field);
}

/** The record cut down to a partner's profile. */
export function minimise(record: PublishedRecord, profile: readonly PublishedField[]): PublishedRecord {
  const out: PublishedRecord = {};
  for (const field of profile) if (field in record) (out as Record<string, unknown>)[field] = record[field];
  return out;
}
