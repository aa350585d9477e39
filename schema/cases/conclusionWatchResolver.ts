import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root, Subscription } from "type-graphql";
import { todayInChina } from "../../domain/calendarDate.js";
import { addDays } from "../../domain/measures/periodDates.js";
import { invalidField } from "../../gateway/errors.js";
import type { ReinquiryEvent } from "../../gateway/events/hubEvents.js";
import type { ConclusionWatch as WatchRow, Reinquiry as ReinquiryRow } from "../../gateway/persistence/generated/client.js";
import type { HubContext } from "../context.js";
import { SIGHTING_WITH_ASSET } from "../context.js";
import { courtScope, scopedCourts } from "../common/courtScope.js";
import { dueReinquiries } from "../../capabilities/cases/conclusionWatch.js";
import { toAsset, toCase } from "../common/mappers.js";
import { ConclusionWatch, Reinquiry, ReinquiryUpdate } from "./conclusionWatchTypes.js";
import { EnforcementCase } from "./caseTypes.js";
import { loadVisibleCase } from "./visibleCase.js";

const day = (date: Date | null) => date?.toISOString().slice(0, 10) ?? null;

function toWatch(row: WatchRow): ConclusionWatch {
  return {
    caseId: row.caseId,
    concludedOn: day(row.concludedOn)!,
    lastRound: row.lastRound,
    nextRound: row.nextRound,
    nextDueOn: day(row.nextDueOn),
    resumable: row.resumableSince !== null,
    resumableSince: row.resumableSince,
    secondFruitlessInquiryOn: day(row.secondFruitlessOn),
  };
}

async function toReinquiry(ctx: HubContext, row: ReinquiryRow): Promise<Reinquiry> {
  const assets = await ctx.hub.prisma.asset.findMany({
    where: { id: { in: row.newAssetIds } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: SIGHTING_WITH_ASSET.asset.include,
  });
  return {
    id: row.id,
    round: row.round,
    dueOn: day(row.dueOn)!,
    startedAt: row.startedAt,
    inquiryIds: row.inquiryIds,
    settledAt: row.settledAt,
    newAssets: assets.map((asset) => toAsset(asset)),
  };
}

@Resolver(() => EnforcementCase)
export class ConclusionWatchResolver {
  @FieldResolver(() => ConclusionWatch, {
    nullable: true,
    description: "终本 cases: the hub's re-inquiries every six months for five years (法〔2016〕373号 art. 16); null for others.",
  })
  async conclusionWatch(@Root() root: EnforcementCase, @Ctx() ctx: HubContext) {
    const row = await ctx.hub.prisma.conclusionWatch.findUnique({ where: { caseId: root.id } });
    return row && toWatch(row);
  }

  @Query(() => [Reinquiry], { description: "The rounds of the watch over a 终本 case, oldest first, each with what it found new." })
  async reinquiries(@Arg("caseNumber", () => String) caseNumber: string, @Ctx() ctx: HubContext) {
    const enforcementCase = await loadVisibleCase(ctx, caseNumber);
    const rows = await ctx.hub.prisma.reinquiry.findMany({ where: { caseId: enforcementCase.id }, orderBy: { round: "asc" } });
    return Promise.all(rows.map((row) => toReinquiry(ctx, row)));
  }

  @Query(() => [EnforcementCase], {
    description: "终本 cases whose next re-inquiry (法〔2016〕373号 art. 16) falls due within `withinDays` days, soonest first.",
  })
  async casesDueForReinquiry(
    @Arg("withinDays", () => Int) withinDays: number,
    @Ctx() ctx: HubContext,
    @Arg("courtCode", () => String, { nullable: true, description: "supervisors: one court; default the caller's" }) courtCode?: string,
  ) {
    if (withinDays < 0 || withinDays > 3660) throw invalidField("withinDays", "must be between 0 and 3660");
    const due = await dueReinquiries(ctx.hub.sql, addDays(todayInChina(ctx.hub.clock()), withinDays), scopedCourts(ctx, courtCode), 500);
    const cases = new Map(
      (await ctx.hub.prisma.enforcementCase.findMany({ where: { id: { in: due.map((row) => row.case_id) } } })).map((row) => [row.id, row]),
    );
    return due.flatMap((row) => {
      const found = cases.get(row.case_id);
      return found ? [toCase(found)] : [];
    });
  }

  @Query(() => [EnforcementCase], {
    description: "终本 cases in which a re-inquiry found assets the case had not known: to be resumed (恢复执行), oldest first.",
  })
  async resumableCases(
    @Ctx() ctx: HubContext,
    @Arg("courtCode", () => String, { nullable: true, description: "supervisors: one court; default the caller's" }) courtCode?: string,
  ) {
    const rows = await ctx.hub.prisma.enforcementCase.findMany({
      where: { ...courtScope(ctx, courtCode), status: "CONCLUDED", conclusionWatch: { resumableSince: { not: null } } },
      orderBy: [{ conclusionWatch: { resumableSince: "asc" } }, { id: "asc" }],
      take: 500,
    });
    return rows.map(toCase);
  }

  @Subscription(() => ReinquiryUpdate, {
    description: "Each round of the watch over the 终本 case as it starts and once it is settled (its inquiries' parts: inquiryUpdates).",
    subscribe: async ({ args, context }) => {
      const ctx = context as HubContext;
      const enforcementCase = await loadVisibleCase(ctx, args.caseNumber as string);
      return ctx.hub.events.pubSub.subscribe("REINQUIRY", enforcementCase.id);
    },
  })
  reinquiryUpdates(@Root() event: ReinquiryEvent, @Arg("caseNumber", () => String) _caseNumber: string): ReinquiryUpdate {
    return event;
  }
}
