import { GraphQLJSONObject } from "graphql-scalars";
import { inputRules, line, paragraph } from "../common/inputRules.js";
import { Checked } from "../common/checkedInput.js";
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { LISTING_GROUNDS } from "../../domain/sanctions/listingGround.js";
import { EXTENSION_BASES } from "../../domain/sanctions/listingPeriod.js";
import { PUBLISHED_FIELDS } from "../../domain/sanctions/publishedFields.js";
import { EARLY_REMOVAL_BASES, REMOVAL_REASONS, SUSPENSION_BASES } from "../../domain/sanctions/removalReason.js";
import { BOUND_ROLES } from "../../domain/sanctions/boundPersons.js";
import { DEBTOR_STANDINGS, RESTRICTED_ITEMS } from "../../domain/sanctions/orderContents.js";

const enumOf = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, k])) as { [P in K]: P };
const described = (entries: Record<string, string>) =>
  Object.fromEntries(Object.entries(entries).map(([k, description]) => [k, { description }]));

export const SanctionListEnum = enumOf(["DISHONEST_DEBTOR", "CONSUMPTION_RESTRICTION"] as const);
registerEnumType(SanctionListEnum, {
  name: "SanctionList",
  valuesConfig: { DISHONEST_DEBTOR: { description: "失信被执行人名单" }, CONSUMPTION_RESTRICTION: { description: "限制消费令 (限高)" } },
});
export const SanctionStatusEnum = enumOf(["LISTED", "REMOVED"] as const);
registerEnumType(SanctionStatusEnum, { name: "SanctionStatus" });
export const ListingGroundEnum = enumOf(Object.keys(LISTING_GROUNDS) as (keyof typeof LISTING_GROUNDS)[]);
registerEnumType(ListingGroundEnum, { name: "ListingGround", description: "失信规定 art. 1", valuesConfig: described(LISTING_GROUNDS) });
export const ExtensionBasisEnum = enumOf(Object.keys(EXTENSION_BASES) as (keyof typeof EXTENSION_BASES)[]);
registerEnumType(ExtensionBasisEnum, { name: "ExtensionBasis", description: "失信规定 art. 2", valuesConfig: described(EXTENSION_BASES) });
const courtReasons = Object.keys(REMOVAL_REASONS).filter((k) => k !== "EXPIRED") as Exclude<keyof typeof REMOVAL_REASONS, "EXPIRED">[];
export const RemovalReasonEnum = enumOf(courtReasons);
registerEnumType(RemovalReasonEnum, {
  name: "RemovalReason",
  description: "失信规定 art. 10–12; 限制消费规定 art. 9. (Expiry is the hub's own: EXPIRED on the entry.)",
  valuesConfig: described(Object.fromEntries(courtReasons.map((k) => [k, REMOVAL_REASONS[k]]))),
});
const keysOf = <T extends object>(values: T) => Object.keys(values) as (keyof T & string)[];
export const BoundRoleEnum = enumOf(keysOf(BOUND_ROLES));
registerEnumType(BoundRoleEnum, { name: "BoundRole", description: "限制消费规定 art. 3 para. 2", valuesConfig: described(BOUND_ROLES) });
export const RestrictedItemEnum = enumOf(keysOf(RESTRICTED_ITEMS));
registerEnumType(RestrictedItemEnum, {
  name: "RestrictedItem",
  description: "限制消费规定 art. 3 para. 1",
  valuesConfig: described(RESTRICTED_ITEMS),
});
export const DebtorStandingEnum = enumOf(keysOf(DEBTOR_STANDINGS));
registerEnumType(DebtorStandingEnum, {
  name: "DebtorStanding",
  description: "失信规定 art. 8 paras. 3–4: who the court reports the listing to",
  valuesConfig: described(DEBTOR_STANDINGS),
});
export const SuspensionBasisEnum = enumOf(keysOf(SUSPENSION_BASES));
registerEnumType(SuspensionBasisEnum, { name: "SuspensionBasis", valuesConfig: described(SUSPENSION_BASES) });
export const EarlyRemovalBasisEnum = enumOf(keysOf(EARLY_REMOVAL_BASES));
registerEnumType(EarlyRemovalBasisEnum, {
  name: "EarlyRemovalBasis",
  description: "失信规定 art. 2 para. 3",
  valuesConfig: described(EARLY_REMOVAL_BASES),
});
export const PublishedFieldEnum = enumOf(PUBLISHED_FIELDS);
registerEnumType(PublishedFieldEnum, {
  name: "PublishedField",
  description: "失信规定 art. 6: what an entry publishes; a partner's data profile picks some",
});
export const DeliveryModeEnum = enumOf(["PUSH", "PULL"] as const);
registerEnumType(DeliveryModeEnum, {
  name: "DeliveryMode",
  valuesConfig: { PUSH: { description: "signed batches POSTed to the partner" }, PULL: { description: "the partner reads sanctionFeed" } },
});
export const SigningMethodEnum = enumOf(["SM2", "HMAC_SM3"] as const);
registerEnumType(SigningMethodEnum, { name: "SigningMethod" });

