import { Arg, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from "type-graphql";
import { requireRole } from "../../gateway/auth/access.js";
import { CASE_READERS } from "../../gateway/auth/principal.js";
import { invalidField } from "../../gateway/errors.js";
import type { AgencyKind } from "../../connectors/connector.js";
import { agencyRequestLifecycle } from "../../domain/inquiry/agencyRequestLifecycle.js";
import type { HubContext } from "../context.js";
import { AgencyKindEnum } from "../common/enums.js";
import { pageSize } from "../common/pagination.js";

@ObjectType({ description: "An agency kind this hub is connected to, and how." })
class AgencyInfo {
  @Field(() => AgencyKindEnum) kind!: AgencyKindEnum;
  @Field(() => String, { description: "the wire protocol its connector speaks" }) protocol!: string;
  @Field(() => Boolean, { description: "served on the national channel (总对总)" }) national!: boolean;
  @Field(() => [String], { description: "division-code prefixes served on the local channel (点对点)" }) localPrefixes!: string[];
}

@ObjectType({ description: "An agency request not answered yet, as operators watch a slow or failing agency." })
class OpenAgencyRequest {
  @Field(() => ID, { description: "also the idempotency key the agency knows it by" }) id!: string;
  @Field(() => AgencyKindEnum) agency!: AgencyKindEnum;
  @Field(() => String, { description: "INQUIRE, CONTROL or ASSIST" }) operation!: string;
  @Field(() => String, { description: "QUEUED, SENT or AWAITING" }) status!: string;
  @Field(() => String) caseNumber!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { description: "when the dispatcher next sends, polls or looks it up" }) nextAttemptAt!: Date;
  @Field(() => Date, { description: "when it times out unanswered" }) deadlineAt!: Date;
  @Field(() => Int, { description: "submissions that left the hub" }) attempts!: number;
  @Field(() => Int, { description: "questions to the agency about its key" }) lookups!: number;
  @Field(() => String, { nullable: true }) lastError!: string | null;
}

/** At most a week: older than that is a request no agency deadline allows to stay open. */
const MAX_AGE_MINUTES = 7 * 24 * 60;

@Resolver()
export class AgencyResolver {
  @Query(() => [OpenAgencyRequest], {
    description:
      "Operators: open agency requests, oldest first; with olderThanMinutes, only those waiting at least that long " +
      "(stuck), with agency, only that agency's.",
  })
  async openAgencyRequests(
    @Ctx() ctx: HubContext,
    @Arg("agency", () => AgencyKindEnum, { nullable: true }) agency?: AgencyKindEnum,
    @Arg("olderThanMinutes", () => Int, { nullable: true }) olderThanMinutes?: number,
    @Arg("first", () => Int, { nullable: true }) first?: number,
  ): Promise<OpenAgencyRequest[]> {
    requireRole(ctx.caller, "OPERATOR", "HUB_ADMIN");
    const minutes = olderThanMinutes ?? 0;
    if (minutes < 0 || minutes > MAX_AGE_MINUTES) throw invalidField("olderThanMinutes", `must be between 0 and ${MAX_AGE_MINUTES}`);
    const rows = await ctx.hub.prisma.agencyRequest.findMany({
      where: {
        status: { in: [...agencyRequestLifecycle.openStatuses] },
        ...(agency ? { agencyKind: agency } : {}),
        createdAt: { lte: new Date(Date.now() - minutes * 60_000) },
      },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: pageSize(first),
    });
    const cases = await ctx.hub.prisma.enforcementCase.findMany({
      where: { id: { in: [...new Set(rows.map((row) => row.caseId))] } },
      select: { id: true, caseNumber: true },
    });
    const caseNumbers = new Map(cases.map((row) => [row.id, row.caseNumber]));
    return rows.map((row) => ({
      id: row.id,
      agency: row.agencyKind as AgencyKindEnum,
      operation: row.operation,
      status: row.status,
      caseNumber: caseNumbers.get(row.caseId) ?? "",
      createdAt: row.createdAt,
      nextAttemptAt: row.nextAttemptAt,
      deadlineAt: row.deadlineAt,
      attempts: row.attempts,
      lookups: row.lookups,
      lastError: row.lastError,
    }));
  }

  @Query(() => [AgencyInfo], { description: "The agencies behind this hub and the channels that reach them." })
  agencies(@Ctx() ctx: HubContext): AgencyInfo[] {
    requireRole(ctx.caller, ...CASE_READERS, "OPERATOR", "HUB_ADMIN");
    const routes = ctx.hub.routes;
    return routes.configuredKinds().map((kind: AgencyKind) => ({
      kind: kind as AgencyKindEnum,
      protocol: ctx.hub.connectors[kind].protocol,
      national: routes.nationalKinds().includes(kind),
      localPrefixes: routes.localPrefixes(kind),
    }));
  }
}
