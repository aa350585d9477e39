/**
 * The partner registry: hub administrators register partners; supervisors see each partner's
 * lag (the oldest change it has not acknowledged, and how many are waiting), its dead letters,
 * and replay them. A push partner registered when entries already exist gets a snapshot: its
 * cursors start at the end of the log, taken under the change log's lock so that no change made
 * meanwhile is missed, and delivery first sends the latest change of every entry in force on its
 * lists as of that point (delivery/deliveryStore.ts); then it follows changes like any partner.
 * A partner that changes to push from pull starts at the end of the log without a snapshot.
 * Registering a known partner again updates its profile but leaves it as active or inactive as
 * it was: only reactivatePartner brings a deactivated partner back (partnerActivation.ts).
 */
import { requireRole, type Caller } from "../../../gateway/auth/access.js";
import { dataCipher } from "../../../gateway/persistence/dataCipher.js";
import { appendAudit } from "../../../gateway/audit/auditEvent.js";
import { DeliveryStore, type DeadLetter } from "../delivery/deliveryStore.js";
import { HubError } from "../../../gateway/errors.js";
import { endpointRefusal, type OutboundPolicy } from "../../../gateway/outbound/outboundPolicy.js";
import type { Sql } from "../../../gateway/persistence/database.js";
import { SANCTION_LOG_LOCK, signalPartnerChange } from "../sanctionStore.js";
import {
  checkPartner,
  openPartner,
  PARTNER_COLUMNS,
  REGISTERED_PARTNER_COLUMNS,
  type RegisteredPartner,
  type SanctionPartner,
} from "./sanctionPartner.js";

export interface PartnerLag {
  partner: RegisteredPartner;
  /** Changes not yet acknowledged (push: waiting, in flight or dead; pull: after the acknowledged cursor). */
  backlog: number;
  dead: number;
  /** When the oldest change not yet acknowledged was made; null when the partner is up to date. */
  oldestUnacknowledged: Date | null;
  ackedSeq: string | null;
}

export class PartnerRegistry {
  private readonly deliveries: DeliveryStore;

  /** `deps.outbound`: where push endpoints may be (gateway/outbound/outboundPolicy.ts). */
  constructor(private readonly deps: { sql: Sql; outbound: OutboundPolicy }) {
    this.deliveries = new DeliveryStore(deps.sql);
  }

