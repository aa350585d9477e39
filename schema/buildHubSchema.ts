import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import type { HubPubSub } from "../gateway/events/hubEvents.js";
import { AgencyResolver } from "./resolvers/AgencyResolver.js";
import { AuditResolver } from "./resolvers/AuditResolver.js";
import { CaseResolver } from "./resolvers/CaseResolver.js";
import { InquiryPartResolver, InquiryResolver } from "./resolvers/InquiryResolver.js";
import { InquiryUpdatesResolver } from "./resolvers/InquiryUpdatesResolver.js";
import { MeasureResolver } from "./resolvers/MeasureResolver.js";
import { SanctionPartnerResolver } from "./resolvers/SanctionPartnerResolver.js";
import { SanctionResolver } from "./resolvers/SanctionResolver.js";
import { OtherAsset, RealEstateAsset, VehicleAsset } from "./types/assets.js";

export function buildHubSchema(pubSub: HubPubSub): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [CaseResolver, InquiryResolver, InquiryPartResolver, InquiryUpdatesResolver, AuditResolver, AgencyResolver, MeasureResolver, SanctionResolver, SanctionPartnerResolver],
    orphanedTypes: [RealEstateAsset, VehicleAsset, OtherAsset],
    pubSub: pubSub as never,
    validate: false,
  });
}
