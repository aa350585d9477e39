/**
 * Access rules, per service as in X-Road: each resolver states which roles
 * may call it, and case data is visible only to the court that owns the case
 * and to supervisors.
 */
import { HubError } from "../errors.js";
import type { Principal, Role } from "./principal.js";

export interface Caller {
  principal?: Principal;
  /** Why the presented token was refused, reported when a resolver needs a principal. */
  authError?: HubError;
}

export function requireRole(caller: Caller, ...roles: Role[]): Principal {
  if (!caller.principal) {
    throw caller.authError ?? new HubError("UNAUTHENTICATED", "a bearer token is required", { reason: "TOKEN_MISSING" });
  }
  const principal = caller.principal;
  if (roles.length > 0 && !principal.roles.some((role) => roles.includes(role))) {
    throw new HubError("FORBIDDEN", `requires one of the roles ${roles.join(", ")}`, { requiredRoles: roles });
  }
  return principal;
}

export function canSeeCourt(principal: Principal, courtCode: string): boolean {
  return principal.org === courtCode || principal.roles.includes("SUPERVISOR") || principal.roles.includes("HUB_ADMIN");
}

export function assertCourtAccess(principal: Principal, courtCode: string): void {
  if (!canSeeCourt(principal, courtCode)) {
    throw new HubError("FORBIDDEN", `case belongs to court ${courtCode}; ${principal.org} may not see or act on it`, {
      reason: "OTHER_COURTS_CASE",
    });
  }
}
