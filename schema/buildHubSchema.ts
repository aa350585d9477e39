import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import type { HubPubSub } from "../gateway/events/hubEvents.js";
import { buildSubgraphSchema } from "./buildSubgraphSchema.js";
import { AgencyResolver } from "./agencies/agencyResolver.js";
import { AuditResolver } from "./audit/auditResolver.js";
import { CaseLifecycleResolver } from "./cases/caseLifecycleResolver.js";
import { CaseClaimResolver } from "./cases/caseClaimResolver.js";
import { CaseResolver } from "./cases/caseResolver.js";
import { ConclusionWatchResolver } from "./cases/conclusionWatchResolver.js";
import { CarriedMeasureResolver, PreservationResolver } from "./cases/preservationResolver.js";
import { InquiryPartResolver, InquiryResolver } from "./inquiry/inquiryResolver.js";
import { InquiryUpdatesResolver } from "./inquiry/inquiryUpdatesResolver.js";
import { MeasureResolver } from "./measures/measureResolver.js";
import { DelegationResolver, TaskDocumentResolver } from "./delegation/delegationResolver.js";
import { checkInput, checkUnvalidatedArguments } from "./common/checkedInput.js";
import { entityReferences } from "./entityReferences.js";
import { CasePoliceAssistanceResolver, PoliceAssistanceResolver } from "./assistance/policeAssistanceResolver.js";
import { SanctionLiveFeedResolver } from "./sanctions/sanctionLiveFeedResolver.js";
import { SanctionPartnerResolver } from "./sanctions/sanctionPartnerResolver.js";
import { SanctionResolver } from "./sanctions/sanctionResolver.js";
import { SupervisionResolver } from "./supervision/supervisionResolver.js";
import {
  DepositAccountAsset,
  EquityAsset,
  IncomeSource,
  OtherAsset,
  PaymentAccountAsset,
  ProvidentFundAccountAsset,
  RealEstateAsset,
  SecuritiesAsset,
  VehicleAsset,
} from "./assets/assetTypes.js";

export async function buildHubSchema(pubSub: HubPubSub): Promise<GraphQLSchema> {
  const schema = await buildSubgraphSchema(
    {
      resolvers: [
        CaseResolver,
        CaseLifecycleResolver,
        CaseClaimResolver,
        ConclusionWatchResolver,
        PreservationResolver,
        CarriedMeasureResolver,
        InquiryResolver,
        InquiryPartResolver,
        InquiryUpdatesResolver,
        AuditResolver,
        AgencyResolver,
        MeasureResolver,
        PoliceAssistanceResolver,
        CasePoliceAssistanceResolver,
        DelegationResolver,
        TaskDocumentResolver,
        SanctionResolver,
        SanctionPartnerResolver,
        SanctionLiveFeedResolver,
        SupervisionResolver,
      ],
      orphanedTypes: [
        RealEstateAsset,
        VehicleAsset,
        OtherAsset,
        DepositAccountAsset,
        EquityAsset,
        SecuritiesAsset,
        IncomeSource,
        ProvidentFundAccountAsset,
        PaymentAccountAsset,
      ],
      pubSub: pubSub as never,
      validateFn: checkInput,
    },
    entityReferences,
  );
  return checkUnvalidatedArguments(schema);
}
