import { Arg, Resolver, Root, Subscription } from "type-graphql";
import type { ChangeMessage } from "../../capabilities/sanctions/delivery/changeMessage.js";
import type { HubContext } from "../context.js";
import { SanctionChange } from "./sanctionTypes.js";

@Resolver()
export class SanctionLiveFeedResolver {
  @Subscription(() => SanctionChange, {
    name: "sanctionFeed",
    description:
      "Pull partners, live (graphql-ws): the changes after the cursor (default: after the acknowledged one), " +
      "then each new one as it is made; the same items as the sanctionFeed query. " +
      "Acknowledge with acknowledgeSanctionFeed.",
    subscribe: ({ args, context }) => {
      const ctx = context as HubContext;
      return ctx.hub.liveFeed.follow(ctx.caller, (args.after as string | null) ?? undefined);
    },
  })
  sanctionFeedLive(@Root() change: ChangeMessage, @Arg("after", () => String, { nullable: true }) _after?: string): ChangeMessage {
    return change;
  }
}