@ObjectType({ description: "An entry on the dishonest-debtor list or a consumption restriction." })
export class SanctionEntry {
  @Field(() => ID) id!: string;
  @Field(() => SanctionListEnum) list!: string;
  @Field(() => SanctionStatusEnum) status!: string;
  @Field(() => ListingGroundEnum, { nullable: true, description: "dishonest-debtor entries" }) ground?: string | null;
  @Field(() => String) idNumber!: string;
  @Field(() => String) courtCode!: string;
  @Field(() => String, { description: "决定书 number" }) decisionNumber!: string;
  @Field(() => String) startsOn!: string;
  @Field(() => String, { nullable: true, description: "last day listed; null: until removed" }) expiresOn?: string | null;
  @Field(() => Int) extensionYears!: number;
  @Field(() => GraphQLJSONObject, { description: "the published fields (失信规定 art. 6)" }) published!: Record<string, unknown>;
  @Field(() => String, { nullable: true }) removalReason?: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true, description: "what the removal rested on: its rule, document, basis" })
  removalDetail?: Record<string, unknown> | null;
  @Field(() => GraphQLJSONObject, {
    description:
      "what the order states: signedBy, period, items, consequences, notices (失信规定 arts. 5, 8; 限制消费规定 art. 5), corrections",
  })
  orderRecord!: Record<string, unknown>;
  @Field(() => ID, { nullable: true, description: "the restriction made with this listing (限制消费规定 art. 1 para. 2), or its listing" })
  linkedEntryId?: string | null;
  @Field(() => Boolean, { description: "listed on the creditor's application (失信规定 art. 10 para. 4)" }) onCreditorApplication!: boolean;
  @Field(() => String, { nullable: true }) removedOn?: string | null;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType()
export class SanctionOutcome {
  @Field(() => SanctionEntry) entry!: SanctionEntry;
  @Field(() => Boolean, { description: "false when the same decision was already recorded" }) created!: boolean;
}

@InputType({ description: "A person a restriction on an organisation binds (限制消费规定 art. 3 para. 2)." })
export class BoundPersonInput {
  @Field(() => BoundRoleEnum) role!: keyof typeof BOUND_ROLES;
  @Checked(inputRules.personName)
  @Field(() => String)
  name!: string;
  @Checked(inputRules.idNumber)
  @Field(() => String, { description: "resident ID" })
  idNumber!: string;
}

@InputType()
export class SanctionFactsInput {
  @Checked(inputRules.caseNumber)
  @Field(() => String)
  caseNumber!: string;
  @Checked(inputRules.idNumber)
  @Field(() => String)
  debtorIdNumber!: string;
  @Checked(line(60))
  @Field(() => String, { description: "决定书 number" })
  decisionNumber!: string;
  @Checked(inputRules.actDate)
  @Field(() => String, { nullable: true, description: "YYYY-MM-DD; default today" })
  startsOn?: string;
  @Checked(paragraph(1000))
  @Field(() => String, { description: "生效法律文书确定的义务" })
  obligation!: string;
  @Checked(paragraph(1000))
  @Field(() => String, { description: "被执行人的履行情况" })
  performance!: string;
  @Checked(line(200))
  @Field(() => String, { description: "执行依据的制作单位和文号" })
  enforcementBasis!: string;
  @Checked(inputRules.personName)
  @Field(() => String, { nullable: true, description: "organisations: 法定代表人或者负责人" })
  legalRepresentative?: string;
  @Checked(inputRules.personName)
  @Field(() => String, { description: "院长签发: the president who signed (失信规定 art. 5; 限制消费规定 art. 5)" })
  signedBy!: string;
  @Field(() => [RestrictedItemEnum], { nullable: true, description: "items restricted (限制消费规定 art. 3 para. 1); default all" })
  items?: string[];
  @Field(() => [BoundPersonInput], {
    nullable: true,
    description: "organisations: the persons the restriction binds, the legal representative at least (限制消费规定 art. 3 para. 2)",
  })
  boundPersons?: BoundPersonInput[];
}

@InputType()
export class ListDishonestDebtorInput extends SanctionFactsInput {
  @Field(() => ListingGroundEnum) ground!: string;
  @Checked(paragraph(1000))
  @Field(() => String, { nullable: true, description: "失信行为的具体情形, beyond the ground" })
  conductDetail?: string;
  @Field(() => DebtorStandingEnum, { nullable: true, description: "calls for the reports of 失信规定 art. 8 paras. 3–4" })
  standing?: keyof typeof DEBTOR_STANDINGS;
  @Field(() => Boolean, { nullable: true, description: "on the creditor's application (失信规定 art. 10 para. 4); default false" })
  onCreditorApplication?: boolean;
}

