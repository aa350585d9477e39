import { assertCourtAccess, requireRole } from "../../gateway/auth/access.js";
import type { HubContext } from "../context.js";

/**
 * Which courts' rows a list shows (a Prisma filter on the case): the court asked for, if the caller may see it; else
 * the caller's own, or, for a supervisor, every court under the supervisor's court.
 */
export function courtScope(ctx: HubContext, courtCode: string | undefined) {
  const courts = scopedCourts(ctx, courtCode);
  return courts.length === 1 ? { courtCode: courts[0] } : { courtCode: { in: courts } };
}

/** The courts of courtScope, for a store's SQL. */
export function scopedCourts(ctx: HubContext, courtCode: string | undefined): string[] {
  const principal = requireRole(ctx.caller);
  const court = courtCode ?? (principal.roles.includes("SUPERVISOR") ? undefined : principal.org);
  if (court) assertCourtAccess(principal, court);
  return court ? [court] : [...(principal.supervises ?? [])];
}
