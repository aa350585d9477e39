import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { inputRules, paragraph } from "../common/inputRules.js";
import { Checked } from "../common/checkedInput.js";
import { ConnectionType } from "../common/pagination.js";
import { AgencyKindEnum, ChannelEnum, InquiryPartStatusEnum, InquiryTriggerEnum } from "../common/enums.js";

@ObjectType({ description: "One agency's part of an inquiry: a durable request with its own lifecycle." })
export class InquiryPart {
  @Field(() => ID, { description: "also the idempotency key the agency receives" }) id!: string;
  @Field(() => AgencyKindEnum) agency!: AgencyKindEnum;
  @Field(() => ChannelEnum) channel!: ChannelEnum;
  @Field(() => String, { description: "national, or local:<division prefix>" }) endpoint!: string;
  @Field(() => InquiryPartStatusEnum) status!: InquiryPartStatusEnum;
  @Field(() => Int, { description: "times the request was submitted to the agency" }) attempts!: number;
  @Field(() => Int, { description: "times the hub asked the agency whether it had the request (lookups), counted apart" })
  lookups!: number;
  @Field(() => Int, { description: "rounds that got no answer (failed submissions or lookups alike): what the backoff grows with" })
  failedRounds!: number;
  @Field(() => String, { nullable: true, description: "the agency's ticket, for asynchronous agencies" }) ticket?: string | null;
  @Field(() => String, { nullable: true, description: "why it failed, timed out or was refused; or the last transient error" }) error?:
    | string
    | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) sentAt?: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt?: Date | null;
  @Field(() => String, { nullable: true, description: "SM3 digest of the agency's raw reply, as in the audit trail" }) replyDigest?:
    | string
    | null;
  @Field(() => String, { nullable: true, description: "the agency's reply, verbatim, kept for audit" }) rawReply?: string | null;
  inquiryId!: string | null;
  findings!: unknown;
}

@ObjectType({ description: "查询: one request for a debtor's assets across agencies." })
export class Inquiry {
  @Field(() => ID) id!: string;
  @Field(() => ChannelEnum) channel!: ChannelEnum;
  @Field(() => InquiryTriggerEnum) trigger!: InquiryTriggerEnum;
  @Field(() => String) purpose!: string;
  @Field(() => String) requestedBy!: string;
  @Field(() => Int, { description: "parts still without a final answer" }) openParts!: number;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) completedAt?: Date | null;
  caseId!: string;
  debtorId!: string;
}

export const InquiryConnection = ConnectionType(Inquiry, "Inquiry");

@InputType()
export class InquiryRequestInput {
  @Checked(inputRules.caseNumber)
  @Field(() => String)
  caseNumber!: string;
  @Checked(inputRules.idNumber)
  @Field(() => String, { description: "the debtor's resident ID or credit code; must be a debtor of the case" })
  debtorIdNumber!: string;
  @Field(() => ChannelEnum, { defaultValue: ChannelEnum.NATIONAL }) channel!: ChannelEnum;
  @Field(() => [AgencyKindEnum], { nullable: true, description: "omitted: every agency the channel serves" }) agencies?: AgencyKindEnum[];
  @Checked(paragraph(500))
  @Field(() => String, { description: "why the assets are sought; recorded in the audit trail" })
  purpose!: string;
  @Checked(inputRules.divisionCode)
  @Field(() => String, { nullable: true, description: "local channel: the division where assets are sought (default: the court's)" })
  divisionCode?: string;
}

@ObjectType({ description: "Pushed whenever a part of one of the case's inquiries changes." })
export class InquiryPartUpdate {
  @Field(() => ID) caseId!: string;
  @Field(() => ID) inquiryId!: string;
  @Field(() => ID) partId!: string;
  @Field(() => AgencyKindEnum) agency!: AgencyKindEnum;
  @Field(() => InquiryPartStatusEnum) status!: InquiryPartStatusEnum;
  @Field(() => Int, { nullable: true, description: "parts of the inquiry still open; 0 = the inquiry is complete" }) openParts?:
    | number
    | null;
}
