import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { AgencyKindEnum, ChannelEnum } from "../common/enums.js";
import { DelegatedTaskKindEnum, DelegatedTaskStatusEnum, TaskDeadline } from "../delegation/delegationTypes.js";
import { MeasureKindEnum, MeasureStatusEnum } from "../measures/measureTypes.js";

export enum StatsWindowEnum {
  HOUR = "HOUR",
  DAY = "DAY",
}
registerEnumType(StatsWindowEnum, {
  name: "StatsWindow",
  valuesConfig: { HOUR: { description: "最近一小时" }, DAY: { description: "最近一天 (每日巡检)" } },
});

export enum RequestOutcomeEnum {
  PENDING = "PENDING",
  RETRYING = "RETRYING",
  OVERDUE = "OVERDUE",
  ANSWERED = "ANSWERED",
  REFUSED = "REFUSED",
  FAILED = "FAILED",
  TIMED_OUT = "TIMED_OUT",
}
registerEnumType(RequestOutcomeEnum, {
  name: "RequestOutcome",
  description: "Which requests a number of agencyStats counts; the open ones are counted now, the others over the window.",
  valuesConfig: {
    PENDING: { description: "待答复: open now" },
    RETRYING: { description: "重试中: open, with at least one failed round" },
    OVERDUE: { description: "超时未答: open past the agency's service level" },
    ANSWERED: { description: "已答复" },
    REFUSED: { description: "被拒绝" },
    FAILED: { description: "失败" },
    TIMED_OUT: { description: "超时" },
  },
});

export enum AgencyHealthEnum {
  OK = "OK",
  SLOW = "SLOW",
  FAILING = "FAILING",
}
registerEnumType(AgencyHealthEnum, {
  name: "AgencyHealth",
  valuesConfig: {
    OK: { description: "正常" },
    SLOW: { description: "迟缓: requests past the service level" },
    FAILING: { description: "故障: failures at least as many as answers" },
  },
});

export enum MeasureWatchEnum {
  EXPIRING = "EXPIRING",
  LAPSED = "LAPSED",
  UNCONFIRMED = "UNCONFIRMED",
}
registerEnumType(MeasureWatchEnum, {
  name: "MeasureWatch",
  valuesConfig: {
    EXPIRING: { description: "即将到期 (in force or queued, last day within the days given)" },
    LAPSED: { description: "已脱封 (lapsed unrenewed within the days given)" },
    UNCONFIRMED: { description: "未确认 (the agency has not answered the order by its deadline)" },
  },
});

@ObjectType({ description: "One agency on one channel, over a window, for the courts the caller supervises." })
export class AgencyStats {
  @Field(() => String) agencyKind!: string;
  @Field(() => String) channel!: string;
  @Field(() => Int) answered!: number;
  @Field(() => Int) refused!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) timedOut!: number;
  @Field(() => Int, { description: "open now, whatever the window" }) pending!: number;
  @Field(() => Int, { description: "open now, with a failed round behind them" }) retrying!: number;
  @Field(() => Int, { description: "open now, past the service level" }) overdue!: number;
  @Field(() => Float, { nullable: true }) medianAnswerMs?: number | null;
  @Field(() => Float, { nullable: true }) p95AnswerMs?: number | null;
  @Field(() => Float, { description: "banks 24 h (法〔2018〕64号); others the configured deadline" }) serviceLevelMs!: number;
  @Field(() => Date, { nullable: true }) oldestPendingAt?: Date | null;
  @Field(() => AgencyHealthEnum) health!: AgencyHealthEnum;
}

@ObjectType({ description: "Requests finished in one hour for one agency: the trend beside agencyStats." })
export class AgencyHour {
  @Field(() => Date) hour!: Date;
  @Field(() => String) agencyKind!: string;
  @Field(() => Int, { description: "answered or refused" }) answered!: number;
  @Field(() => Int, { description: "failed or timed out" }) failed!: number;
}

