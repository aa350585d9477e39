import { Arg, Ctx, FieldResolver, Resolver, Root, Subscription } from "type-graphql";
import type { InquiryPartEvent } from "../../gateway/events/hubEvents.js";
import type { HubContext } from "../context.js";
import { InquiryPart, InquiryPartUpdate } from "./inquiryTypes.js";
import { loadVisibleCase } from "../cases/visibleCase.js";
import { toPart } from "../common/mappers.js";

@Resolver(() => InquiryPartUpdate)
export class InquiryUpdatesResolver {
  @Subscription(() => InquiryPartUpdate, {
    description: "Every change to any inquiry part of a case, as it happens (graphql-ws).",
    subscribe: async ({ args, context }) => {
      const ctx = context as HubContext;
      const enforcementCase = await loadVisibleCase(ctx, args.caseNumber as string);
      // Routed by case (HubEvents publishes each event under its case id): only this case's events arrive.
      return ctx.hub.events.pubSub.subscribe("INQUIRY_PART", enforcementCase.id);
    },
  })
  inquiryUpdates(@Root() event: InquiryPartEvent, @Arg("caseNumber", () => String) _caseNumber: string): InquiryPartUpdate {
    return { ...event, agency: event.agencyKind as never, status: event.status as never };
  }

  @FieldResolver(() => InquiryPart, { description: "the part's full, current state" })
  async part(@Root() update: InquiryPartUpdate, @Ctx() ctx: HubContext) {
    // A subscription keeps one context, loaders included, for all its events: what an earlier event of this
    // part loaded (no assets while it was SENT) must not stand for what it found by this one.
    ctx.loaders.sightingsByPart.clear(update.partId);
    return toPart(await ctx.hub.prisma.agencyRequest.findUniqueOrThrow({ where: { id: update.partId } }));
  }
}
