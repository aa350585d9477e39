import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { dataCipher } from "../../gateway/persistence/dataCipher.js";
import { assertCourtAccess, requireRole } from "../../gateway/auth/access.js";
import { HubError } from "../../gateway/errors.js";
import type { PoliceAssistanceEvent } from "../../gateway/events/hubEvents.js";
import type { EnforcementCase as CaseRow, Prisma, PoliceAssistance as AssistanceRow } from "../../gateway/persistence/generated/client.js";
import type { ChannelName } from "../../gateway/routing/agencyRoutes.js";
import type { HubContext } from "../context.js";
import { afterCursor, pageSize, toConnection } from "../common/pagination.js";
import { EnforcementCase } from "../cases/caseTypes.js";
import {
  PoliceAssistance,
  PoliceAssistanceConnection,
  PoliceAssistanceInput,
  PoliceAssistanceRequest,
  PoliceAssistanceUpdate,
} from "./policeAssistanceTypes.js";
import { loadVisibleCase } from "../cases/visibleCase.js";

const WITH_DEBTOR = { debtor: { select: { idNumber: true } } } satisfies Prisma.PoliceAssistanceInclude;

function toPoliceAssistance(row: AssistanceRow & { debtor: { idNumber: string } }) {
  const day = (date: Date | null) => date?.toISOString().slice(0, 10) ?? null;
  return {
    ...row,
    debtorIdNumber: dataCipher().open(row.debtor.idNumber),
    restrictedFrom: day(row.restrictedFrom),
    restrictedUntil: day(row.restrictedUntil),
    liftsAssistanceId: row.liftsId,
    decision: row.decision as unknown as PoliceAssistance["decision"],
    result: row.result && row.resultAt ? { ...(row.result as object), at: row.resultAt } : null,
  };
}

@Resolver(() => PoliceAssistance)
export class PoliceAssistanceResolver {
  @Query(() => PoliceAssistance)
  async policeAssistance(@Arg("id", () => ID) id: string, @Ctx() ctx: HubContext) {
    const principal = requireRole(ctx.caller);
    const row = /^[0-9a-f-]{36}$/i.test(id)
      ? await ctx.hub.prisma.policeAssistance.findUnique({
          where: { id },
          include: { ...WITH_DEBTOR, enforcementCase: { select: { courtCode: true } } },
        })
      : null;
    if (!row) throw new HubError("ASSISTANCE_NOT_FOUND", `no police assistance ${id}`, { field: "id" });
    assertCourtAccess(principal, row.enforcementCase.courtCode);
    return toPoliceAssistance(row);
  }

  @Mutation(() => PoliceAssistanceRequest, {
    description:
      "公安协助 (Henan enforcement decision (2020)): ask the police to locate a debtor, " +
      "take them under temporary control, seize their vehicle, restrict their exit or lift a restriction. " +
      "Refused before anything is sent without the decision the kind needs. " +
      "The police accept at once; the result arrives later (policeAssistanceUpdates).",
  })
  async requestPoliceAssistance(@Arg("input", () => PoliceAssistanceInput) input: PoliceAssistanceInput, @Ctx() ctx: HubContext) {
    const { assistanceId, created } = await ctx.hub.policeAssistance.request(ctx.caller, {
      ...input,
      channel: (input.channel ?? undefined) as ChannelName | undefined,
    });
    const row = await ctx.hub.prisma.policeAssistance.findUniqueOrThrow({ where: { id: assistanceId }, include: WITH_DEBTOR });
    return { assistance: toPoliceAssistance(row), created };
  }

  @Subscription(() => PoliceAssistanceUpdate, {
    description: "Every change to the case's requests for police assistance: accepted, refused, done, unsuccessful, lifted.",
    subscribe: async ({ args, context }) => {
      const ctx = context as HubContext;
      const enforcementCase = await loadVisibleCase(ctx, args.caseNumber as string);
      return ctx.hub.events.pubSub.subscribe("POLICE_ASSISTANCE", enforcementCase.id);
    },
  })
  policeAssistanceUpdates(
    @Root() event: PoliceAssistanceEvent,
    @Arg("caseNumber", () => String) _caseNumber: string,
  ): PoliceAssistanceUpdate {
    return event;
  }
}

@Resolver(() => EnforcementCase)
export class CasePoliceAssistanceResolver {
  @FieldResolver(() => PoliceAssistanceConnection, { description: "公安协助: the case's requests for police assistance, oldest first." })
  async policeAssistance(
    @Root() root: CaseRow,
    @Ctx() ctx: HubContext,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const size = pageSize(first);
    const rows = await ctx.hub.prisma.policeAssistance.findMany({
      where: { caseId: root.id, ...afterCursor(after) },
      include: WITH_DEBTOR,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: size + 1,
    });
    return toConnection(rows.map(toPoliceAssistance), size);
  }
}
