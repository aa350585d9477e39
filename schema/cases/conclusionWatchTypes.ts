import { Field, ID, Int, ObjectType } from "type-graphql";
import { Asset } from "../assets/assetTypes.js";

@ObjectType({ description: "One round of the watch over a 终本 case: the national inquiries the hub ran for the court, and what was new." })
export class Reinquiry {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: "1 six months after 终本, 2 a year after, … 10 at five years (法〔2016〕373号 art. 16)" })
  round!: number;
  @Field(() => String, { description: "the day the round fell due, YYYY-MM-DD" }) dueOn!: string;
  @Field(() => Date) startedAt!: Date;
  @Field(() => [ID], { description: "the round's inquiries, one per debtor (trigger CONCLUSION_WATCH)" }) inquiryIds!: string[];
  @Field(() => Date, { nullable: true, description: "when all its inquiries had been answered; null until then" }) settledAt!: Date | null;
  @Field(() => [Asset], { description: "what the round found that the case had not known (empty until settled)" }) newAssets!: unknown[];
}

@ObjectType({ description: "终本后的定期查询 (法〔2016〕373号 art. 16): the hub re-inquires every six months for five years." })
export class ConclusionWatch {
  @Field(() => String, { description: "the day of 终本, YYYY-MM-DD" }) concludedOn!: string;
  @Field(() => Int, { description: "the last round started; 0 before the first" }) lastRound!: number;
  @Field(() => Int, { nullable: true }) nextRound!: number | null;
  @Field(() => String, { nullable: true, description: "when the next round falls due; null once the five years are over" })
  nextDueOn!: string | null;
  @Field(() => Boolean, { description: "a round found assets the case had not known: the court may resume it (恢复执行)" })
  resumable!: boolean;
  @Field(() => Date, { nullable: true }) resumableSince!: Date | null;
  @Field(() => String, {
    nullable: true,
    description:
      "失信规定 art. 10 item 4: the day the second network inquiry after 终本 found nothing (the first found nothing, a second " +
      "followed); null while not met",
  })
  secondFruitlessInquiryOn!: string | null;
  caseId!: string;
}

@ObjectType({ description: "A round of the watch over a 终本 case started, or settled once all its inquiries were answered." })
export class ReinquiryUpdate {
  @Field(() => ID) caseId!: string;
  @Field(() => String) courtCode!: string;
  @Field(() => ID) reinquiryId!: string;
  @Field(() => Int) round!: number;
  @Field(() => String, { description: "STARTED or SETTLED" }) status!: string;
  @Field(() => Int, { nullable: true, description: "SETTLED: assets the round found that the case had not known" }) newAssets!:
    | number
    | null;
  @Field(() => Boolean) resumable!: boolean;
}
