/**
 * Supervisors take a partner out of delivery (its systems are being replaced, its agreement is
 * suspended) and bring it back. While inactive it is sent nothing and its feed is refused
 * (PARTNER_INACTIVE), but nothing is lost: a push partner's cursors stay where they were while
 * the log grows, and a pull partner keeps its acknowledged cursor, so on reactivation it catches
 * up from where it acknowledged. Batches already in flight when it is
 * deactivated finish normally. Both steps are audited; asking for the state a partner is already
 * in is PARTNER_ACTIVATION_UNCHANGED. Registering the partner again does not reactivate it.
 */
import { requireRole, type Caller } from "../../../gateway/auth/access.js";
import { appendAudit } from "../../../gateway/audit/auditEvent.js";
import { HubError, invalidField } from "../../../gateway/errors.js";
import type { Sql } from "../../../gateway/persistence/database.js";
import { signalPartnerChange } from "../sanctionStore.js";
import { REGISTERED_PARTNER_COLUMNS, type RegisteredPartner } from "./sanctionPartner.js";

export class PartnerActivation {
  constructor(private readonly deps: { sql: Sql }) {}

  deactivate(caller: Caller, code: string, reason: string): Promise<RegisteredPartner> {
    if (!reason.trim()) throw invalidField("reason", "say why the partner is deactivated");
    return this.set(caller, code, false, reason.trim());
  }

  reactivate(caller: Caller, code: string): Promise<RegisteredPartner> {
    return this.set(caller, code, true, null);
  }

  private async set(caller: Caller, code: string, active: boolean, reason: string | null): Promise<RegisteredPartner> {
    const principal = requireRole(caller, "SUPERVISOR", "HUB_ADMIN");
    const partner = await this.deps.sql.transaction(async (tx) => {
      const [before] = await tx.query<{ active: boolean; inactive_reason: string | null }>(
        `SELECT active, inactive_reason FROM sanction_partner WHERE code = $1 FOR UPDATE`,
        [code],
      );
      if (!before) throw new HubError("PARTNER_NOT_FOUND", `${code} is not a registered list partner`, { partner: code });
      if (before.active === active) {
        throw new HubError("PARTNER_ACTIVATION_UNCHANGED", `${code} is already ${active ? "active" : "inactive"}`, {
          partner: code,
          active,
        });
      }
      const [after] = await tx.query<RegisteredPartner>(
        `UPDATE sanction_partner SET active = $2, inactive_reason = $3 WHERE code = $1 RETURNING ${REGISTERED_PARTNER_COLUMNS}`,
        [code, active, reason],
      );
      await appendAudit(tx, {
        actorOrg: principal.org,
        actorOfficer: principal.officer,
        action: active ? "SANCTION_PARTNER_REACTIVATED" : "SANCTION_PARTNER_DEACTIVATED",
        subjectId: code,
        purpose: reason,
        detail: active ? { inactiveReason: before.inactive_reason } : { reason },
      });
      // Delivery resumes or stops, and the partner's live feeds end or may start again, on every instance.
      await signalPartnerChange(tx, code);
      return after;
    });
    return partner;
  }
}
