/**
 * What one audit row says (Henan High Court supervision opinion, item 9: 全程留痕): who, for which case and
 * debtor, why, what was sent and what came back (as SM3 digests; the raw reply
 * itself is kept on the agency request). Rows are inserted unsealed in the same
 * statement or transaction as the change they record.
 */
export interface AuditEntry {
  actorOrg: string;
  actorOfficer?: string | null;
  action: string;
  caseId?: string | null;
  debtorId?: string | null;
  subjectId?: string | null;
  purpose?: string | null;
  sentDigest?: string | null;
  replyDigest?: string | null;
  detail: Record<string, unknown>;
}

export const AUDIT_COLUMNS = "actor_org, actor_officer, action, case_id, debtor_id, subject_id, purpose, sent_digest, reply_digest, detail";

/** AUDIT_COLUMNS with their types, to read entries from records (jsonb_to_recordset) in multi-row statements. */
export const AUDIT_RECORD_COLUMNS = `actor_org text, actor_officer text, action text, case_id uuid, debtor_id uuid, subject_id text,
  purpose text, sent_digest text, reply_digest text, detail jsonb`;

/** One record of AUDIT_RECORD_COLUMNS. */
export function auditRecord(entry: AuditEntry): Record<string, unknown> {
  return {
    actor_org: entry.actorOrg,
    actor_officer: entry.actorOfficer ?? null,
    action: entry.action,
    case_id: entry.caseId ?? null,
    debtor_id: entry.debtorId ?? null,
    subject_id: entry.subjectId ?? null,
    purpose: entry.purpose ?? null,
    sent_digest: entry.sentDigest ?? null,
    reply_digest: entry.replyDigest ?? null,
    detail: entry.detail,
  };
}

/** Parameters for `INSERT INTO audit_event (AUDIT_COLUMNS) VALUES ($n … $n+9)`. */
export function auditParams(entry: AuditEntry): unknown[] {
  return Object.values({ ...auditRecord(entry), detail: JSON.stringify(entry.detail) });
}

export function auditValuesSql(firstParam: number): string {
  const p = (i: number) => `$${firstParam + i}`;
  return `(${p(0)}, ${p(1)}, ${p(2)}, ${p(3)}::uuid, ${p(4)}::uuid, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}::jsonb)`;
}

export async function appendAudit(tx: { query(text: string, params?: unknown[]): Promise<unknown[]> }, entry: AuditEntry): Promise<void> {
  await tx.query(`INSERT INTO audit_event (${AUDIT_COLUMNS}) VALUES ${auditValuesSql(1)}`, auditParams(entry));
}
