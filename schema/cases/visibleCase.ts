import { requireRole } from "../../gateway/auth/access.js";
import { lookUpCaseForCaller } from "../../capabilities/cases/caseAccess.js";
import type { HubContext } from "../context.js";

/** Loads a case the caller may see, by case number; typed errors for the rest. */
export function loadVisibleCase(ctx: HubContext, caseNumber: string) {
  return lookUpCaseForCaller(requireRole(ctx.caller), caseNumber, (number) =>
    ctx.hub.prisma.enforcementCase.findUnique({ where: { caseNumber: number } }),
  );
}
