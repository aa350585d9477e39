import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { HubContext } from "../context.js";
import { toCase } from "../common/mappers.js";
import { Measure } from "../measures/measureTypes.js";
import { EnforcementCase } from "./caseTypes.js";

@Resolver(() => EnforcementCase)
export class PreservationResolver {
  @FieldResolver(() => EnforcementCase, { nullable: true, description: "A 执 case: the 执保 case whose measures it carries on." })
  async preservationCase(@Root() root: EnforcementCase & { preservationCaseId?: string | null }, @Ctx() ctx: HubContext) {
    if (!root.preservationCaseId) return null;
    return toCase(await ctx.hub.prisma.enforcementCase.findUniqueOrThrow({ where: { id: root.preservationCaseId } }));
  }

  @FieldResolver(() => EnforcementCase, { nullable: true, description: "A 执保 case: the 执 case its measures were carried over to." })
  async enforcedAs(@Root() root: EnforcementCase, @Ctx() ctx: HubContext) {
    const row = await ctx.hub.prisma.enforcementCase.findUnique({ where: { preservationCaseId: root.id } });
    return row && toCase(row);
  }

  @Mutation(() => EnforcementCase, {
    description:
      "The judgment is enforceable: the 执保 case's seals, seizures and freezes in force become the 执 case's, their periods running " +
      "on, with no new order and nothing sent to the agencies (民诉法解释 art. 168). Returns the 执 case.",
  })
  async carryOverPreservation(
    @Arg("preservationCaseNumber", () => String, { description: "the 执保 case, e.g. （2024）豫0225执保7号" })
    preservationCaseNumber: string,
    @Arg("caseNumber", () => String, { description: "the 执 case of the judgment, registered with the same debtors" }) caseNumber: string,
    @Arg("reason", () => String, { description: "the judgment that became enforceable" }) reason: string,
    @Ctx() ctx: HubContext,
  ) {
    const id = await ctx.hub.preservationCarryOver.carryOver(ctx.caller, { preservationCaseNumber, caseNumber, reason });
    return toCase(await ctx.hub.prisma.enforcementCase.findUniqueOrThrow({ where: { id } }));
  }
}

@Resolver(() => Measure)
export class CarriedMeasureResolver {
  @FieldResolver(() => String, { description: "the case the measure belongs to now (a carried-over measure: the 执 case)" })
  async caseNumber(@Root() root: Measure & { caseId: string }, @Ctx() ctx: HubContext) {
    return (await ctx.hub.prisma.enforcementCase.findUniqueOrThrow({ where: { id: root.caseId } })).caseNumber;
  }

  @FieldResolver(() => String, { nullable: true, description: "a measure carried over: the 执保 case it was ordered in" })
  async carriedFromCaseNumber(@Root() root: Measure, @Ctx() ctx: HubContext) {
    if (!root.carriedFromCaseId) return null;
    const row = await ctx.hub.prisma.enforcementCase.findUniqueOrThrow({ where: { id: root.carriedFromCaseId } });
    return row.caseNumber;
  }
}
