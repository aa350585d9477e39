/** 事项委托: delegated tasks between courts, the court directory, and the director's approval for in-person work. */
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { inputRules, line, paragraph } from "../common/inputRules.js";
import { Checked } from "../common/checkedInput.js";
import { ConnectionType } from "../common/pagination.js";
import { Asset, OtherAsset, RealEstateAsset, VehicleAsset } from "../assets/assetTypes.js";
import { AgencyKindEnum } from "../common/enums.js";
import { Measure, MeasureRenewalInput, MeasureTermsInput } from "../measures/measureTypes.js";

export enum DelegatedTaskKindEnum {
  QUERY = "QUERY",
  FREEZE = "FREEZE",
  SEAL = "SEAL",
  DEDUCT = "DEDUCT",
  INVESTIGATE = "INVESTIGATE",
  SERVE_DOCUMENTS = "SERVE_DOCUMENTS",
  VALUATION_AUCTION_CONSULTATION = "VALUATION_AUCTION_CONSULTATION",
}
registerEnumType(DelegatedTaskKindEnum, {
  name: "DelegatedTaskKind",
  description: "what may be delegated (Henan High Court supervision opinion, item 18)",
  valuesConfig: {
    QUERY: { description: "查询" },
    FREEZE: { description: "冻结" },
    SEAL: { description: "查封" },
    DEDUCT: { description: "划拨" },
    INVESTIGATE: { description: "调查" },
    SERVE_DOCUMENTS: { description: "送达法律文书" },
    VALUATION_AUCTION_CONSULTATION: { description: "评估、拍卖、变卖事项的协商" },
  },
});

export enum DelegatedTaskStatusEnum {
  SENT = "SENT",
  RECEIVED = "RECEIVED",
  ACCEPTED = "ACCEPTED",
  COMPLETED = "COMPLETED",
  RETURNED = "RETURNED",
  REJECTED = "REJECTED",
  WITHDRAWN = "WITHDRAWN",
}
registerEnumType(DelegatedTaskStatusEnum, {
  name: "DelegatedTaskStatus",
  valuesConfig: {
    SENT: { description: "已委托" },
    RECEIVED: { description: "已签收" },
    ACCEPTED: { description: "已受理" },
    COMPLETED: { description: "已办结, with results" },
    RETURNED: { description: "退回, with reasons" },
    REJECTED: { description: "不予受理, with reasons" },
    WITHDRAWN: { description: "撤回 by the delegating court before acceptance" },
  },
});

export enum TaskDirectionEnum {
  OUTGOING = "OUTGOING",
  INCOMING = "INCOMING",
}
registerEnumType(TaskDirectionEnum, {
  name: "TaskDirection",
  valuesConfig: {
    OUTGOING: { description: "delegated by the caller's court" },
    INCOMING: { description: "delegated to the caller's court" },
  },
});

@ObjectType({ description: "A court of the hub's court directory." })
export class Court {
  @Field(() => String, { description: "as in case numbers: 豫0225, 豫02, 豫" }) code!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: "HIGHER, INTERMEDIATE or BASIC" }) level!: string;
  @Field(() => String, { description: "two-digit province code" }) province!: string;
  @Field(() => [String], { description: "division codes it serves" }) divisions!: string[];
  @Field(() => String, { description: "the hub serving the court's province" }) hub!: string;
}

@ObjectType({ description: "One step of a task: who did what, when, why." })
export class DelegatedTaskStep {
  @Field(() => Int) seq!: number;
  @Field(() => String, { description: "DELEGATE, RECEIVE, ACCEPT, COMPLETE, RETURN, REJECT or WITHDRAW" }) action!: string;
  @Field(() => DelegatedTaskStatusEnum) status!: DelegatedTaskStatusEnum;
  @Field(() => String) actorCourt!: string;
  @Field(() => String) actorOfficer!: string;
  @Field(() => String, { nullable: true }) reason?: string | null;
  @Field(() => Date) at!: Date;
}