@InputType()
export class ExtendSanctionInput {
  @Field(() => ID) entryId!: string;
  @Field(() => Int) years!: number;
  @Field(() => ExtensionBasisEnum) basis!: string;
  @Checked(line(60))
  @Field(() => String)
  decisionNumber!: string;
}

@InputType()
export class CorrectSanctionInput {
  @Field(() => ID) entryId!: string;
  @Checked(inputRules.personName)
  @Field(() => String, { nullable: true })
  name?: string;
  @Checked(paragraph(1000))
  @Field(() => String, { nullable: true })
  obligation?: string;
  @Checked(paragraph(1000))
  @Field(() => String, { nullable: true })
  performance?: string;
  @Checked(line(200))
  @Field(() => String, { nullable: true })
  enforcementBasis?: string;
  @Checked(inputRules.personName)
  @Field(() => String, { nullable: true })
  legalRepresentative?: string;
}

@InputType()
export class RemoveSanctionInput {
  @Field(() => ID) entryId!: string;
  @Field(() => RemovalReasonEnum) reason!: string;
  @Checked(line(200))
  @Field(() => String, {
    nullable: true,
    description: "the document the removal rests on: the creditor's written application, the ruling, the court's decision",
  })
  basisDocument?: string;
  @Field(() => SuspensionBasisEnum, { nullable: true, description: "SUSPENDED_FOR_RETRIAL_OR_BANKRUPTCY" })
  suspensionBasis?: string;
  @Field(() => EarlyRemovalBasisEnum, { nullable: true, description: "EARLY_REMOVAL (失信规定 art. 2 para. 3)" })
  earlyRemovalBasis?: string;
}

@InputType({ description: "法发〔2019〕35号 item 17: the organisation's legal representative changed." })
export class ChangeRepresentativeInput {
  @Field(() => ID) entryId!: string;
  @Checked(inputRules.idNumber)
  @Field(() => String)
  formerIdNumber!: string;
  @Checked(inputRules.personName)
  @Field(() => String)
  successorName!: string;
  @Checked(inputRules.idNumber)
  @Field(() => String)
  successorIdNumber!: string;
  @Checked(paragraph(1000))
  @Field(() => String, { description: "why the former is neither actual controller nor directly responsible" })
  evidence!: string;
}

@InputType({ description: "法发〔2019〕35号 item 17: an emergency lifting of at most one month, approved by the president." })
export class TemporaryLiftingInput {
  @Field(() => ID) entryId!: string;
  @Checked(inputRules.idNumber)
  @Field(() => String, { description: "the debtor or a person the restriction binds" })
  idNumber!: string;
  @Checked(inputRules.periodDate)
  @Field(() => String)
  from!: string;
  @Checked(inputRules.periodDate)
  @Field(() => String)
  until!: string;
  @Checked(inputRules.personName)
  @Field(() => String)
  approvedBy!: string;
  @Checked(paragraph(500))
  @Field(() => String)
  reason!: string;
}

@InputType({ description: "失信规定 art. 12: a written application for correction received." })
export class CorrectionApplicationInput {
  @Field(() => ID) entryId!: string;
  @Checked(inputRules.actDate)
  @Field(() => String)
  receivedOn!: string;
  @Checked(paragraph(1000))
  @Field(() => String)
  grounds!: string;
}

@InputType({ description: "执行和解 (民事诉讼法 2023 art. 241) being performed, or breached." })
export class SettlementInput {
  @Checked(inputRules.caseNumber)
  @Field(() => String)
  caseNumber!: string;
  @Checked(inputRules.idNumber)
  @Field(() => String)
  debtorIdNumber!: string;
  @Checked(inputRules.actDate)
  @Field(() => String)
  agreedOn!: string;
  @Checked(paragraph(1000))
  @Field(() => String)
  terms!: string;
  @Checked(inputRules.actDate)
  @Field(() => String, { nullable: true, description: "when the debtor stopped performing it" })
  breachedOn?: string;
}

@InputType()
export class DebtorSecurityInput {
  @Checked(inputRules.caseNumber)
  @Field(() => String)
  caseNumber!: string;
  @Checked(inputRules.idNumber)
  @Field(() => String)
  debtorIdNumber!: string;
  @Checked(paragraph(1000))
  @Field(() => String)
  description!: string;
}

