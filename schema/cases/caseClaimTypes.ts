import { Field, InputType, ObjectType } from "type-graphql";
import { Checked } from "../common/checkedInput.js";
import { inputRules, line, paragraph } from "../common/inputRules.js";

@ObjectType({ description: "What the debtor owes on a day (民事诉讼法 2023 art. 264; 法释〔2014〕8号), every amount in yuan." })
export class CaseClaim {
  @Field(() => String, { description: "the day the figures are for, YYYY-MM-DD" }) asOf!: string;
  @Field(() => String, { description: "生效法律文书确定的金钱债务: the claim amount registered" }) principal!: string;
  @Field(() => String, { description: "执行费用" }) costs!: string;
  @Field(() => String, { description: "加倍部分债务利息 accrued, at 日万分之一点七五 on the unpaid principal" }) interest!: string;
  @Field(() => String, { description: "paid and deducted up to asOf" }) paid!: string;
  @Field(() => String, { description: "still owed: costs first, then the principal, then the interest (法释〔2014〕8号 art. 4)" })
  outstanding!: string;
  @Field(() => String, { description: "paid beyond everything owed" }) overpaid!: string;
  @Field(() => String, { nullable: true, description: "the first day of delay; null without the judgment's dates" })
  interestFrom?: string | null;
}

@InputType()
export class CaseCostsInput {
  @Checked(inputRules.caseNumber)
  @Field(() => String)
  caseNumber!: string;
  @Checked(inputRules.amountOrZero)
  @Field(() => String, { description: "执行费用 in yuan, replacing what was recorded" })
  costs!: string;
  @Checked(paragraph(500))
  @Field(() => String, { description: "how they were assessed" })
  reason!: string;
}

@InputType()
export class InterestBasisInput {
  @Checked(inputRules.caseNumber)
  @Field(() => String)
  caseNumber!: string;
  @Checked(inputRules.actDate)
  @Field(() => String, { description: "the day the judgment took effect" })
  judgmentDate!: string;
  @Checked(inputRules.actDate)
  @Field(() => String, {
    nullable: true,
    description: "the last day of the performance period it sets; omitted when it sets none (法释〔2014〕8号 art. 2)",
  })
  performanceDeadline?: string;
}

@InputType()
export class CasePaymentInput {
  @Checked(inputRules.caseNumber)
  @Field(() => String)
  caseNumber!: string;
  @Checked(inputRules.amount)
  @Field(() => String, { description: "yuan" })
  amount!: string;
  @Checked(inputRules.actDate)
  @Field(() => String, { description: "the day it was paid, YYYY-MM-DD" })
  paidOn!: string;
  @Checked(line(200))
  @Field(() => String, { description: "how it was paid (bank transfer, cash to the court account, …)" })
  note!: string;
}
