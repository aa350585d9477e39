import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { inputRules, line, paragraph } from "../common/inputRules.js";
import { Checked } from "../common/checkedInput.js";
import { ConnectionType } from "../common/pagination.js";
import { AgencyKindEnum, ChannelEnum } from "../common/enums.js";
import { MEASURE_STATUSES, type MeasureStatus } from "../../domain/measures/measureLifecycle.js";
import { enumOf } from "../common/enumOf.js";

export enum MeasureKindEnum {
  FREEZE = "FREEZE",
  SEAL = "SEAL",
  SEIZE = "SEIZE",
  DEDUCT = "DEDUCT",
  WITHHOLD = "WITHHOLD",
}
registerEnumType(MeasureKindEnum, {
  name: "MeasureKind",
  valuesConfig: {
    FREEZE: { description: "冻结" },
    SEAL: { description: "查封" },
    SEIZE: { description: "扣押" },
    DEDUCT: { description: "划拨" },
    WITHHOLD: { description: "扣留、提取收入: each month, through the payer (民事诉讼法 2023 art. 254); give `withholding`" },
  },
});

export enum AssetCategoryEnum {
  DEPOSIT = "DEPOSIT",
  MOVABLE = "MOVABLE",
  REAL_ESTATE = "REAL_ESTATE",
  OTHER_PROPERTY_RIGHT = "OTHER_PROPERTY_RIGHT",
  INCOME = "INCOME",
}
registerEnumType(AssetCategoryEnum, {
  name: "AssetCategory",
  description: "Categories of 民诉法解释 2022 art. 485, which set the maximum periods",
  valuesConfig: {
    DEPOSIT: { description: "银行存款: frozen at most 1 year" },
    MOVABLE: { description: "动产: sealed or seized at most 2 years" },
    REAL_ESTATE: { description: "不动产: sealed at most 3 years" },
    OTHER_PROPERTY_RIGHT: { description: "其他财产权: frozen at most 3 years" },
    INCOME: { description: "收入 (wage, pension): withheld each month for the period the order states" },
  },
});

export const MeasureStatusEnum = enumOf(MEASURE_STATUSES);
export type MeasureStatusEnum = MeasureStatus;
registerEnumType(MeasureStatusEnum, {
  name: "MeasureStatus",
  valuesConfig: {
    REQUESTED: { description: "recorded and sent; the agency has not confirmed it yet" },
    UNCONFIRMED: {
      description: "not answered by the agency's deadline: perhaps in force; the hub keeps asking and records the late answer",
    },
    EFFECTIVE: { description: "in force at the agency" },
    QUEUED: {
      description: "轮候: behind earlier measures on the same asset; takes effect when they are released (查扣冻规定 2020 art. 26)",
    },
    REFUSED: { description: "the agency would not register it" },
    FAILED: { description: "no usable answer from the agency" },
    RELEASED: { description: "解除" },
    LAPSED: { description: "reached its last day unrenewed (查扣冻规定 2020 art. 27)" },
    COMPLETED: { description: "a withholding of income whose total the payer has withheld" },
  },
});

@ObjectType({ description: "合议庭决定: the decision that authorises a measure (Henan High Court supervision opinion, items 1 and 6)." })
export class PanelDecision {
  @Field(() => String) decisionNumber!: string;
  @Field(() => String) decisionDate!: string;
  @Field(() => [String], { description: "the judges of the collegial panel" }) judges!: string[];
}

