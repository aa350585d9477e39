/**
 * Writing list entries and their change log. Every change to an entry appends one
 * sanction_change row (with the debtor's next sequence number), in the transaction that makes
 * the change, together with its audit row: a change can never be made without being in the log
 * every partner reads by its own cursor (push: delivery/deliveryStore.ts; pull: delivery/pullFeed.ts).
 */
import type { PublishedRecord } from "../../domain/sanctions/publishedFields.js";
import { AUDIT_COLUMNS, auditParams, auditValuesSql, type AuditEntry } from "../../gateway/audit/auditEvent.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { dataCipher } from "../../gateway/persistence/dataCipher.js";

export type ListName = "DISHONEST_DEBTOR" | "CONSUMPTION_RESTRICTION";
export type ChangeOperation = "LIST" | "EXTEND" | "CORRECT" | "REMOVE";

/** What a partner learns of an entry after a change: its identity, status and published fields. */
export interface ChangeRecord {
  entryId: string;
  list: ListName;
  idNumber: string;
  status: "LISTED" | "REMOVED";
  fields: PublishedRecord;
}

/** A change record as stored: the ID number and the published fields sealed, the rest readable to SQL. */
export function sealRecord(record: ChangeRecord): Record<string, unknown> {
  const cipher = dataCipher();
  return { ...record, idNumber: cipher.seal(record.idNumber), fields: cipher.sealJson(record.fields) };
}

export function openRecord(stored: ChangeRecord): ChangeRecord {
  const cipher = dataCipher();
  return { ...stored, idNumber: cipher.open(stored.idNumber), fields: cipher.openJson(stored.fields as unknown as string) };
}

/** An entry row as read with ENTRY_COLUMNS, its ID number and published fields opened. */
export function openEntry(row: EntryRow): EntryRow;
export function openEntry(row: EntryRow | undefined): EntryRow | undefined;
export function openEntry(row: EntryRow | undefined): EntryRow | undefined {
  if (!row) return row;
  const cipher = dataCipher();
  return { ...row, id_number: cipher.open(row.id_number), published: cipher.openJson(row.published as unknown as string) };
}

/**
 * Held from the first append to commit: appends commit in seq order, so a feed read by
 * cursor never passes a change that is still to commit, and a partner's snapshot (taken
 * under the same lock) cannot miss a change made while it is taken.
 */
export const SANCTION_LOG_LOCK = 4_102_251;

/**
 * The one signal for what list partners wait on. The transaction that commits it sends NOTIFY on this
 * channel, so every instance sharing the database hears it exactly at commit (PGlite delivers its own
 * notifications in process): appending a change (payload ''), registering, changing, (de)activating a
 * partner or replaying its dead batch (payload: the partner's code). Each instance then wakes its push
 * delivery and its live feeds (gateway/hub.ts).
 */
export const SANCTION_CHANGE_CHANNEL = "sanction_change";

/** Signals a partner's change in the caller's transaction (sent at its commit), or at once outside one. */
export async function signalPartnerChange(tx: Pick<Sql, "query">, partner: string): Promise<void> {
  await tx.query(`SELECT pg_notify($1, $2)`, [SANCTION_CHANGE_CHANNEL, partner]);
}

export interface EntryRow {
  id: string;
  list: ListName;
  case_id: string;
  debtor_id: string;
  id_number: string;
  court_code: string;
  status: "LISTED" | "REMOVED";
  ground: string | null;
  decision_number: string;
  starts_on: string;
  expires_on: string | null;
  extension_years: number;
  published: PublishedRecord;
  removal_reason: string | null;
}

export const ENTRY_COLUMNS = `id::text AS id, list::text AS list, case_id::text AS case_id,
  debtor_id::text AS debtor_id, id_number, court_code,
  status::text AS status, ground, decision_number,
  starts_on::text AS starts_on, expires_on::text AS expires_on, extension_years, published, removal_reason`;

export function changeRecordOf(entry: Pick<EntryRow, "id" | "list" | "id_number" | "status" | "published">): ChangeRecord {
  return { entryId: entry.id, list: entry.list, idNumber: entry.id_number, status: entry.status, fields: entry.published };
}

/**
 * Appends the change and records the audit row. Nothing is written per partner: a removal overtakes
 * routine traffic because push delivery reads removals by a cursor of their own (delivery/deliveryStore.ts).
 */
export async function appendChange(
  tx: Pick<Sql, "query">,
  record: ChangeRecord,
  operation: ChangeOperation,
  audit: AuditEntry,
): Promise<{ seq: string; debtorSeq: number }> {
  await tx.query(`SELECT pg_advisory_xact_lock($1)`, [SANCTION_LOG_LOCK]);
  const cipher = dataCipher();
  // $2 is the debtor's lookup digest: a debtor's changes are numbered and delivered in order by it.
  const [change] = await tx.query<{ seq: string; debtor_seq: number }>(
    `WITH change AS (
       INSERT INTO sanction_change (entry_id, id_number, id_digest, debtor_seq, list, operation, record)
       SELECT $1::uuid, $17, $2, coalesce(max(debtor_seq), 0) + 1, $3::text::"SanctionList", $4, $5::jsonb
         FROM sanction_change WHERE id_digest = $2
       RETURNING seq, debtor_seq),
     audit AS (
       INSERT INTO audit_event (${AUDIT_COLUMNS}) VALUES ${auditValuesSql(6)})
     SELECT seq::text AS seq, debtor_seq, pg_notify($16, '') FROM change`,
    [
      record.entryId,
      cipher.lookup(record.idNumber),
      record.list,
      operation,
      JSON.stringify(sealRecord(record)),
      ...auditParams(audit),
      SANCTION_CHANGE_CHANNEL,
      cipher.seal(record.idNumber),
    ],
  );
  return { seq: change.seq, debtorSeq: change.debtor_seq };
}
