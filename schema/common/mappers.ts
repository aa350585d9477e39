/** From stored rows to the GraphQL shapes; the only place that knows both. */
import type {
  Asset as AssetRow,
  AgencyRequest,
  Debtor as DebtorRow,
  EnforcementCase as CaseRow,
} from "../../gateway/persistence/generated/client.js";
import type { AssetFinding } from "../../connectors/connector.js";

export const toCase = (row: CaseRow) => ({ ...row, claimAmount: row.claimAmount.toFixed(2) });

export const toDebtor = (row: DebtorRow) => ({ ...row, birthDate: row.birthDate ? row.birthDate.toISOString().slice(0, 10) : null });

export const toPart = (row: AgencyRequest) => ({
  ...row,
  agency: row.agencyKind,
  endpoint: row.endpointKey,
  error: row.lastError,
});

export function toAsset(row: AssetRow) {
  const finding = row.details as unknown as AssetFinding;
  return {
    ...finding,
    id: row.id,
    type: row.type,
    agency: row.agencyKind,
    identifier: row.identifier,
    description: row.description,
    estimatedValue: row.estimatedValue ? row.estimatedValue.toFixed(2) : null,
    encumbrances: finding.encumbrances ?? [],
    foundAt: row.createdAt,
    foundBy: row.agencyRequestId ?? row.delegatedTaskId,
  };
}