@ObjectType({ description: "控: a control measure on one asset." })
export class Measure {
  @Field(() => ID) id!: string;
  @Field(() => MeasureKindEnum) kind!: MeasureKindEnum;
  @Field(() => MeasureStatusEnum) status!: MeasureStatusEnum;
  @Field(() => AgencyKindEnum) agency!: AgencyKindEnum;
  @Field(() => String, { description: "certificate number, plate, …" }) assetIdentifier!: string;
  @Field(() => Date, {
    nullable: true,
    description: "when this preservation measure passed from its 执保 case to the 执 case, its period running on (民诉法解释 art. 168)",
  })
  carriedOverAt?: Date | null;
  carriedFromCaseId?: string | null;
  @Field(() => AssetCategoryEnum) assetCategory!: AssetCategoryEnum;
  @Field(() => ID, { nullable: true, description: "the asset found by an inquiry, when ordered on one" }) assetId?: string | null;
  @Field(() => String, {
    description: "value held, yuan; counts toward the over-seizure limit while in force, less what was deducted from it",
  })
  value!: string;
  @Field(() => String) startsOn!: string;
  @Field(() => String, { description: "last day in force" }) expiresOn!: string;
  @Field(() => Int, { nullable: true, description: "轮候 rank at the agency; 1 = in effect" }) rank?: number | null;
  @Field(() => Date, { nullable: true }) effectiveFrom?: Date | null;
  @Field(() => String, { nullable: true, description: "the agency's registration reference" }) agencyReference?: string | null;
  @Field(() => String, { description: "协助执行通知书 number" }) noticeNumber!: string;
  @Field(() => PanelDecision) decision!: PanelDecision;
  @Field(() => String, { nullable: true, description: "why an over-seizure was allowed (查扣冻规定 2020 art. 19)" }) overrideReason?:
    | string
    | null;
  @Field(() => String) orderedBy!: string;
  @Field(() => Date, { nullable: true }) releasedAt?: Date | null;
  @Field(() => Date, { nullable: true }) lapsedAt?: Date | null;
  @Field(() => String, { nullable: true }) lastError?: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => ID, { nullable: true, description: "划拨: the freeze of this case the deduction draws on" }) deductsFrom?: string | null;
  @Field(() => ID, { nullable: true, description: "事项委托: the delegated task whose executing court carried it out" })
  delegatedTaskId?: string | null;
  @Field(() => ID, { nullable: true, description: "查扣车辆: the police assistance that seized the vehicle" })
  policeAssistanceId?: string | null;
  @Field(() => Date, {
    nullable: true,
    description: "UNCONFIRMED and no longer looked up (HUB_UNCONFIRMED_GIVE_UP_DAYS after its deadline): for a supervisor to take up",
  })
  needsAttentionAt?: Date | null;
  caseId!: string;
}

export const MeasureConnection = ConnectionType(Measure, "Measure");

@InputType()
export class PanelDecisionInput {
  @Checked(line(60))
  @Field(() => String)
  decisionNumber!: string;
  @Checked(inputRules.actDate)
  @Field(() => String, { description: "YYYY-MM-DD, not after today" })
  decisionDate!: string;
  @Checked(inputRules.personName)
  @Field(() => [String], { description: "an odd number of judges, at least three" })
  judges!: string[];
}

@InputType()
export class NoticeInput {
  @Checked(line(60))
  @Field(() => String, { description: "协助执行通知书 number" })
  number!: string;
  @Checked(inputRules.actDate)
  @Field(() => String)
  date!: string;
}

@InputType({ description: "An asset the court identifies itself, not found by an inquiry." })
export class IdentifiedAssetInput {
  @Field(() => AgencyKindEnum) agency!: AgencyKindEnum;
  @Checked(line(100))
  @Field(() => String)
  identifier!: string;
  @Field(() => AssetCategoryEnum) category!: AssetCategoryEnum;
  @Checked(inputRules.amountOrZero)
  @Field(() => String, { description: "yuan" })
  value!: string;
}

@InputType({
  description: "超标的查封 exception: the asset cannot be divided and the debtor has no other property (查扣冻规定 2020 art. 19).",
})
export class OverSeizureOverrideInput {
  @Field(() => Boolean) indivisible!: boolean;
  @Field(() => Boolean) noOtherProperty!: boolean;
  @Checked(paragraph(1000))
  @Field(() => String)
  reason!: string;
}