@ObjectType({ description: "A document sent with the task or its results." })
export class TaskDocument {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: "the step that sent it" }) stepSeq!: number;
  @Field(() => String) sentBy!: string;
  @Field(() => String) name!: string;
  @Field(() => Int, { description: "bytes" }) size!: number;
  @Field(() => String, { description: "SM3 digest, hex" }) sm3!: string;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType({ description: "What the agency registered for a FREEZE, SEAL or DEDUCT task, as the executing court reported it." })
export class ControlResult {
  @Field(() => String, { description: "what was sealed, frozen or deducted from" }) assetIdentifier!: string;
  @Field(() => String, { description: "the agency's registration (查封登记号, 冻结文号)" }) agencyReference!: string;
  @Field(() => String, { description: "the day the agency registered it" }) registeredOn!: string;
  @Field(() => String, { nullable: true, description: "the last day registered" }) registeredUntil?: string | null;
  @Field(() => Int, { nullable: true, description: "轮候 rank, when another court's measure comes first" }) rank?: number | null;
}

@ObjectType()
export class TaskResults {
  @Field(() => String) summary!: string;
  @Field(() => [Asset], { description: "assets found (QUERY, INVESTIGATE); they join the case's assets" }) assets!: Asset[];
  @Field(() => ControlResult, { nullable: true, description: "FREEZE, SEAL, DEDUCT: the agency's registration" })
  control?: ControlResult | null;
}

@ObjectType({ description: "The deadline a task is running against." })
export class TaskDeadline {
  @Field(() => String, { description: "ACCEPTANCE or COMPLETION" }) deadline!: string;
  @Field(() => Date) dueAt!: Date;
  @Field(() => Boolean) overdue!: boolean;
}

export enum WithdrawalRequestStatusEnum {
  PENDING = "PENDING",
  REFUSED = "REFUSED",
}
registerEnumType(WithdrawalRequestStatusEnum, {
  name: "WithdrawalRequestStatus",
  valuesConfig: {
    PENDING: { description: "waiting for the target court's hub to decide" },
    REFUSED: { description: "the target court's hub did not withdraw the task (a step of the target court came first)" },
  },
});

@ObjectType({
  description:
    "撤回 across hubs: the delegating court's withdrawal, asked of the hub serving the target court, " +
    "which decides it in the order of the task's steps. " +
    "Once withdrawn, the WITHDRAW step records it instead.",
})
export class WithdrawalRequest {
  @Field(() => WithdrawalRequestStatusEnum) status!: WithdrawalRequestStatusEnum;
  @Field(() => Date) requestedAt!: Date;
  @Field(() => String) requestedBy!: string;
  @Field(() => String, { nullable: true }) reason?: string | null;
  @Field(() => Date, { nullable: true }) refusedAt?: Date | null;
  @Field(() => String, { nullable: true, description: "why the target court's hub did not withdraw it" }) refusal?: string | null;
}

