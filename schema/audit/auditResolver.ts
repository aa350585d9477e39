import { Arg, Ctx, Int, Query, Resolver } from "type-graphql";
import { verifyAuditChain } from "../../gateway/audit/auditChain.js";
import { onOneSnapshot } from "../../gateway/persistence/sql.js";
import { requireRole } from "../../gateway/auth/access.js";
import type { HubContext } from "../context.js";
import { decodeCursor, pageSize, toConnection } from "../common/pagination.js";
import { AuditEventConnection, AuditVerification } from "./auditTypes.js";
import { loadVisibleCase } from "../cases/visibleCase.js";

@Resolver()
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: "A case's audit trail, oldest first (the case's court and supervisors)." })
  async auditTrail(
    @Arg("caseNumber", () => String) caseNumber: string,
    @Ctx() ctx: HubContext,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const enforcementCase = await loadVisibleCase(ctx, caseNumber);
    const size = pageSize(first);
    const rows = await ctx.hub.prisma.auditEvent.findMany({
      where: { caseId: enforcementCase.id, ...afterAuditCursor(after) },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      take: size + 1,
    });
    const events = rows.map((row) => ({ ...row, id: row.id.toString(), seq: row.seq?.toString() ?? null, createdAt: row.at }));
    return toConnection(events, size);
  }

  @Query(() => AuditVerification, {
    description:
      "Recomputes the SM3 chain from the latest signed checkpoint and names the first row that was tampered with " +
      "(npm run audit:verify also checks it against the witnessed heads).",
  })
  async verifyAuditTrail(@Ctx() ctx: HubContext) {
    requireRole(ctx.caller, "SUPERVISOR", "OPERATOR", "HUB_ADMIN");
    return onOneSnapshot(ctx.hub.sql, (tx) => verifyAuditChain(tx, { publicKey: ctx.hub.signingKey }));
  }
}

function afterAuditCursor(after: string | undefined) {
  if (!after) return {};
  // Audit rows have bigint ids; up to 18 digits always fit one.
  const { createdAt, id } = decodeCursor(after, /^\d{1,18}$/);
  return { OR: [{ at: { gt: createdAt } }, { at: createdAt, id: { gt: BigInt(id) } }] };
}
