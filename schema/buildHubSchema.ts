import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import type { HubPubSub } from "../gateway/events/hubEvents.js";
import { buildSubgraphSchema } from "./buildSubgraphSchema.js";
import { AgencyResolver } from "./resolvers/AgencyResolver.js";
import { AuditResolver } from "./resolvers/AuditResolver.js";
import { CaseResolver } from "./resolvers/CaseResolver.js";
import { InquiryPartResolver, InquiryResolver } from "./resolvers/InquiryResolver.js";
import { InquiryUpdatesResolver } from "./resolvers/InquiryUpdatesResolver.js";
import { MeasureResolver } from "./resolvers/MeasureResolver.js";
import { DelegationResolver, TaskDocumentResolver } from "./resolvers/DelegationResolver.js";
import { entityReferences } from "./resolvers/entityReferences.js";
import { CasePoliceAssistanceResolver, PoliceAssistanceResolver } from "./resolvers/PoliceAssistanceResolver.js";
import { SanctionLiveFeedResolver } from "./resolvers/SanctionLiveFeedResolver.js";
import { SanctionPartnerResolver } from "./resolvers/SanctionPartnerResolver.js";
import { SanctionResolver } from "./resolvers/SanctionResolver.js";
import { DepositAccountAsset, OtherAsset, RealEstateAsset, VehicleAsset } from "./types/assets.js";

export function buildHubSchema(pubSub: HubPubSub): Promise<GraphQLSchema> {
  return buildSubgraphSchema(
    {
      resolvers: [CaseResolver, InquiryResolver, InquiryPartResolver, InquiryUpdatesResolver, AuditResolver, AgencyResolver, MeasureResolver,
        PoliceAssistanceResolver, CasePoliceAssistanceResolver, DelegationResolver, TaskDocumentResolver, SanctionResolver, SanctionPartnerResolver, SanctionLiveFeedResolver],
      orphanedTypes: [RealEstateAsset, VehicleAsset, OtherAsset, DepositAccountAsset],
      pubSub: pubSub as never,
      validate: false,
    },
    entityReferences,
  );
}