@ObjectType({ description: "事项委托: one task on one case, delegated to the court where the asset or person is." })
export class DelegatedTask {
  @Field(() => ID) id!: string;
  @Field(() => String) caseNumber!: string;
  @Field(() => String, { description: "the debtor concerned" }) debtorIdNumber!: string;
  @Field(() => String) debtorName!: string;
  @Field(() => DelegatedTaskKindEnum) kind!: DelegatedTaskKindEnum;
  @Field(() => DelegatedTaskStatusEnum) status!: DelegatedTaskStatusEnum;
  @Field(() => String, { description: "what is to be done" }) instructions!: string;
  @Field(() => Court) delegatingCourt!: Court;
  @Field(() => Court) targetCourt!: Court;
  @Field(() => String, { nullable: true, description: "where the asset or person is, when the court was resolved from it" }) divisionCode?:
    | string
    | null;
  @Field(() => String, {
    nullable: true,
    description:
      "the hub serving the task's other court (the target court, " +
      "or on the target court's hub the delegating court), when it is not this hub",
  })
  peerHub?: string | null;
  @Field(() => String) delegatedBy!: string;
  @Field(() => Date) sentAt!: Date;
  @Field(() => Date, { nullable: true }) receivedAt?: Date | null;
  @Field(() => Date, { nullable: true }) acceptedAt?: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt?: Date | null;
  @Field(() => TaskDeadline, { nullable: true, description: "none once the task is final" }) deadline?: TaskDeadline | null;
  @Field(() => TaskResults, { nullable: true }) results?: TaskResults | null;
  @Field(() => [DelegatedTaskStep]) steps!: DelegatedTaskStep[];
  @Field(() => [TaskDocument]) documents!: TaskDocument[];
  @Field(() => WithdrawalRequest, {
    nullable: true,
    description: "the delegating court's last withdrawal asked across hubs, pending or refused",
  })
  withdrawalRequest?: WithdrawalRequest | null;
  @Field(() => Measure, {
    nullable: true,
    description: "FREEZE, SEAL, DEDUCT: the measure on the delegating case (on the delegating court's hub), checked as any order",
  })
  measure?: Measure | null;
  @Field(() => ID, { nullable: true, description: "续行: the measure this task renews" }) renewsMeasureId?: string | null;
  createdAt!: Date;
}

export const DelegatedTaskConnection = ConnectionType(DelegatedTask, "DelegatedTask");

@ObjectType({ description: "Pushed to both courts at every step of a task, and for its deadline reminders and overdue notices." })
export class DelegatedTaskUpdate {
  @Field(() => ID) taskId!: string;
  @Field(() => String) delegatingCourt!: string;
  @Field(() => String) targetCourt!: string;
  @Field(() => String, { nullable: true }) peerHub?: string | null;
  @Field(() => String, {
    description: "the step's action; WITHDRAWAL_REQUESTED or WITHDRAWAL_REFUSED for a withdrawal across hubs; or ALERT",
  })
  action!: string;
  @Field(() => DelegatedTaskStatusEnum) status!: DelegatedTaskStatusEnum;
  @Field(() => Int, { nullable: true }) seq?: number | null;
  @Field(() => String, { nullable: true, description: "REMINDER before the deadline, OVERDUE after it" }) alert?: string | null;
  @Field(() => String, { nullable: true, description: "ACCEPTANCE or COMPLETION" }) deadline?: string | null;
  @Field(() => String, { nullable: true }) dueAt?: string | null;
  @Field(() => String, { nullable: true, description: "the step's reasons, or why a withdrawal was refused" }) reason?: string | null;
}

@ObjectType({ description: "局长审批: the enforcement director's approval for doing work in person in another province." })
export class DirectorApproval {
  @Field(() => ID) id!: string;
  @Field(() => String) province!: string;
  @Field(() => String) approvalNumber!: string;
  @Field(() => String) approvedOn!: string;
  @Field(() => String) director!: string;
  @Field(() => String) reason!: string;
  @Field(() => String) recordedBy!: string;
}

@InputType()
export class DocumentInput {
  @Checked(line(200))
  @Field(() => String)
  name!: string;
  @Checked(inputRules.base64)
  @Field(() => String, { description: "the file, base64; 3 MiB at most by default, and 5 MiB of base64 per request" })
  contentBase64!: string;
}

