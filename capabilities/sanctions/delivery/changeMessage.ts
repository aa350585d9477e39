/**
 * One change as a partner receives it, pushed in a batch or read from the pull feed.
 * `debtorSeq` numbers the changes of one debtor (by ID number) 1, 2, 3…: a partner applies a
 * change only when its debtorSeq is above the last it applied for that debtor, which makes a
 * repeat harmless and keeps each debtor's changes in order. `fields` holds only the partner's
 * data profile (失信规定 art. 6, data minimisation).
 */
import { minimise, type PublishedField, type PublishedRecord } from "../../../domain/sanctions/publishedFields.js";
import { openRecord, type ChangeRecord } from "../sanctionStore.js";

export interface ChangeMessage {
  /** Position in the hub's change log (a decimal string: it is a bigint). */
  seq: string;
  entryId: string;
  list: ChangeRecord["list"];
  idNumber: string;
  debtorSeq: number;
  operation: string;
  status: ChangeRecord["status"];
  fields: PublishedRecord;
}

export interface PushBatch {
  partner: string;
  batchId: string;
  changes: ChangeMessage[];
}

export interface ChangeRow {
  seq: string;
  debtor_seq: number;
  operation: string;
  record: ChangeRecord;
}

export const CHANGE_ROW_COLUMNS = `seq::text AS seq, debtor_seq, operation, record`;

/** A change as partners receive it: its record opened (sanctionStore.ts), cut to the partner's profile. */
export function toMessage(row: ChangeRow, profile: readonly PublishedField[]): ChangeMessage {
  const record = openRecord(row.record);
  return {
    seq: row.seq,
    entryId: record.entryId,
    list: record.list,
    idNumber: record.idNumber,
    debtorSeq: row.debtor_seq,
    operation: row.operation,
    status: record.status,
    fields: minimise(record.fields, profile),
  };
}