@InputType({ description: "What a measure bears on and for how long, on whose decision: ordered here, or delegated to another court." })
export class MeasureTermsInput {
  @Field(() => ID, { nullable: true, description: "an asset found by an inquiry of this case" }) assetId?: string;
  @Field(() => IdentifiedAssetInput, { nullable: true }) asset?: IdentifiedAssetInput;
  @Checked(inputRules.amount)
  @Field(() => String, { nullable: true, description: "value held, yuan; default the asset's estimated value" })
  value?: string;
  @Checked(inputRules.periodDate)
  @Field(() => String)
  startsOn!: string;
  @Checked(inputRules.periodDate)
  @Field(() => String, { description: "last day in force" })
  expiresOn!: string;
  @Field(() => NoticeInput) notice!: NoticeInput;
  @Field(() => PanelDecisionInput, { nullable: true, description: "required: an order without a panel decision is refused" })
  decision?: PanelDecisionInput;
  @Field(() => OverSeizureOverrideInput, { nullable: true }) override?: OverSeizureOverrideInput;
  @Checked(inputRules.amount)
  @Field(() => String, {
    nullable: true,
    description:
      "a deduction (划拨) from a housing provident fund: yuan left on the account for the debtor's and dependants' necessities " +
      "(查扣冻规定 2020 art. 3); required there, positive",
  })
  necessitiesReserve?: string;
}

@InputType({
  description:
    "扣留、提取收入 (民事诉讼法 2023 art. 254): what the payer withholds each month, and what stays with the debtor and the dependants. " +
    "The local minimum living standard is the court's to state: it differs by place and year.",
})
export class WithholdingInput {
  @Checked(inputRules.amount)
  @Field(() => String, { description: "yuan withheld each month" })
  monthlyAmount!: string;
  @Field(() => Int, { description: "persons the debtor supports (所扶养家属), 0 to 20" }) dependants!: number;
  @Checked(inputRules.amount)
  @Field(() => String, { description: "当地最低生活保障标准, yuan per person per month" })
  minimumLivingStandard!: string;
  @Checked(inputRules.amount)
  @Field(() => String, { nullable: true, description: "what the court found a person needs a month, not below the standard" })
  necessitiesPerPerson?: string;
}

@InputType()
export class MeasureOrderInput extends MeasureTermsInput {
  @Checked(inputRules.caseNumber)
  @Field(() => String)
  caseNumber!: string;
  @Checked(inputRules.idNumber)
  @Field(() => String)
  debtorIdNumber!: string;
  @Field(() => MeasureKindEnum) kind!: MeasureKindEnum;
  @Field(() => ChannelEnum, { nullable: true }) channel?: ChannelEnum;
  @Field(() => WithholdingInput, { nullable: true, description: "required for WITHHOLD" }) withholding?: WithholdingInput;
}

@InputType()
export class MeasureChangeInput {
  @Field(() => ID) measureId!: string;
  @Field(() => NoticeInput) notice!: NoticeInput;
  @Field(() => PanelDecisionInput, { nullable: true }) decision?: PanelDecisionInput;
}

@InputType()
export class MeasureRenewalInput extends MeasureChangeInput {
  @Checked(inputRules.periodDate)
  @Field(() => String, { description: "the new last day; at most the maximum period after the current one" })
  expiresOn!: string;
}

@ObjectType()
export class MeasureOrder {
  @Field(() => Measure) measure!: Measure;
  @Field(() => Boolean, { description: "false when the same decision had already ordered it; nothing new was sent" }) created!: boolean;
}

@ObjectType({ description: "Pushed when a measure of the case changes, or nears its expiry." })
export class MeasureUpdate {
  @Field(() => ID) caseId!: string;
  @Field(() => ID) measureId!: string;
  @Field(() => String, {
    description: "the measure's status; EXPIRING for an expiry warning; NEEDS_ATTENTION when lookups of an UNCONFIRMED one stopped",
  })
  status!: string;
  @Field(() => Int, { nullable: true, description: "for EXPIRING: days left (30, 7 or 1)" }) warningDays?: number | null;
}
