import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { CASE_STATUSES, type CaseStatus } from "../../domain/cases/caseLifecycle.js";
import { enumOf } from "../common/enumOf.js";

export const CaseStatusEnum = enumOf(CASE_STATUSES);
export type CaseStatusEnum = CaseStatus;
registerEnumType(CaseStatusEnum, {
  name: "CaseStatus",
  description: "The case's state (domain/cases/caseLifecycle.ts)",
  valuesConfig: {
    IN_ENFORCEMENT: { description: "执行中" },
    SUSPENDED: { description: "中止执行 (民事诉讼法 2023 art. 267)" },
    CONCLUDED: { description: "终结本次执行程序 (法〔2016〕373号): measures stay in force and are renewed; the case may be resumed" },
    TERMINATED: {
      description: "终结执行 (民事诉讼法 2023 art. 268): no new work; may be resumed as 执恢 (法发〔2014〕26号 art. 6 item 5)",
    },
    CLOSED: { description: "执行完毕: no new work" },
    SUPERSEDED: {
      description: "恢复执行: carried on by its 执恢 case (resumedAs), which now holds its debtors, assets, measures and entries",
    },
  },
});

@ObjectType({ description: "One step of a case's life: who took it, when and why." })
export class CaseStep {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: "SUSPEND, CONTINUE, CONCLUDE, TERMINATE, CLOSE or RESUME" }) event!: string;
  @Field(() => CaseStatusEnum) fromStatus!: CaseStatus;
  @Field(() => CaseStatusEnum) toStatus!: CaseStatus;
  @Field(() => String) actorCourt!: string;
  @Field(() => String) actorOfficer!: string;
  @Field(() => String) reason!: string;
  @Field(() => String, { description: "the facts the step required, as JSON (终本: its recorded conditions)" }) facts!: string;
  @Field(() => Date) at!: Date;
}

@InputType({ description: "What the court records for 终本 (法〔2016〕373号 arts. 1, 3, 5); the hub counts its network inquiries itself." })
export class ConclusionInput {
  @Field(() => String, { description: "the property investigation done (art. 3)" }) propertyInvestigation!: string;
  @Field(() => String, { description: "the measures taken: consumption restriction order, listing, fines (art. 1 items 2, 5)" })
  measuresTaken!: string;
  @Field(() => String, { description: "when the creditor was heard, YYYY-MM-DD (art. 5)" }) creditorHeardOn!: string;
  @Field(() => String, { description: "the creditor's opinion (art. 5)" }) creditorOpinion!: string;
}
