import { Ctx, Field, ObjectType, Query, Resolver } from "type-graphql";
import { requireRole } from "../../gateway/auth/access.js";
import { CASE_READERS } from "../../gateway/auth/principal.js";
import type { AgencyKind } from "../../connectors/connector.js";
import type { HubContext } from "../context.js";
import { AgencyKindEnum } from "../common/enums.js";

@ObjectType({ description: "An agency kind this hub is connected to, and how." })
class AgencyInfo {
  @Field(() => AgencyKindEnum) kind!: AgencyKindEnum;
  @Field(() => String, { description: "the wire protocol its connector speaks" }) protocol!: string;
  @Field(() => Boolean, { description: "served on the national channel (总对总)" }) national!: boolean;
  @Field(() => [String], { description: "division-code prefixes served on the local channel (点对点)" }) localPrefixes!: string[];
}

@Resolver()
export class AgencyResolver {
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
