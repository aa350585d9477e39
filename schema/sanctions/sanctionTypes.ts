import { GraphQLJSONObject } from "graphql-scalars";
import { inputRules, line, paragraph } from "../common/inputRules.js";
import { Checked } from "../common/checkedInput.js";
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { LISTING_GROUNDS } from "../../domain/sanctions/listingGround.js";
import { EXTENSION_BASES } from "../../domain/sanctions/listingPeriod.js";
import { PUBLISHED_FIELDS } from "../../domain/sanctions/publishedFields.js";
import { REMOVAL_REASONS } from "../../domain/sanctions/removalReason.js";

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
  @Field(() => String, { nullable: true }) removedOn?: string | null;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType()
export class SanctionOutcome {
  @Field(() => SanctionEntry) entry!: SanctionEntry;
  @Field(() => Boolean, { description: "false when the same decision was already recorded" }) created!: boolean;
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
}

@InputType()
export class ListDishonestDebtorInput extends SanctionFactsInput {
  @Field(() => ListingGroundEnum) ground!: string;
  @Checked(paragraph(1000))
  @Field(() => String, { nullable: true, description: "失信行为的具体情形, beyond the ground" })
  conductDetail?: string;
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