@InputType({ description: "A partner agency (联合惩戒单位) receiving the lists." })
export class SanctionPartnerInput {
  @Checked(line(40))
  @Field(() => String, { description: "e.g. CIVIL_AVIATION; a pull partner's tokens carry it as their org" })
  code!: string;
  @Checked(line(100))
  @Field(() => String)
  name!: string;
  @Field(() => [SanctionListEnum]) lists!: string[];
  @Field(() => [PublishedFieldEnum], { description: "its data profile" }) fields!: string[];
  @Field(() => DeliveryModeEnum) mode!: string;
  @Checked(line(2000))
  @Field(() => String, { nullable: true, description: "push: where batches are POSTed" })
  endpoint?: string;
  @Field(() => SigningMethodEnum, { nullable: true, description: "default SM2" }) signing?: string;
  @Checked(line(200))
  @Field(() => String, { nullable: true, description: "HMAC_SM3: the shared secret" })
  secret?: string;
  @Checked(paragraph(4000))
  @Field(() => String, {
    nullable: true,
    description:
      "SM2 push partners: the partner's own SM2 public key (SPKI PEM, or hex 04‖x‖y) that its signed acknowledgements verify with",
  })
  publicKey?: string;
  @Checked(line(64))
  @Field(() => String, {
    nullable: true,
    description: "SM2 partners: the signer ID it signs with, when agreed with the hub; default GB/T 35276's 1234567812345678",
  })
  signerId?: string;
}

@ObjectType()
export class SanctionPartner {
  @Field(() => String) code!: string;
  @Field(() => String) name!: string;
  @Field(() => [SanctionListEnum]) lists!: string[];
  @Field(() => [PublishedFieldEnum]) fields!: string[];
  @Field(() => DeliveryModeEnum) mode!: string;
  @Field(() => String, { nullable: true }) endpoint?: string | null;
  @Field(() => SigningMethodEnum) signing!: string;
  @Field(() => String, {
    nullable: true,
    description:
      "the SM2 public key its acknowledgements verify with; " +
      "an SM2 push partner without one receives nothing until registered again with it",
  })
  publicKey?: string | null;
  @Field(() => String, { nullable: true, description: "the SM2 signer ID agreed with it; null = GB/T 35276's default" })
  signerId?: string | null;
  @Field(() => Boolean, { description: "false once a supervisor deactivated it: nothing is delivered until reactivated" }) active!: boolean;
  @Field(() => String, { nullable: true }) inactiveReason?: string | null;
}

@ObjectType()
export class PartnerRegistration {
  @Field(() => SanctionPartner) partner!: SanctionPartner;
  @Field(() => Boolean) created!: boolean;
  @Field(() => Int, { description: "push: entries in force queued for it as its snapshot" }) snapshot!: number;
}

@ObjectType({ description: "How far behind a partner is." })
export class PartnerLag {
  @Field(() => SanctionPartner) partner!: SanctionPartner;
  @Field(() => Int, { description: "changes not yet acknowledged" }) backlog!: number;
  @Field(() => Int, { description: "of which dead-lettered" }) dead!: number;
  @Field(() => Date, { nullable: true, description: "when the oldest unacknowledged change was made" }) oldestUnacknowledged!: Date | null;
  @Field(() => String, { nullable: true, description: "pull partners: acknowledged up to" }) ackedSeq!: string | null;
}

@ObjectType({ description: "A push batch that failed too often; replay it with replaySanctionBatch." })
export class DeadLetter {
  @Field(() => String) partner!: string;
  @Field(() => ID) batchId!: string;
  @Field(() => Int) changes!: number;
  @Field(() => String) firstSeq!: string;
  @Field(() => String) lastSeq!: string;
  @Field(() => Int) attempts!: number;
  @Field(() => String, { nullable: true }) lastError!: string | null;
}

@ObjectType({ description: "One change as a partner receives it; apply it only when debtorSeq is above the last applied for idNumber." })
export class SanctionChange {
  @Field(() => String) seq!: string;
  @Field(() => ID) entryId!: string;
  @Field(() => SanctionListEnum) list!: string;
  @Field(() => String) idNumber!: string;
  @Field(() => Int) debtorSeq!: number;
  @Field(() => String) operation!: string;
  @Field(() => SanctionStatusEnum) status!: string;
  @Field(() => GraphQLJSONObject, { description: "the fields of the partner's profile" }) fields!: Record<string, unknown>;
}

@ObjectType()
export class SanctionFeedPage {
  @Field(() => [SanctionChange]) changes!: SanctionChange[];
  @Field(() => String, { nullable: true }) endCursor!: string | null;
  @Field(() => Boolean) hasMore!: boolean;
}

@ObjectType()
export class SanctionSnapshotPage extends SanctionFeedPage {
  @Field(() => String, { description: "the point of the log the snapshot shows (the same on every page); follow sanctionFeed from here" })
  followFrom!: string;
}
