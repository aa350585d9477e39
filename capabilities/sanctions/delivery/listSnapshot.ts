/**
 * The entries in force on some lists as of one point of the change log (`cut`), each by its latest change up to
 * that point, in (lookup digest, debtorSeq) order from a position: what a new partner receives before it follows the
 * log from `cut`, whether it pulls (pullFeed.ts) or is pushed to (deliveryStore.ts). Appends commit in seq order
 * (sanctionStore), so every page read with the same cut shows the same moment.
 */
import type { Sql } from "../../../gateway/persistence/database.js";
import type { ChangeRow } from "./changeMessage.js";

export interface SnapshotPosition {
  idDigest: string;
  debtorSeq: number;
}

export type SnapshotRow = ChangeRow & { id_digest: string };

/**
 * Up to `limit` rows after `after`; with `idDigests`, only those debtors' entries. A change's digest is its entry's
 * (both are the debtor's ID number's), so the entries are walked in the order of their digest index from the position
 * on: a page costs its own rows, not a pass over every entry (8,000,000 of them for a national snapshot).
 */
export function snapshotRows(
  sql: Pick<Sql, "query">,
  cut: string,
  lists: readonly string[],
  after: SnapshotPosition,
  limit: number | null,
  idDigests: readonly string[] | null = null,
): Promise<SnapshotRow[]> {
  return sql.query<SnapshotRow>(
    `SELECT latest.seq::text AS seq, latest.debtor_seq, latest.operation, latest.record, latest.id_digest
       FROM sanction_entry e
       CROSS JOIN LATERAL (SELECT * FROM sanction_change WHERE entry_id = e.id AND seq <= $1::bigint ORDER BY seq DESC LIMIT 1) latest
      WHERE e.list::text = ANY ($2::text[]) AND latest.record->>'status' = 'LISTED'
        AND e.id_digest >= $3 AND (latest.id_digest, latest.debtor_seq) > ($3, $4::int)
        AND ($6::text[] IS NULL OR e.id_digest = ANY ($6::text[]))
      ORDER BY e.id_digest, latest.debtor_seq LIMIT $5`,
    [cut, lists, after.idDigest, after.debtorSeq, limit, idDigests],
  );
}
