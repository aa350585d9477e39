/** What every resolver receives: who is calling, the hub's services, per-request batch loaders. */
import type { SupervisionService } from "../capabilities/supervision/supervisionService.js";
import type { Sm2PublicKey } from "../gateway/signing/sm2.js";
import DataLoader from "dataloader";
import type { Caller } from "../gateway/auth/access.js";
import type { CaseRegistry } from "../capabilities/cases/caseRegistry.js";
import { DEBTOR_SEALED } from "../capabilities/cases/caseAccess.js";
import { dataCipher } from "../gateway/persistence/dataCipher.js";
import type { CaseResumption } from "../capabilities/cases/caseResumption.js";
import type { PreservationCarryOver } from "../capabilities/cases/preservationCarryOver.js";
import type { CaseSteps } from "../capabilities/cases/caseSteps.js";
import type { CaseClaims } from "../capabilities/cases/caseClaim.js";
import type { CourtDirectory } from "../directory/courtDirectory.js";
import type { DelegationDeadlineWatch } from "../capabilities/delegation/deadlineWatch.js";
import type { DelegationService } from "../capabilities/delegation/delegationService.js";
import type { DeadlinePolicy } from "../domain/delegation/deadlines.js";
import type { HubEvents } from "../gateway/events/hubEvents.js";
import type { InquiryService } from "../capabilities/inquiry/inquiryService.js";
import type { MeasureService } from "../capabilities/measures/measureService.js";
import type { PoliceAssistanceService } from "../capabilities/assistance/policeAssistanceService.js";
import type { LiveFeed } from "../capabilities/sanctions/delivery/liveFeed.js";
import type { PullFeed } from "../capabilities/sanctions/delivery/pullFeed.js";
import type { PartnerActivation } from "../capabilities/sanctions/partners/partnerActivation.js";
import type { PartnerRegistry } from "../capabilities/sanctions/partners/partnerRegistry.js";
import type { SanctionService } from "../capabilities/sanctions/sanctionService.js";
import type { PrismaClient } from "../gateway/persistence/generated/client.js";
import type { AgencyRequest, Debtor, Prisma } from "../gateway/persistence/generated/client.js";
import type { Sql } from "../gateway/persistence/database.js";
import type { AgencyRoutes } from "../gateway/routing/agencyRoutes.js";
import type { AgencyConnector, AgencyKind } from "../connectors/connector.js";

export interface HubServices {
  prisma: PrismaClient;
  sql: Sql;
  cases: CaseRegistry;
  caseSteps: CaseSteps;
  caseResumption: CaseResumption;
  caseClaims: CaseClaims;
  preservationCarryOver: PreservationCarryOver;
  inquiries: InquiryService;
  measures: MeasureService;
  delegation: DelegationService;
  delegationWatch: DelegationDeadlineWatch;
  delegationDeadlines: DeadlinePolicy;
  directory: CourtDirectory;
  policeAssistance: PoliceAssistanceService;
  sanctions: SanctionService;
  partners: PartnerRegistry;
  feed: PullFeed;
  liveFeed: LiveFeed;
  partnerActivation: PartnerActivation;
  /** The hub's SM2 public key (PEM) for push partners. */
  signingKeyPem: string;
  /** The same key with its signer ID: what the audit trail's checkpoints are checked with (gateway/audit/auditHead.ts). */
  signingKey: Sm2PublicKey;
  events: HubEvents;
  /** The hub's clock; injected so tests can move time (expiry, lapse) without sleeping. */
  clock: () => Date;
  routes: AgencyRoutes;
  connectors: Record<AgencyKind, AgencyConnector>;
  supervision: SupervisionService;
}

/** A sighting with its asset and the asset's history, as toAssetsSeen (common/mappers.ts) reads it. */
export const SIGHTING_WITH_ASSET = {
  asset: { include: { sightings: { orderBy: [{ seenAt: "asc" as const }, { id: "asc" as const }] } } },
} satisfies Prisma.AssetSightingInclude;
export type SightingWithAsset = Prisma.AssetSightingGetPayload<{ include: typeof SIGHTING_WITH_ASSET }>;

export interface Loaders {
  debtorsByCase: DataLoader<string, Debtor[]>;
  partsByInquiry: DataLoader<string, AgencyRequest[]>;
  /** What each inquiry part found, as it found it. */
  sightingsByPart: DataLoader<string, SightingWithAsset[]>;
}

export interface HubContext {
  caller: Caller;
  hub: HubServices;
  loaders: Loaders;
}

function groupBy<T>(rows: T[], keys: readonly string[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key)!);
}

export function createLoaders(prisma: PrismaClient): Loaders {
  return {
    debtorsByCase: new DataLoader(async (ids) =>
      groupBy(
        (await prisma.debtor.findMany({ where: { caseId: { in: [...ids] } } }))
          .map((debtor) => dataCipher().openFields(debtor, DEBTOR_SEALED))
          .sort((a, b) => a.idNumber.localeCompare(b.idNumber)),
        ids,
        (d) => d.caseId,
      ),
    ),
    partsByInquiry: new DataLoader(async (ids) =>
      groupBy(
        await prisma.agencyRequest.findMany({ where: { inquiryId: { in: [...ids] } }, orderBy: { agencyKind: "asc" } }),
        ids,
        (r) => r.inquiryId!,
      ),
    ),
    sightingsByPart: new DataLoader(async (ids) =>
      groupBy(
        await prisma.assetSighting.findMany({
          where: { agencyRequestId: { in: [...ids] } },
          include: SIGHTING_WITH_ASSET,
          orderBy: { identifier: "asc" },
        }),
        ids,
        (s) => s.agencyRequestId!,
      ),
    ),
  };
}
