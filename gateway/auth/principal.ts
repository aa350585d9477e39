/**
 * Who is calling: carried by the bearer token, checked on every resolver that
 * touches data. A court's officers see only their court's cases; supervisors
 * of the command centre see across courts (Henan High Court supervision opinion, item 21: 每日巡检).
 */
export type Role = "CASE_OFFICER" | "JUDGE" | "SUPERVISOR" | "AGENCY" | "HUB_ADMIN";
export const ROLES: readonly Role[] = ["CASE_OFFICER", "JUDGE", "SUPERVISOR", "AGENCY", "HUB_ADMIN"];

export interface Principal {
  /** A court code such as 豫0225, or an agency code such as CREDIT_PLATFORM. */
  org: string;
  roles: Role[];
  /** The officer acting, recorded in the audit trail. */
  officer: string;
}

export function parseRole(value: string): Role | undefined {
  const normalised = value.trim().toUpperCase().replace(/-/g, "_");
  return (ROLES as readonly string[]).includes(normalised) ? (normalised as Role) : undefined;
}
