/**
 * How another subgraph's reference to a hub entity is resolved (`_entities`),
 * under the same access rules as the hub's own queries: a court gets only its
 * own cases and their debtors, supervisors any.
 */
import { assertCourtAccess, requireRole } from "../gateway/auth/access.js";
import { DEBTOR_SEALED } from "../capabilities/cases/caseAccess.js";
import { dataCipher } from "../gateway/persistence/dataCipher.js";
import { HubError } from "../gateway/errors.js";
import type { ReferenceResolvers } from "./buildSubgraphSchema.js";
import type { HubContext } from "./context.js";
import { loadVisibleCase } from "./cases/visibleCase.js";
import { toCase, toDebtor } from "./common/mappers.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const entityReferences: ReferenceResolvers<HubContext> = {
  async EnforcementCase(reference, ctx) {
    return toCase(await loadVisibleCase(ctx, String(reference.caseNumber)));
  },

  async Debtor(reference, ctx) {
    const principal = requireRole(ctx.caller);
    const id = String(reference.id);
    const row = UUID.test(id)
      ? await ctx.hub.prisma.debtor.findUnique({ where: { id }, include: { enforcementCase: { select: { courtCode: true } } } })
      : null;
    if (!row) throw new HubError("NOT_FOUND", `no debtor ${id}`, { field: "id" });
    const { enforcementCase, ...debtor } = row;
    assertCourtAccess(principal, enforcementCase.courtCode);
    return toDebtor(dataCipher().openFields(debtor, DEBTOR_SEALED));
  },
};
