/**
 * Who is calling: carried by the bearer token, checked on every resolver that
 * touches data. A court's officers see only their court's cases; supervisors see
 * the courts under their own court (Henan High Court supervision opinion, item 21: 每日巡检);
 * operators see the hub's plumbing, never debtor data.
 */
export type Role = "CASE_OFFICER" | "JUDGE" | "SUPERVISOR" | "AGENCY" | "OPERATOR" | "HUB_ADMIN";
export const ROLES: readonly Role[] = ["CASE_OFFICER", "JUDGE", "SUPERVISOR", "AGENCY", "OPERATOR", "HUB_ADMIN"];

/** The roles that read case data, each limited to the courts it may see (gateway/auth/access.ts). */
export const CASE_READERS: readonly Role[] = ["CASE_OFFICER", "JUDGE", "SUPERVISOR"];

export interface Principal {
  /** A court code such as 豫0225, an agency or partner code such as CREDIT_PLATFORM, or the hub's own id. */
  org: string;
  roles: Role[];
  /** The officer acting, recorded in the audit trail. */
  officer: string;
  /** Supervisors: the court codes under the org's court in the hierarchy (itself included). */
  supervises?: ReadonlySet<string>;
  /** When the token expires (ms since the epoch); WebSocket connections close then. */
  expiresAt?: number;
}

export function parseRole(value: string): Role | undefined {
  const normalised = value.trim().toUpperCase().replace(/-/g, "_");
  return (ROLES as readonly string[]).includes(normalised) ? (normalised as Role) : undefined;
}

/** The org of the hub's own operators and administrators (HUB_ID names the hub too). */
export const HUB_ORG = "HUB";
