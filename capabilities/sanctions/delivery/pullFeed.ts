/**
 * The pull side: a partner that cannot receive POSTs reads the change log through GraphQL by
 * cursor (the change's seq), minimised to its data profile, and acknowledges up to a point; its
 * cursor is where it resumes. Appends commit in seq order (sanctionStore), so reading by cursor
 * never skips a change that commits late. A new partner first reads a snapshot (the entries in force
 * as of `followFrom`, by debtor and debtorSeq), then follows the feed from `followFrom`.
 * Every read and acknowledgement is the partner's own: its token's org names it. A deactivated
 * partner is refused (PARTNER_INACTIVE) and resumes from its acknowledged cursor once reactivated.
 */
import type { PublishedField } from "../../../domain/sanctions/publishedFields.js";
import { requireRole, type Caller } from "../../../gateway/auth/access.js";
import { appendAudit } from "../../../gateway/audit/auditEvent.js";
import { HubError, invalidField } from "../../../gateway/errors.js";
import type { Sql } from "../../../gateway/persistence/database.js";
import { REGISTERED_PARTNER_COLUMNS, type SanctionPartner } from "../partners/sanctionPartner.js";
import { toMessage, type ChangeMessage, type ChangeRow } from "./changeMessage.js";
import { snapshotRows, type SnapshotRow } from "./listSnapshot.js";

export interface FeedPage {
  changes: ChangeMessage[];
  /** Pass as `after` for the next page; acknowledge it once applied. */
  endCursor: string | null;
  hasMore: boolean;
}

export interface SnapshotPage extends FeedPage {
  /** The point of the log the snapshot shows, the same on every page: follow the feed from here. */
  followFrom: string;
}

const SEQ = /^\d{1,18}$/;
const MAX_PAGE = 1000;

export class PullFeed {
  constructor(private readonly deps: { sql: Sql }) {}

  async changes(caller: Caller, after: string | undefined, first: number): Promise<FeedPage> {
    const partner = await this.partnerOf(caller);
    return this.read(partner, after ?? partner.acked_seq, pageSize(first));
  }

  /** Up to `size` changes of the partner's lists after `from`, cut to its profile (the live feed reads the same). */
  async read(partner: SanctionPartner, from: string, size: number): Promise<FeedPage> {
    if (!SEQ.test(from)) throw invalidField("after", "not a cursor this hub issued");
    const rows = await this.deps.sql.query<ChangeRow>(
      `SELECT seq::text AS seq, debtor_seq, operation, record FROM sanction_change
        WHERE seq > $1::bigint AND list::text = ANY ($2::text[]) ORDER BY sanction_change.seq LIMIT $3`,
      [from, partner.lists, size + 1],
    );
    return page(rows, size, partner, (row) => row.seq);
  }

  /**
   * The entries in force as of one point of the log (`followFrom`, fixed by the first page and carried in
   * the cursor), each by its latest change up to that point: every page shows the same moment, and the feed
   * from `followFrom` holds exactly what came after, so no debtor's changes arrive older after newer.
   */
  async snapshot(caller: Caller, after: string | undefined, first: number): Promise<SnapshotPage> {
    const partner = await this.partnerOf(caller);
    const size = pageSize(first);
    // Debtors in the order of their lookup digests: the numbers are sealed, and the cursor shows none.
    let position: { cut: string; idDigest: string; debtorSeq: number };
    if (after === undefined) {
      // Appends commit in seq order (sanctionStore), so every change up to the highest visible one is visible too.
      const [{ cut }] = await this.deps.sql.query<{ cut: string }>(`SELECT coalesce(max(seq), 0)::text AS cut FROM sanction_change`);
      position = { cut, idDigest: "", debtorSeq: 0 };
    } else {
      const [cut, idDigest, debtorSeq, ...rest] = Buffer.from(after, "base64url").toString().split("|");
      if (!SEQ.test(cut ?? "") || !idDigest || rest.length > 0 || !/^\d+$/.test(debtorSeq ?? ""))
        throw invalidField("after", "not a cursor this hub issued");
      position = { cut, idDigest, debtorSeq: Number(debtorSeq) };
    }
    const rows = await snapshotRows(this.deps.sql, position.cut, partner.lists, position, size + 1);
    const cursorOf = (row: SnapshotRow) => Buffer.from(`${position.cut}|${row.id_digest}|${row.debtor_seq}`).toString("base64url");
    return { ...page(rows, size, partner, cursorOf), followFrom: position.cut };
  }

  /** Moves the partner's cursor forward to `upTo` (never back), which must be a change the hub has made. */
  async acknowledge(caller: Caller, upTo: string): Promise<string> {
    const partner = await this.partnerOf(caller);
    if (!SEQ.test(upTo)) throw invalidField("upTo", "not a cursor this hub issued");
    return this.deps.sql.transaction(async (tx) => {
      const [row] = await tx.query<{ acked_seq: string; before: string }>(
        `UPDATE sanction_partner p SET acked_seq = greatest(p.acked_seq, $2::bigint)
          FROM (SELECT acked_seq AS before FROM sanction_partner WHERE code = $1 FOR UPDATE) old
         WHERE p.code = $1 AND $2::bigint <= (SELECT coalesce(max(seq), 0) FROM sanction_change)
         RETURNING p.acked_seq::text AS acked_seq, old.before::text AS before`,
        [partner.code, upTo],
      );
      if (!row) throw invalidField("upTo", "is beyond the last change the hub has made");
      if (row.acked_seq !== row.before) {
        await appendAudit(tx, {
          actorOrg: partner.code,
          action: "SANCTION_FEED_ACKNOWLEDGED",
          subjectId: partner.code,
          detail: { from: row.before, to: row.acked_seq },
        });
      }
      return row.acked_seq;
    });
  }

  /** The pull partner the caller's token names, if it is registered, reads the feed and is active. */
  async partnerOf(caller: Caller): Promise<SanctionPartner & { acked_seq: string }> {
    const principal = requireRole(caller, "AGENCY");
    const [partner] = await this.deps.sql.query<SanctionPartner & { acked_seq: string; active: boolean; inactiveReason: string | null }>(
      `SELECT ${REGISTERED_PARTNER_COLUMNS}, acked_seq::text AS acked_seq FROM sanction_partner WHERE code = $1`,
      [principal.org],
    );
    if (!partner) throw new HubError("PARTNER_NOT_FOUND", `${principal.org} is not a registered list partner`, { partner: principal.org });
    if (!partner.active)
      throw new HubError("PARTNER_INACTIVE", `${partner.code} was deactivated: ${partner.inactiveReason}`, {
        partner: partner.code,
        inactiveReason: partner.inactiveReason,
      });
    if (partner.mode !== "PULL")
      throw new HubError("FORBIDDEN", `${partner.code} receives the lists by push, not from the feed`, { reason: "PUSH_PARTNER" });
    return partner;
  }
}

function pageSize(first: number): number {
  if (!Number.isSafeInteger(first) || first < 1 || first > MAX_PAGE) throw invalidField("first", `must be between 1 and ${MAX_PAGE}`);
  return first;
}

function page<R extends ChangeRow>(rows: R[], size: number, partner: SanctionPartner, cursorOf: (row: R) => string): FeedPage {
  const shown = rows.slice(0, size);
  return {
    changes: shown.map((row) => toMessage(row, partner.fields as PublishedField[])),
    endCursor: shown.length > 0 ? cursorOf(shown.at(-1)!) : null,
    hasMore: rows.length > size,
  };
}
