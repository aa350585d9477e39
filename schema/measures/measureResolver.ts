import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { AgencyKind } from "../../connectors/connector.js";
import { todayInChina } from "../../domain/calendarDate.js";
import { addDays } from "../../domain/measures/periodDates.js";
import { formatYuan, parseYuan } from "../../domain/measures/yuan.js";
import { assertCourtAccess, requireRole } from "../../gateway/auth/access.js";
import { HubError, invalidField } from "../../gateway/errors.js";
import type { MeasureEvent } from "../../gateway/events/hubEvents.js";
import type { Measure as MeasureRow } from "../../gateway/persistence/generated/client.js";
import type { HubContext } from "../context.js";
import { Measure, MeasureChangeInput, MeasureOrder, MeasureOrderInput, MeasureRenewalInput, MeasureUpdate } from "./measureTypes.js";
import { HELD_AT_AGENCY, MEASURE_TRANSITIONS } from "../../domain/measures/measureLifecycle.js";
import { loadVisibleCase } from "../cases/visibleCase.js";
import { courtScope } from "../common/courtScope.js";

export function toMeasure(row: MeasureRow) {
  return {
    ...row,
    agency: row.agencyKind,
    value: row.value.toFixed(2),
    startsOn: row.startsOn.toISOString().slice(0, 10),
    expiresOn: row.expiresOn.toISOString().slice(0, 10),
    decision: row.decision as unknown as Measure["decision"],
    deductsFrom: row.deductsMeasureId,
  };
}

@Resolver(() => Measure)
export class MeasureResolver {
  @Query(() => Measure)
  async measure(@Arg("id", () => ID) id: string, @Ctx() ctx: HubContext) {
    const principal = requireRole(ctx.caller);
    const row = /^[0-9a-f-]{36}$/i.test(id)
      ? await ctx.hub.prisma.measure.findUnique({ where: { id }, include: { enforcementCase: { select: { courtCode: true } } } })
      : null;
    if (!row) throw new HubError("MEASURE_NOT_FOUND", `no measure ${id}`, { field: "id" });
    assertCourtAccess(principal, row.enforcementCase.courtCode);
    return toMeasure(row);
  }

  @Query(() => [Measure], {
    description:
      "Measures in force or queued whose last day falls within the next `withinDays` days " +
      "(Henan High Court supervision opinion, item 13), soonest first.",
  })
  async measuresExpiring(
    @Arg("withinDays", () => Int) withinDays: number,
    @Ctx() ctx: HubContext,
    @Arg("courtCode", () => String, { nullable: true, description: "supervisors: one court; default the caller's" }) courtCode?: string,
  ) {
    if (withinDays < 0 || withinDays > 3660) throw invalidField("withinDays", "must be between 0 and 3660");
    const courts = courtScope(ctx, courtCode);
    const today = todayInChina(ctx.hub.clock());
    const rows = await ctx.hub.prisma.measure.findMany({
      where: {
        status: { in: [...HELD_AT_AGENCY] },
        // A deduction is done once and has no period to expire.
        kind: { not: "DEDUCT" },
        expiresOn: { lte: new Date(`${addDays(today, withinDays)}T00:00:00Z`) },
        enforcementCase: courts,
      },
      orderBy: [{ expiresOn: "asc" }, { id: "asc" }],
      take: 500,
    });
    return rows.map(toMeasure);
  }

  @Query(() => [Measure], {
    description:
      "Orders the agency has not answered by their deadline (UNCONFIRMED): perhaps in force, perhaps not; the hub keeps " +
      "asking the agency and records its late answer, until HUB_UNCONFIRMED_GIVE_UP_DAYS after the deadline, when it stops and " +
      "flags the measure (needsAttentionAt) for a supervisor. Oldest first.",
  })
  async measuresUnconfirmed(
    @Ctx() ctx: HubContext,
    @Arg("courtCode", () => String, { nullable: true, description: "supervisors: one court; default the caller's" }) courtCode?: string,
    @Arg("needsAttention", () => Boolean, { nullable: true, description: "true: only those no longer looked up" }) needsAttention?: boolean,
  ) {
    const courts = courtScope(ctx, courtCode);
    const rows = await ctx.hub.prisma.measure.findMany({
      where: {
        status: MEASURE_TRANSITIONS.MISS_DEADLINE.to,
        enforcementCase: courts,
        ...(needsAttention !== undefined && needsAttention !== null && { needsAttentionAt: needsAttention ? { not: null } : null }),
      },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: 500,
    });
    return rows.map(toMeasure);
  }

  @Mutation(() => MeasureOrder, {
    description:
      "控: order a freeze, seal, seizure or deduction. Refused before anything is sent without a collegial-panel decision, " +
      "beyond the maximum period, or when it would clearly exceed the claim (over-seizure).",
  })
  async orderMeasure(@Arg("input", () => MeasureOrderInput) input: MeasureOrderInput, @Ctx() ctx: HubContext) {
    const { measureId, created } = await ctx.hub.measures.order(ctx.caller, {
      ...input,
      asset: input.asset ? { ...input.asset, agency: input.asset.agency as AgencyKind } : undefined,
      channel: input.channel ?? undefined,
    });
    return { measure: toMeasure(await ctx.hub.prisma.measure.findUniqueOrThrow({ where: { id: measureId } })), created };
  }

  @Mutation(() => Measure, { description: "解除. Safe to repeat." })
  async releaseMeasure(@Arg("input", () => MeasureChangeInput) input: MeasureChangeInput, @Ctx() ctx: HubContext) {
    const id = await ctx.hub.measures.release(ctx.caller, input);
    return toMeasure(await ctx.hub.prisma.measure.findUniqueOrThrow({ where: { id } }));
  }

  @Mutation(() => Measure, { description: "续行: before expiry, for at most the same maximum period." })
  async renewMeasure(@Arg("input", () => MeasureRenewalInput) input: MeasureRenewalInput, @Ctx() ctx: HubContext) {
    const id = await ctx.hub.measures.renew(ctx.caller, input);
    return toMeasure(await ctx.hub.prisma.measure.findUniqueOrThrow({ where: { id } }));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "For a freeze (冻结): yuan it still holds, its value less the deductions (划拨) carried out from it; null for other kinds",
  })
  async frozenAmount(@Root() measure: Measure, @Ctx() ctx: HubContext): Promise<string | null> {
    if (measure.kind !== "FREEZE") return null;
    const deducted = await ctx.hub.prisma.measure.aggregate({
      _sum: { value: true },
      where: { deductsMeasureId: measure.id, status: "EFFECTIVE" },
    });
    if (!deducted._sum.value) return measure.value;
    const [value, less] = [parseYuan(measure.value), parseYuan(deducted._sum.value.toFixed(2))];
    return value.ok && less.ok ? formatYuan(value.cents - less.cents) : null;
  }

  @Subscription(() => MeasureUpdate, {
    description: "Every change to the case's measures, and expiry warnings 30, 7 and 1 days ahead.",
    subscribe: async ({ args, context }) => {
      const ctx = context as HubContext;
      const enforcementCase = await loadVisibleCase(ctx, args.caseNumber as string);
      // Routed by case (HubEvents publishes each event under its case id): only this case's events arrive.
      return ctx.hub.events.pubSub.subscribe("MEASURE", enforcementCase.id);
    },
  })
  measureUpdates(@Root() event: MeasureEvent, @Arg("caseNumber", () => String) _caseNumber: string): MeasureUpdate {
    return event;
  }
}
