import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { inputRules, line } from "../common/inputRules.js";
import { Checked } from "../common/checkedInput.js";
import { ConnectionType } from "../common/pagination.js";
import { ChannelEnum } from "../common/enums.js";
import { ASSISTANCE_STATUSES, type AssistanceStatus } from "../../domain/assistance/assistanceLifecycle.js";
import { enumOf } from "../common/enumOf.js";

export enum PoliceAssistanceKindEnum {
  LOCATE_DEBTOR = "LOCATE_DEBTOR",
  TEMPORARY_CONTROL = "TEMPORARY_CONTROL",
  SEIZE_VEHICLE = "SEIZE_VEHICLE",
  RESTRICT_EXIT = "RESTRICT_EXIT",
  LIFT_EXIT_RESTRICTION = "LIFT_EXIT_RESTRICTION",
}
registerEnumType(PoliceAssistanceKindEnum, {
  name: "PoliceAssistanceKind",
  description: "公安协助执行 (Henan enforcement decision (2020): 查找及临时控制被执行人、查扣车辆、限制出境)",
  valuesConfig: {
    LOCATE_DEBTOR: { description: "查找被执行人; needs a court decision" },
    TEMPORARY_CONTROL: { description: "临时控制被执行人; needs a court decision" },
    SEIZE_VEHICLE: {
      description:
        "查扣车辆, by plate; a seizure (扣押), so it needs a collegial-panel decision (Henan High Court supervision opinion, item 6)",
    },
    RESTRICT_EXIT: { description: "限制出境, for a period; needs a court decision (出境入境管理法 art. 12)" },
    LIFT_EXIT_RESTRICTION: { description: "解除限制出境 of an earlier restriction; needs a court decision" },
  },
});

export const PoliceAssistanceStatusEnum = enumOf(ASSISTANCE_STATUSES);
export type PoliceAssistanceStatusEnum = AssistanceStatus;
registerEnumType(PoliceAssistanceStatusEnum, {
  name: "PoliceAssistanceStatus",
  valuesConfig: {
    REQUESTED: { description: "recorded and sent; the police have not accepted it yet" },
    UNCONFIRMED: { description: "not answered by the police's deadline; the hub keeps asking and records the late answer" },
    ACCEPTED: { description: "accepted by the police (agencyReference); the result follows" },
    DONE: { description: "carried out; see result" },
    UNSUCCESSFUL: { description: "the police could not carry it out; see result.reason" },
    REFUSED: { description: "the police would not take it; see lastError" },
    FAILED: { description: "no usable answer from the police" },
    LIFTED: { description: "an exit restriction since lifted (解除限制出境)" },
  },
});

@ObjectType({ description: "The decision on record that authorises the assistance." })
export class AssistanceDecision {
  @Field(() => String) decisionNumber!: string;
  @Field(() => String) decisionDate!: string;
  @Field(() => [String], { description: "the judge or judges who took it" }) judges!: string[];
}

@ObjectType({ description: "What the police reported." })
export class AssistanceResult {
  @Field(() => Date, { description: "when it was done, or when the police gave up" }) at!: Date;
  @Field(() => String, { nullable: true, description: "LOCATE_DEBTOR, TEMPORARY_CONTROL: where the debtor was found" }) place?: string;
  @Field(() => String, { nullable: true, description: "TEMPORARY_CONTROL: the police unit holding the debtor" }) unit?: string;
  @Field(() => String, { nullable: true, description: "SEIZE_VEHICLE: where the vehicle is held" }) heldAt?: string;
  @Field(() => String, { nullable: true, description: "RESTRICT_EXIT, LIFT_EXIT_RESTRICTION: the border-control (边控) registration" })
  borderControlReference?: string;
  @Field(() => String, { nullable: true, description: "UNSUCCESSFUL: why" }) reason?: string;
}