  /** Registers a partner, or updates its profile and endpoint when the code is known. */
  async register(caller: Caller, input: SanctionPartner): Promise<{ created: boolean; snapshot: number; partner: RegisteredPartner }> {
    const principal = requireRole(caller, "HUB_ADMIN");
    const partner = checkPartner(input);
    const refused = partner.endpoint === null ? undefined : endpointRefusal(partner.endpoint, this.deps.outbound);
    if (refused) {
      throw new HubError("BAD_USER_INPUT", `endpoint: ${refused.reason}`, {
        field: "endpoint",
        rule: refused.rule,
        reason: refused.reason,
      });
    }
    const outcome = await this.deps.sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock($1)`, [SANCTION_LOG_LOCK]);
      const [row] = await tx.query<{ created: boolean; active: boolean; inactiveReason: string | null }>(
        `INSERT INTO sanction_partner (code, name, lists, fields, mode, endpoint, signing, secret, public_key, acked_seq, signer_id)
         VALUES ($1, $2, $3::text[], $4::text[], $5, $6, $7, $8, $9, 0, $10)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, lists = EXCLUDED.lists, fields = EXCLUDED.fields, mode = EXCLUDED.mode,
                                          endpoint = EXCLUDED.endpoint, signing = EXCLUDED.signing,
                                            secret = EXCLUDED.secret, public_key = EXCLUDED.public_key, signer_id = EXCLUDED.signer_id
         RETURNING (xmax = 0) AS created, active, inactive_reason AS "inactiveReason"`,
        [
          partner.code,
          partner.name,
          partner.lists,
          partner.fields,
          partner.mode,
          partner.endpoint,
          partner.signing,
          partner.secret === null ? null : dataCipher().seal(partner.secret),
          partner.publicKey,
          partner.signerId,
        ],
      );
      let snapshot = 0;
      if (partner.mode === "PUSH") {
        if (row.created) {
          const [entries] = await tx.query<{ count: number }>(
            `SELECT count(*)::int AS count FROM sanction_entry WHERE status = 'LISTED' AND list::text = ANY ($1::text[])`,
            [partner.lists],
          );
          snapshot = entries.count;
        }
        await DeliveryStore.open(tx, partner.code, snapshot > 0);
      }
      await appendAudit(tx, {
        actorOrg: principal.org,
        actorOfficer: principal.officer,
        action: row.created ? "SANCTION_PARTNER_REGISTERED" : "SANCTION_PARTNER_UPDATED",
        subjectId: partner.code,
        detail: {
          lists: partner.lists,
          fields: partner.fields,
          mode: partner.mode,
          endpoint: partner.endpoint,
          signing: partner.signing,
          publicKey: partner.publicKey,
          signerId: partner.signerId,
          snapshot,
          active: row.active,
        },
      });
      await signalPartnerChange(tx, partner.code);
      return { created: row.created, snapshot, partner: { ...partner, active: row.active, inactiveReason: row.inactiveReason } };
    });
    return outcome;
  }

  async find(code: string): Promise<SanctionPartner | undefined> {
    const [partner] = await this.deps.sql.query<SanctionPartner>(`SELECT ${PARTNER_COLUMNS} FROM sanction_partner WHERE code = $1`, [code]);
    return partner && openPartner(partner);
  }

  async lag(caller: Caller): Promise<PartnerLag[]> {
    requireRole(caller, "SUPERVISOR", "OPERATOR", "HUB_ADMIN");
    // Inactive partners too: their backlog grows while they are out, and is what they will catch up on.
    const partners = await this.deps.sql.query<RegisteredPartner & { acked_seq: string }>(
      `SELECT ${REGISTERED_PARTNER_COLUMNS}, acked_seq::text AS acked_seq FROM sanction_partner ORDER BY code`,
    );
    const push = new Map(
      (await this.deliveries.backlog(partners.filter((partner) => partner.mode === "PUSH"))).map((row) => [row.partner_code, row]),
    );
    // Every pull partner's changes past its acknowledgement in one grouped query: /metrics reads this on every scrape.
    const pull = new Map(
      (
        await this.deps.sql.query<{ code: string; backlog: number; oldest: Date | null }>(
          `SELECT p.code, count(c.seq)::int AS backlog, min(c.created_at) AS oldest
             FROM sanction_partner p
             LEFT JOIN sanction_change c ON c.seq > p.acked_seq AND c.list::text = ANY (p.lists)
            WHERE p.mode <> 'PUSH'
            GROUP BY p.code`,
        )
      ).map((row) => [row.code, row]),
    );
    return partners.map(({ acked_seq, ...partner }): PartnerLag => {
      if (partner.mode === "PUSH") {
        const row = push.get(partner.code);
        return { partner, backlog: row?.backlog ?? 0, dead: row?.dead ?? 0, oldestUnacknowledged: row?.oldest ?? null, ackedSeq: null };
      }
      const row = pull.get(partner.code);
      return { partner, backlog: row?.backlog ?? 0, dead: 0, oldestUnacknowledged: row?.oldest ?? null, ackedSeq: acked_seq };
    });
  }

  deadLetters(caller: Caller, partner?: string): Promise<DeadLetter[]> {
    requireRole(caller, "SUPERVISOR", "OPERATOR", "HUB_ADMIN");
    return this.deliveries.deadLetters(partner);
  }

  async replay(caller: Caller, batchId: string): Promise<number> {
    const principal = requireRole(caller, "SUPERVISOR", "HUB_ADMIN");
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(batchId)) {
      throw new HubError("DEAD_LETTER_NOT_FOUND", `no dead batch ${batchId}`, { field: "batchId" });
    }
    const replayed = await this.deliveries.replay(batchId, principal);
    if (replayed === 0) throw new HubError("DEAD_LETTER_NOT_FOUND", `no dead batch ${batchId}`, { field: "batchId" });
    return replayed;
  }
}
