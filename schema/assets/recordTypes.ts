/** Facts about a debtor that are not assets: identity, tax standing, existing sanctions, marriages. */
import { Field, ObjectType } from "type-graphql";
import { SexEnum } from "../common/enums.js";

@ObjectType()
export class Whereabouts {
  @Field(() => String) at!: string;
  @Field(() => String) place!: string;
  @Field(() => String, { description: "HOTEL, RAIL, FLIGHT, INTERNET_CAFE" }) kind!: string;
}

@ObjectType({ description: "公安: identity and household registration (户籍), recent whereabouts." })
export class IdentityRecord {
  @Field(() => String) name!: string;
  @Field(() => Boolean, { description: "false when the registered name differs from the one the court gave" }) nameMatches!: boolean;
  @Field(() => SexEnum, { nullable: true }) sex?: SexEnum;
  @Field(() => String, { nullable: true }) birthDate?: string;
  @Field(() => String) householdAddress!: string;
  @Field(() => String) householdRegistrationAuthority!: string;
  @Field(() => [Whereabouts]) recentWhereabouts!: Whereabouts[];
}

@ObjectType()
export class TaxPayment {
  @Field(() => String) period!: string;
  @Field(() => String) taxType!: string;
  @Field(() => String, { description: "yuan" }) amount!: string;
}

@ObjectType({ description: "税务: registration, recent payments, refunds due." })
export class TaxRecord {
  @Field(() => Boolean) registered!: boolean;
  @Field(() => String) taxpayerStatus!: string;
  @Field(() => String, { nullable: true }) taxAuthority?: string;
  @Field(() => [TaxPayment]) recentPayments!: TaxPayment[];
  @Field(() => String, { description: "yuan" }) refundsDue!: string;
}

@ObjectType()
export class Sanction {
  @Field(() => String, { description: "DISHONEST_DEBTOR (失信), CONSUMPTION_RESTRICTION (限消), …" }) list!: string;
  @Field(() => String) authority!: string;
  @Field(() => String) reference!: string;
  @Field(() => String) since!: string;
  @Field(() => String, { nullable: true }) until?: string;
}

@ObjectType({
  description:
    "民政 (婚姻登记): one marriage or divorce registration of the debtor, naming the spouse, whose property may be the debtor's too.",
})
export class MarriageRecord {
  @Field(() => String, { description: "MARRIAGE (结婚) or DIVORCE (离婚)" }) kind!: string;
  @Field(() => String) registeredOn!: string;
  @Field(() => String, { description: "the civil affairs bureau that registered it" }) authority!: string;
  @Field(() => String) spouseName!: string;
  @Field(() => String) spouseIdNumber!: string;
}

@ObjectType({ description: "信用平台: sanctions already in force." })
export class CreditRecord {
  @Field(() => [Sanction]) sanctions!: Sanction[];
}