@ObjectType({ description: "公安协助: one request for police assistance on a debtor of a case." })
export class PoliceAssistance {
  @Field(() => ID) id!: string;
  @Field(() => PoliceAssistanceKindEnum) kind!: PoliceAssistanceKindEnum;
  @Field(() => PoliceAssistanceStatusEnum) status!: PoliceAssistanceStatusEnum;
  @Field(() => String) debtorIdNumber!: string;
  @Field(() => String, { nullable: true }) plate?: string | null;
  @Field(() => String, { nullable: true, description: "RESTRICT_EXIT: first day" }) restrictedFrom?: string | null;
  @Field(() => String, { nullable: true, description: "RESTRICT_EXIT: last day" }) restrictedUntil?: string | null;
  @Field(() => ID, { nullable: true, description: "LIFT_EXIT_RESTRICTION: the restriction lifted" }) liftsAssistanceId?: string | null;
  @Field(() => AssistanceDecision) decision!: AssistanceDecision;
  @Field(() => String) requestedBy!: string;
  @Field(() => String, { nullable: true, description: "the police's reference, once accepted" }) agencyReference?: string | null;
  @Field(() => AssistanceResult, { nullable: true }) result?: AssistanceResult | null;
  @Field(() => String, { nullable: true }) lastError?: string | null;
  @Field(() => Date, {
    nullable: true,
    description: "UNCONFIRMED and no longer looked up (HUB_UNCONFIRMED_GIVE_UP_DAYS after its deadline): for a supervisor to take up",
  })
  needsAttentionAt?: Date | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

export const PoliceAssistanceConnection = ConnectionType(PoliceAssistance, "PoliceAssistance");

@InputType()
export class AssistanceDecisionInput {
  @Checked(line(60))
  @Field(() => String)
  decisionNumber!: string;
  @Checked(inputRules.actDate)
  @Field(() => String, { description: "YYYY-MM-DD, not after today" })
  decisionDate!: string;
  @Checked(inputRules.personName)
  @Field(() => [String], { description: "the deciding judge; for SEIZE_VEHICLE the collegial panel (an odd number, at least three)" })
  judges!: string[];
}

@InputType({ description: "限制出境 period" })
export class ExitRestrictionInput {
  @Checked(inputRules.periodDate)
  @Field(() => String, { description: "first day, YYYY-MM-DD" })
  from!: string;
  @Checked(inputRules.periodDate)
  @Field(() => String, { description: "last day, YYYY-MM-DD, not past" })
  until!: string;
}

@InputType()
export class PoliceAssistanceInput {
  @Checked(inputRules.caseNumber)
  @Field(() => String)
  caseNumber!: string;
  @Checked(inputRules.idNumber)
  @Field(() => String)
  debtorIdNumber!: string;
  @Field(() => PoliceAssistanceKindEnum) kind!: PoliceAssistanceKindEnum;
  @Checked(inputRules.plateNumber)
  @Field(() => String, { nullable: true, description: "SEIZE_VEHICLE only: the plate" })
  plate?: string;
  @Field(() => ExitRestrictionInput, { nullable: true, description: "RESTRICT_EXIT only" }) exitRestriction?: ExitRestrictionInput;
  @Field(() => ID, { nullable: true, description: "LIFT_EXIT_RESTRICTION only: the RESTRICT_EXIT assistance to lift" })
  liftsAssistanceId?: string;
  @Field(() => AssistanceDecisionInput, { nullable: true, description: "required: a request without its decision is refused" })
  decision?: AssistanceDecisionInput;
  @Field(() => ChannelEnum, { nullable: true }) channel?: ChannelEnum;
}

@ObjectType()
export class PoliceAssistanceRequest {
  @Field(() => PoliceAssistance) assistance!: PoliceAssistance;
  @Field(() => Boolean, { description: "false when the same decision had already asked for it; nothing new was sent" }) created!: boolean;
}

@ObjectType({ description: "Pushed when a request for police assistance of the case changes." })
export class PoliceAssistanceUpdate {
  @Field(() => ID) caseId!: string;
  @Field(() => ID) assistanceId!: string;
  @Field(() => PoliceAssistanceKindEnum) kind!: string;
  @Field(() => PoliceAssistanceStatusEnum) status!: string;
}
