import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { CaseStepEvent } from "../../capabilities/cases/caseSteps.js";
import type { HubContext } from "../context.js";
import { toCase } from "../common/mappers.js";
import { CaseStatusEnum, CaseStep, ConclusionInput } from "./caseLifecycleTypes.js";
import { EnforcementCase } from "./caseTypes.js";

@Resolver(() => EnforcementCase)
export class CaseLifecycleResolver {
  @FieldResolver(() => CaseStatusEnum)
  status(@Root() root: EnforcementCase & { status: CaseStatusEnum }) {
    return root.status;
  }

  @FieldResolver(() => [CaseStep], { description: "Every step of the case's life, oldest first." })
  async history(@Root() root: EnforcementCase, @Ctx() ctx: HubContext) {
    const steps = await ctx.hub.prisma.caseStep.findMany({ where: { caseId: root.id }, orderBy: [{ at: "asc" }, { id: "asc" }] });
    return steps.map((step) => ({ ...step, facts: JSON.stringify(step.facts) }));
  }

  @FieldResolver(() => EnforcementCase, { nullable: true, description: "A 执恢 case: the case it carries on." })
  async originalCase(@Root() root: EnforcementCase & { originalCaseId: string | null }, @Ctx() ctx: HubContext) {
    if (!root.originalCaseId) return null;
    return toCase(await ctx.hub.prisma.enforcementCase.findUniqueOrThrow({ where: { id: root.originalCaseId } }));
  }

  @FieldResolver(() => EnforcementCase, { nullable: true, description: "A resumed case: the 执恢 case that carries it on." })
  async resumedAs(@Root() root: EnforcementCase, @Ctx() ctx: HubContext) {
    const row = await ctx.hub.prisma.enforcementCase.findUnique({ where: { originalCaseId: root.id } });
    return row && toCase(row);
  }

  @Mutation(() => EnforcementCase, { description: "中止执行 (民事诉讼法 2023 art. 267). The case's own court only." })
  suspendCase(@Arg("caseNumber", () => String) caseNumber: string, @Arg("reason", () => String) reason: string, @Ctx() ctx: HubContext) {
    return this.step(ctx, { caseNumber, reason, event: "SUSPEND" });
  }

  @Mutation(() => EnforcementCase, { description: "恢复执行 of a suspended case, in the same case (民事诉讼法 2023 art. 267)." })
  continueCase(@Arg("caseNumber", () => String) caseNumber: string, @Arg("reason", () => String) reason: string, @Ctx() ctx: HubContext) {
    return this.step(ctx, { caseNumber, reason, event: "CONTINUE" });
  }

  @Mutation(() => EnforcementCase, {
    description: "终结本次执行程序 (法〔2016〕373号): refused with CONCLUSION_CONDITIONS_UNMET naming each condition not met.",
  })
  concludeCase(
    @Arg("caseNumber", () => String) caseNumber: string,
    @Arg("reason", () => String) reason: string,
    @Arg("conclusion", () => ConclusionInput) conclusion: ConclusionInput,
    @Ctx() ctx: HubContext,
  ) {
    return this.step(ctx, { caseNumber, reason, event: "CONCLUDE", conclusion });
  }

  @Mutation(() => EnforcementCase, { description: "终结执行 (民事诉讼法 2023 art. 268)." })
  terminateCase(@Arg("caseNumber", () => String) caseNumber: string, @Arg("reason", () => String) reason: string, @Ctx() ctx: HubContext) {
    return this.step(ctx, { caseNumber, reason, event: "TERMINATE" });
  }

  @Mutation(() => EnforcementCase, { description: "执行完毕: the obligation performed." })
  closeCase(@Arg("caseNumber", () => String) caseNumber: string, @Arg("reason", () => String) reason: string, @Ctx() ctx: HubContext) {
    return this.step(ctx, { caseNumber, reason, event: "CLOSE" });
  }

  @Mutation(() => EnforcementCase, {
    description:
      "恢复执行 of a concluded (终本) or terminated case as a new 执恢 case, which carries its debtors, assets, measures in force and " +
      "list entries (法发〔2014〕26号 art. 6). Returns the new case.",
  })
  async resumeCase(
    @Arg("caseNumber", () => String) caseNumber: string,
    @Arg("resumedCaseNumber", () => String, { description: "the new case's 案号, e.g. （2025）豫0225执恢3号" }) resumedCaseNumber: string,
    @Arg("reason", () => String) reason: string,
    @Ctx() ctx: HubContext,
  ) {
    const id = await ctx.hub.caseResumption.resume(ctx.caller, { caseNumber, resumedCaseNumber, reason });
    return toCase(await ctx.hub.prisma.enforcementCase.findUniqueOrThrow({ where: { id } }));
  }

  private async step(
    ctx: HubContext,
    input: { caseNumber: string; reason: string; event: CaseStepEvent; conclusion?: ConclusionInput },
  ): Promise<ReturnType<typeof toCase>> {
    const id = await ctx.hub.caseSteps.take(ctx.caller, input);
    return toCase(await ctx.hub.prisma.enforcementCase.findUniqueOrThrow({ where: { id } }));
  }
}