@ObjectType({ description: "An agency request behind a number of agencyStats, with its case and court." })
export class SupervisedRequest {
  @Field(() => ID) id!: string;
  @Field(() => String) caseNumber!: string;
  @Field(() => String) courtCode!: string;
  @Field(() => AgencyKindEnum) agencyKind!: AgencyKindEnum;
  @Field(() => ChannelEnum) channel!: ChannelEnum;
  @Field(() => String, { description: "INQUIRY, CONTROL, ASSISTANCE" }) operation!: string;
  @Field(() => String) status!: string;
  @Field(() => Int) attempts!: number;
  @Field(() => Int) failedRounds!: number;
  @Field(() => String, { nullable: true }) lastError?: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) finishedAt?: Date | null;
  @Field(() => Date) deadlineAt!: Date;
}

@ObjectType({ description: "A case not finished, with when it was registered." })
export class OpenCase {
  @Field(() => ID) id!: string;
  @Field(() => String) caseNumber!: string;
  @Field(() => String) courtCode!: string;
  @Field(() => String) status!: string;
  @Field(() => String) creditorName!: string;
  @Field(() => String, { description: "yuan" }) claimAmount!: string;
  @Field(() => Date) registeredAt!: Date;
  @Field(() => Int) daysOpen!: number;
}

@ObjectType({ description: "A 终本 case whose six-monthly inquiry is due (法〔2016〕373号 art. 16)." })
export class ReinquiryDueCase {
  @Field(() => String) caseNumber!: string;
  @Field(() => String) courtCode!: string;
  @Field(() => String, { description: "the day of 终本" }) concludedOn!: string;
  @Field(() => String, { nullable: true, description: "the last inquiry since 终本" }) lastInquiryOn?: string | null;
  @Field(() => String) dueOn!: string;
  @Field(() => Int, { description: "days from today to dueOn; negative once past" }) daysLeft!: number;
}

@ObjectType({ description: "A measure the command centre watches, with its case and court." })
export class SupervisedMeasure {
  @Field(() => ID) id!: string;
  @Field(() => String) caseNumber!: string;
  @Field(() => String) courtCode!: string;
  @Field(() => MeasureKindEnum) kind!: MeasureKindEnum;
  @Field(() => MeasureStatusEnum) status!: MeasureStatusEnum;
  @Field(() => AgencyKindEnum) agencyKind!: AgencyKindEnum;
  @Field(() => String) assetIdentifier!: string;
  @Field(() => String, { description: "yuan" }) value!: string;
  @Field(() => String, { description: "last day in force" }) expiresOn!: string;
  @Field(() => Int, { description: "days from today to the last day; negative once past" }) daysLeft!: number;
  @Field(() => Date, { nullable: true }) lapsedAt?: Date | null;
}

@ObjectType({ description: "A delegated task due or overdue, between two courts, with the deadline it runs against." })
export class SupervisedTask extends TaskDeadline {
  @Field(() => ID) id!: string;
  @Field(() => DelegatedTaskKindEnum) kind!: DelegatedTaskKindEnum;
  @Field(() => DelegatedTaskStatusEnum) status!: DelegatedTaskStatusEnum;
  @Field(() => String) delegatingCourt!: string;
  @Field(() => String, { description: "the receiving court" }) targetCourt!: string;
}

@ObjectType({ description: "The audit chain's head: the last sealed row and what waits to be sealed." })
export class AuditChainState {
  @Field(() => String, { nullable: true }) sealedSeq?: string | null;
  @Field(() => String, { nullable: true, description: "SM3 chain hash of the last sealed row" }) sealedHash?: string | null;
  @Field(() => Date, { nullable: true }) sealedAt?: Date | null;
  @Field(() => Int) unsealed!: number;
  @Field(() => Date, { nullable: true }) oldestUnsealedAt?: Date | null;
}

@ObjectType({ description: "A court the caller supervises." })
export class SupervisedCourt {
  @Field(() => String) code!: string;
  @Field(() => String) name!: string;
}
