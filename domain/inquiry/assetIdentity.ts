/**
 * When two findings are the same asset. Each registry keeps its own stable key: the certificate or unit number
 * for real estate, the account number for deposits, the VIN for a vehicle (a plate can change with a transfer or
 * a move; the VIN stamped on the frame does not). The hub keys an asset by case, debtor, agency kind and this
 * identity, so three inquiries and a delegated query that find the same flat find one asset. Hub policy, not a
 * statute: no rule in SOURCES says which key a court must use.
 *
 * migration 0011_asset_identity computes the same for existing rows; a change here needs one there.
 */
export interface IdentifiedFinding {
  readonly type: string;
  /** The registry identifier the agency reported it under: certificate number, plate, account number. */
  readonly identifier: string;
  readonly vin?: string;
}

export function assetIdentity(finding: IdentifiedFinding): string {
  const vin = finding.type === "VEHICLE" ? finding.vin?.trim() : undefined;
  return vin ? vin.toUpperCase() : finding.identifier.trim();
}
