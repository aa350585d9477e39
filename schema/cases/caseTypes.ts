import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { DEBTOR_ID_KINDS, type DebtorIdKind } from "../../domain/identity/debtorIdentity.js";
import { enumOf } from "../common/enumOf.js";
import { inputRules, line } from "../common/inputRules.js";
import { Checked } from "../common/checkedInput.js";
import { ConnectionType } from "../common/pagination.js";
import { CaseKindEnum, DebtorKindEnum, SexEnum } from "../common/enums.js";

export const DebtorIdKindEnum = enumOf(DEBTOR_ID_KINDS);
export type DebtorIdKindEnum = DebtorIdKind;
registerEnumType(DebtorIdKindEnum, {
  name: "DebtorIdKind",
  description: "the document identifying a debtor (domain/identity/debtorIdentity.ts)",
});

// Federation entities: a court's own graph can extend the hub's cases (by 案号, which its case system
// already holds) and debtors (by the id the hub returned) with fields of its own.
@Directive(`@key(fields: "id")`)
@ObjectType({ description: "被执行人: a party against whom the case is enforced." })
export class Debtor {
  @Field(() => ID) id!: string;
  @Field(() => DebtorKindEnum) kind!: DebtorKindEnum;
  @Field(() => String, { description: "resident ID or unified social credit code" }) idNumber!: string;
  @Field(() => String) name!: string;
  @Field(() => SexEnum, { nullable: true, description: "derived from the resident ID" }) sex?: SexEnum | null;
  @Field(() => String, { nullable: true, description: "derived from the resident ID, YYYY-MM-DD" }) birthDate?: string | null;
  @Field(() => DebtorIdKindEnum, { nullable: true, description: "the document the number belongs to; null for debtors registered before" })
  idKind?: DebtorIdKindEnum | null;
  @Field(() => String, { nullable: true, description: "the number as the court gave it, when the hub keeps another (an old 15-digit ID)" })
  originalIdNumber?: string | null;
  @Field(() => String, { nullable: true, description: "a passport holder's nationality, ICAO 9303 code" }) nationality?: string | null;
  caseId!: string;
}

@Directive(`@key(fields: "caseNumber")`)
@ObjectType({ description: "执行案件" })
export class EnforcementCase {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: "案号, e.g. （2024）豫0225执123号" }) caseNumber!: string;
  @Field(() => Int) year!: number;
  @Field(() => String, { description: "court code from the case number, e.g. 豫0225" }) courtCode!: string;
  @Field(() => CaseKindEnum) kind!: CaseKindEnum;
  @Field(() => Int) serial!: number;
  @Field(() => String, { description: "the court's division code, used to route the local channel" }) divisionCode!: string;
  @Field(() => String, { description: "申请执行人" }) creditorName!: string;
  @Field(() => String, { description: "执行标的 in yuan" }) claimAmount!: string;
  @Field(() => String) registeredBy!: string;
  @Field(() => Date) createdAt!: Date;
}

export const CaseConnection = ConnectionType(EnforcementCase, "Case");

@InputType()
export class DebtorInput {
  @Field(() => DebtorKindEnum) kind!: DebtorKindEnum;
  @Field(() => DebtorIdKindEnum, {
    nullable: true,
    description:
      "the document: RESIDENT_ID (default for PERSON; also residence permits, the foreign permanent residence ID and " +
      "the old 15-digit ID, converted), PASSPORT, CREDIT_CODE (default for ORGANISATION) or ORGANISATION_CODE",
  })
  idKind?: DebtorIdKindEnum | null;
  @Checked(line(3))
  @Field(() => String, { nullable: true, description: "PASSPORT only: the holder's nationality, ICAO 9303 three-letter code" })
  nationality?: string | null;
  // Checked by kind, with the check character's own reason, by the case service (caseInput.ts) before anything is written.
  @Checked(line(18))
  @Field(() => String, { description: "the number of the document idKind names" })
  idNumber!: string;
  @Checked(inputRules.personName)
  @Field(() => String)
  name!: string;
}

@InputType()
export class RegisterCaseInput {
  @Checked(inputRules.caseNumber)
  @Field(() => String, { description: "案号, e.g. （2024）豫0225执123号; the court code must be the caller's" })
  caseNumber!: string;
  @Checked(inputRules.personName)
  @Field(() => String)
  creditorName!: string;
  @Checked(inputRules.amount)
  @Field(() => String, { description: "执行标的 in yuan, e.g. 1250000.00" })
  claimAmount!: string;
  @Field(() => [DebtorInput]) debtors!: DebtorInput[];
}

@ObjectType()
export class CaseRegistration {
  @Field(() => EnforcementCase) case!: EnforcementCase;
  @Field(() => Boolean, { description: "false when the case was already registered; nothing new was started" }) created!: boolean;
}
