/** From stored rows to the GraphQL shapes; the only place that knows both. */
import { dataCipher } from "../../gateway/persistence/dataCipher.js";
import type {
  Asset as AssetRow,
  AssetSighting as SightingRow,
  AgencyRequest,
  Debtor as DebtorRow,
  EnforcementCase as CaseRow,
} from "../../gateway/persistence/generated/client.js";
import type { AssetFinding, InquiryFindings } from "../../connectors/connector.js";
import { openFindings } from "../../gateway/dispatch/agencyRequestStore.js";

export const toCase = (row: CaseRow) => ({ ...row, claimAmount: row.claimAmount.toFixed(2) });

export const toDebtor = (row: DebtorRow) => ({ ...row, birthDate: row.birthDate ? row.birthDate.toISOString().slice(0, 10) : null });

// The payload stays sealed: no field shows it, and a sealed value never leaves the hub.
export const toPart = (row: AgencyRequest) => ({
  ...dataCipher().openFields(row, ["rawReply"]),
  findings: row.findings && openFindings(row.findings as unknown as InquiryFindings),
  agency: row.agencyKind,
  endpoint: row.endpointKey,
  error: row.lastError,
});

type Seen = Pick<AssetRow, "identifier" | "description" | "estimatedValue" | "details">;

const encumbrancesOf = (seen: Seen) => (seen.details as unknown as AssetFinding).encumbrances ?? [];

export const toSighting = (row: SightingRow) => ({
  ...row,
  inquiryPartId: row.agencyRequestId,
  estimatedValue: row.estimatedValue ? row.estimatedValue.toFixed(2) : null,
  encumbrances: encumbrancesOf(row),
});

/**
 * An asset with its sightings; `seen` (default: its latest state) is the sighting whose state it shows, so an
 * inquiry part shows what that agency said then, not what a later inquiry found.
 */
export function toAsset(row: AssetRow & { sightings: SightingRow[] }, seen: Seen = row) {
  return {
    ...(seen.details as unknown as AssetFinding),
    id: row.id,
    type: row.type,
    agency: row.agencyKind,
    identifier: seen.identifier,
    description: seen.description,
    estimatedValue: seen.estimatedValue ? seen.estimatedValue.toFixed(2) : null,
    encumbrances: encumbrancesOf(seen),
    foundAt: row.createdAt,
    foundBy: row.foundBy,
    lastSeenAt: row.lastSeenAt,
    sightings: row.sightings.map(toSighting),
  };
}

/** The assets as one inquiry part or delegated task saw them. */
export const toAssetsSeen = (sightings: (SightingRow & { asset: AssetRow & { sightings: SightingRow[] } })[]) =>
  sightings.map((sighting) => toAsset(sighting.asset, sighting));
