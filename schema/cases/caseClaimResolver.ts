import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { todayInChina } from "../../domain/calendarDate.js";
import { checkIsoDate } from "../../domain/input/isoDate.js";
import { claimOn } from "../../capabilities/cases/caseClaim.js";
import { invalidField } from "../../gateway/errors.js";
import type { HubContext } from "../context.js";
import { toCase } from "../common/mappers.js";
import { CaseClaim, CaseCostsInput, CasePaymentInput, InterestBasisInput } from "./caseClaimTypes.js";
import { EnforcementCase } from "./caseTypes.js";

@Resolver(() => EnforcementCase)
export class CaseClaimResolver {
  @FieldResolver(() => CaseClaim, { description: "What the debtor owes on asOf (default today), payments and deductions counted." })
  async claim(
    @Root() root: EnforcementCase,
    @Ctx() ctx: HubContext,
    @Arg("asOf", () => String, { nullable: true, description: "YYYY-MM-DD; default today" }) asOf?: string,
  ) {
    const today = todayInChina(ctx.hub.clock());
    const day = asOf ?? today;
    if (checkIsoDate(day, { notBefore: "1990-01-01", daysAhead: 6 * 366 }, today)) throw invalidField("asOf", "must be a YYYY-MM-DD date");
    return claimOn(ctx.hub.sql, root.id, "EFFECTIVE", day);
  }

  @Mutation(() => EnforcementCase, { description: "Record the enforcement costs (执行费用). The case's own court only." })
  async recordCaseCosts(@Arg("input", () => CaseCostsInput) input: CaseCostsInput, @Ctx() ctx: HubContext) {
    return this.load(ctx, await ctx.hub.caseClaims.recordCosts(ctx.caller, input));
  }

  @Mutation(() => EnforcementCase, {
    description: "Record the judgment's dates the doubled interest on delay runs from (民事诉讼法 2023 art. 264; 法释〔2014〕8号 art. 2).",
  })
  async recordInterestBasis(@Arg("input", () => InterestBasisInput) input: InterestBasisInput, @Ctx() ctx: HubContext) {
    return this.load(ctx, await ctx.hub.caseClaims.recordInterestBasis(ctx.caller, input));
  }

  @Mutation(() => EnforcementCase, { description: "Record a payment the debtor made (partial performance)." })
  async recordPayment(@Arg("input", () => CasePaymentInput) input: CasePaymentInput, @Ctx() ctx: HubContext) {
    return this.load(ctx, await ctx.hub.caseClaims.recordPayment(ctx.caller, input));
  }

  private async load(ctx: HubContext, id: string) {
    return toCase(await ctx.hub.prisma.enforcementCase.findUniqueOrThrow({ where: { id } }));
  }
}
