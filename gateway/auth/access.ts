/**
 * Access rules, per service as in X-Road: each resolver states which roles
 * may call it, and case data is visible only to the officers of the court that
 * owns the case and to the supervisors of the courts above it. An agency, an
 * operator or the hub's administrator never sees a court's case, whatever org
 * its token names.
 */
import { HubError } from "../errors.js";
import { CASE_READERS, type Principal, type Role } from "./principal.js";

export interface Caller {
  principal?: Principal;
  /** Why the presented token was refused, reported when a resolver needs a principal. */
  authError?: HubError;
}

/** The caller holds one of `roles`; without a list, one of the roles that read case data. */
export function requireRole(caller: Caller, ...roles: Role[]): Principal {
  if (!caller.principal) {
    throw caller.authError ?? new HubError("UNAUTHENTICATED", "a bearer token is required", { reason: "TOKEN_MISSING" });
  }
  const principal = caller.principal;
  const allowed = roles.length > 0 ? roles : CASE_READERS;
  if (!principal.roles.some((role) => allowed.includes(role))) {
    throw new HubError("FORBIDDEN", `requires one of the roles ${allowed.join(", ")}`, { requiredRoles: [...allowed] });
  }
  return principal;
}

export function canSeeCourt(principal: Principal, courtCode: string): boolean {
  const officerOfCourt = principal.org === courtCode && (principal.roles.includes("CASE_OFFICER") || principal.roles.includes("JUDGE"));
  return officerOfCourt || (principal.roles.includes("SUPERVISOR") && principal.supervises?.has(courtCode) === true);
}

export function assertCourtAccess(principal: Principal, courtCode: string): void {
  if (!canSeeCourt(principal, courtCode)) {
    throw new HubError("FORBIDDEN", `case belongs to court ${courtCode}; ${principal.org} may not see or act on it`, {
      reason: "OTHER_COURTS_CASE",
    });
  }
}
