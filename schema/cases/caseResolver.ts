import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { assertCourtAccess, requireRole } from "../../gateway/auth/access.js";
import { debtorDigest, notADebtorOfCase } from "../../capabilities/cases/caseAccess.js";
import { SIGHTING_WITH_ASSET, type HubContext } from "../context.js";
import { afterCursor, pageSize, toConnection } from "../common/pagination.js";
import { Asset } from "../assets/assetTypes.js";
import { CaseConnection, CaseRegistration, Debtor, EnforcementCase, RegisterCaseInput } from "./caseTypes.js";
import { InquiryConnection } from "../inquiry/inquiryTypes.js";
import { MeasureConnection } from "../measures/measureTypes.js";
import { toMeasure } from "../measures/measureResolver.js";
import { toAsset, toCase, toDebtor } from "../common/mappers.js";
import { loadVisibleCase } from "./visibleCase.js";

@Resolver(() => EnforcementCase)
export class CaseResolver {
  @Query(() => EnforcementCase, { description: "A case of the caller's court (supervisors: any court)." })
  async case(@Arg("caseNumber", () => String) caseNumber: string, @Ctx() ctx: HubContext) {
    return toCase(await loadVisibleCase(ctx, caseNumber));
  }

  @Query(() => CaseConnection, { description: "The caller's court's cases, newest last, by cursor." })
  async cases(
    @Ctx() ctx: HubContext,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
    @Arg("courtCode", () => String, { nullable: true, description: "supervisors: another court's cases" }) courtCode?: string,
  ) {
    const principal = requireRole(ctx.caller);
    const court = courtCode ?? principal.org;
    assertCourtAccess(principal, court);
    const size = pageSize(first);
    const rows = await ctx.hub.prisma.enforcementCase.findMany({
      where: { courtCode: court, ...afterCursor(after) },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: size + 1,
    });
    return toConnection(rows.map(toCase), size);
  }

  @Mutation(() => CaseRegistration, {
    description: "立案登记. Idempotent. Starts the first national inquiry for every debtor (Henan High Court supervision opinion, item 2).",
  })
  async registerCase(@Arg("input", () => RegisterCaseInput) input: RegisterCaseInput, @Ctx() ctx: HubContext) {
    const registration = await ctx.hub.cases.register(ctx.caller, input);
    const row = await ctx.hub.prisma.enforcementCase.findUniqueOrThrow({ where: { id: registration.caseId } });
    return { case: toCase(row), created: registration.created };
  }

  @FieldResolver(() => [Debtor])
  async debtors(@Root() root: EnforcementCase, @Ctx() ctx: HubContext) {
    return (await ctx.loaders.debtorsByCase.load(root.id)).map(toDebtor);
  }

  @FieldResolver(() => InquiryConnection)
  async inquiries(
    @Root() root: EnforcementCase,
    @Ctx() ctx: HubContext,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const size = pageSize(first);
    const rows = await ctx.hub.prisma.inquiry.findMany({
      where: { caseId: root.id, ...afterCursor(after) },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: size + 1,
    });
    return toConnection(rows, size);
  }

  @FieldResolver(() => MeasureConnection, { description: "控: the case's control measures, oldest first." })
  async measures(
    @Root() root: EnforcementCase,
    @Ctx() ctx: HubContext,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const size = pageSize(first);
    const rows = await ctx.hub.prisma.measure.findMany({
      where: { caseId: root.id, ...afterCursor(after) },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: size + 1,
    });
    return toConnection(rows.map(toMeasure), size);
  }

  @FieldResolver(() => [Asset], {
    description: "Everything inquiries and delegated tasks have found for this case's debtors: each asset once, with its sightings.",
  })
  async assets(
    @Root() root: EnforcementCase,
    @Ctx() ctx: HubContext,
    @Arg("debtorIdNumber", () => String, { nullable: true }) debtorIdNumber?: string,
  ) {
    const rows = await ctx.hub.prisma.asset.findMany({
      where: { caseId: root.id, ...(debtorIdNumber ? { debtorId: await this.debtorId(ctx, root, debtorIdNumber) } : {}) },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      include: SIGHTING_WITH_ASSET.asset.include,
    });
    return rows.map((row) => toAsset(row));
  }

  private async debtorId(ctx: HubContext, enforcementCase: EnforcementCase, idNumber: string): Promise<string> {
    const debtor = await ctx.hub.prisma.debtor.findUnique({
      where: { caseId_idDigest: { caseId: enforcementCase.id, idDigest: debtorDigest(idNumber) } },
    });
    if (!debtor) throw notADebtorOfCase(idNumber, enforcementCase.caseNumber);
    return debtor.id;
  }
}