@InputType()
export class DelegateTaskInput {
  @Checked(inputRules.caseNumber)
  @Field(() => String)
  caseNumber!: string;
  @Checked(inputRules.idNumber)
  @Field(() => String)
  debtorIdNumber!: string;
  @Field(() => DelegatedTaskKindEnum) kind!: DelegatedTaskKindEnum;
  @Checked(paragraph(2000))
  @Field(() => String, { description: "what the target court is to do" })
  instructions!: string;
  @Checked(line(16))
  @Field(() => String, { nullable: true, description: "the target court's code (皖0104); or give divisionCode" })
  targetCourt?: string;
  // Its form is the directory's refusal, INVALID_DIVISION_CODE (competent court, delegation service), clients know.
  @Checked(line(6))
  @Field(() => String, { nullable: true, description: "where the asset or person is; the competent court is resolved from the directory" })
  divisionCode?: string;
  @Field(() => [DocumentInput], { nullable: true }) documents?: DocumentInput[];
  @Field(() => MeasureTermsInput, {
    nullable: true,
    description: "FREEZE, SEAL, DEDUCT (required): the measure, checked as an order made here (decision, period, over-seizure)",
  })
  control?: MeasureTermsInput;
  @Field(() => MeasureRenewalInput, {
    nullable: true,
    description: "FREEZE, SEAL: instead of control, 续行 of a measure an earlier task carried out, checked as renewMeasure",
  })
  renewal?: MeasureRenewalInput;
}

@InputType({ description: "What the agency registered, as the executing court reports it on completing a FREEZE, SEAL or DEDUCT task." })
export class ControlResultInput {
  @Checked(line(100))
  @Field(() => String, { description: "what was sealed, frozen or deducted from: the task's asset" })
  assetIdentifier!: string;
  @Checked(line(100))
  @Field(() => String, { description: "the agency's registration (查封登记号, 冻结文号)" })
  agencyReference!: string;
  @Checked(inputRules.actDate)
  @Field(() => String, { description: "the day the agency registered it" })
  registeredOn!: string;
  @Checked(inputRules.periodDate)
  @Field(() => String, { nullable: true, description: "the last day registered; the length ordered when not given" })
  registeredUntil?: string;
  @Field(() => Int, { nullable: true, description: "轮候 rank, when another court's measure comes first" }) rank?: number;
}

@InputType({ description: "An asset the target court found; exactly one of realEstate, vehicle, other." })
export class FoundAssetInput {
  @Field(() => AgencyKindEnum, { description: "the registry that holds it" }) agency!: AgencyKindEnum;
  @Checked(line(100))
  @Field(() => String)
  identifier!: string;
  @Checked(paragraph(1000))
  @Field(() => String)
  description!: string;
  @Checked(inputRules.amountOrZero)
  @Field(() => String, { nullable: true, description: "yuan" })
  estimatedValue?: string;
  @Field(() => RealEstateAsset, { nullable: true }) realEstate?: RealEstateAsset;
  @Field(() => VehicleAsset, { nullable: true }) vehicle?: VehicleAsset;
  @Field(() => OtherAsset, { nullable: true }) other?: OtherAsset;
}

@InputType()
export class TaskResultsInput {
  @Checked(paragraph(4000))
  @Field(() => String)
  summary!: string;
  @Field(() => [FoundAssetInput], { nullable: true }) assets?: FoundAssetInput[];
  @Field(() => ControlResultInput, { nullable: true, description: "FREEZE, SEAL, DEDUCT (required): what the agency registered" })
  control?: ControlResultInput;
}

@InputType()
export class CompleteTaskInput {
  @Field(() => ID) taskId!: string;
  @Field(() => TaskResultsInput) results!: TaskResultsInput;
  @Field(() => [DocumentInput], { nullable: true }) documents?: DocumentInput[];
}

@InputType()
export class DirectorApprovalInput {
  @Checked(inputRules.caseNumber)
  @Field(() => String)
  caseNumber!: string;
  @Checked(line(2))
  @Field(() => String, { description: "two-digit code of the province where the work is done" })
  province!: string;
  @Checked(line(60))
  @Field(() => String)
  approvalNumber!: string;
  @Checked(inputRules.actDate)
  @Field(() => String, { description: "YYYY-MM-DD" })
  approvedOn!: string;
  @Checked(inputRules.personName)
  @Field(() => String, { description: "执行局局长" })
  director!: string;
  @Checked(paragraph(1000))
  @Field(() => String, {
    description: "why it is not delegated (Henan High Court supervision opinion, item 18: 无法委托, or 财产转移、流失、贬损 risk)",
  })
  reason!: string;
}
