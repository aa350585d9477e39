/**
 * The durable life of one agency request, in raw SQL because it is the hub's
 * hot path. Every transition is a single statement guarded on the current
 * status, so a late poll, a duplicate callback or a second instance can never
 * move a finished request again. Times come from the database clock, which all
 * instances share.
 */
import type { AgencyKind, AssetFinding, InquiryCall, InquiryFindings } from "../../connectors/connector.js";
import { AUDIT_COLUMNS, auditParams, auditValuesSql, type AuditEntry } from "../audit/auditEvent.js";
import type { Sql } from "../persistence/database.js";

export type FinalStatus = "ANSWERED" | "REFUSED" | "FAILED" | "TIMED_OUT";
export const FINAL_STATUSES: readonly FinalStatus[] = ["ANSWERED", "REFUSED", "FAILED", "TIMED_OUT"];
const NOT_FINAL = `status NOT IN ('ANSWERED', 'REFUSED', 'FAILED', 'TIMED_OUT')`;

/** A request this instance holds the lease on and may send or poll. */
export interface LeasedRequest {
  id: string;
  inquiry_id: string | null;
  agency_kind: AgencyKind;
  endpoint_key: string;
  case_id: string;
  debtor_id: string;
  status: "QUEUED" | "SENT" | "AWAITING";
  payload: InquiryCallRecord;
  ticket: string | null;
  attempts: number;
  past_deadline: boolean;
}

/** What is stored as the request's payload: the call minus the hub's callback address, which may change. */
export type InquiryCallRecord = Omit<InquiryCall, "callbackUrl">;

const LEASED_COLUMNS = `id::text AS id, inquiry_id::text AS inquiry_id, agency_kind, endpoint_key, case_id::text AS case_id,
  debtor_id::text AS debtor_id, status::text AS status, payload, ticket, attempts, deadline_at < now() AS past_deadline`;

export interface FinishResult {
  /** false when the request had already been finished by someone else; nothing was written. */
  finished: boolean;
  openParts: number | null;
}

export class AgencyRequestStore {
  constructor(private readonly sql: Sql) {}

  /**
   * Leases due requests that nobody holds: new ones whose creator died, tickets
   * due for a poll, retries whose backoff is over, sends interrupted by a crash.
   */
  async claimDue(owner: string, leaseMs: number, limit: number): Promise<LeasedRequest[]> {
    return this.sql.query<LeasedRequest>(
      `UPDATE agency_request SET lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond'
        WHERE id IN (
          SELECT id FROM agency_request
           WHERE ${NOT_FINAL} AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
           ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING ${LEASED_COLUMNS}`,
      [owner, leaseMs, limit],
    );
  }

  /** Records that the request is being handed over; the attempt counts from here. */
  async markSent(id: string, owner: string): Promise<void> {
    await this.sql.query(
      `UPDATE agency_request SET status = 'SENT', attempts = attempts + 1, sent_at = coalesce(sent_at, now())
        WHERE id = $1 AND lease_owner = $2 AND status IN ('QUEUED', 'SENT')`,
      [id, owner],
    );
  }

  /** Gives the request back to the schedule: a ticket to poll later, or a retry after backoff. */
  async reschedule(id: string, change: { status: "QUEUED" | "AWAITING"; ticket?: string; delayMs: number; error?: string }): Promise<void> {
    await this.sql.query(
      `UPDATE agency_request SET status = $2::"AgencyRequestStatus", ticket = coalesce($3, ticket),
              next_attempt_at = now() + $4 * interval '1 millisecond', lease_owner = NULL, lease_until = NULL,
              last_error = coalesce($5, last_error)
        WHERE id = $1 AND ${NOT_FINAL}`,
      [id, change.status, change.ticket ?? null, change.delayMs, change.error ?? null],
    );
  }

  /**
   * Finishes a request in one statement: its status and answer, its assets,
   * its inquiry's count of open parts, and its audit row stand or fall together.
   */
  async finish(
    id: string,
    final: { status: FinalStatus; findings?: InquiryFindings; raw?: string; replyDigest?: string; error?: string },
    audit: AuditEntry,
  ): Promise<FinishResult> {
    const assets = (final.findings?.assets ?? []).map(assetRow);
    const rows = await this.sql.query<{ finished: number; open_parts: number | null }>(
      `WITH req AS (
         UPDATE agency_request SET status = $2::"AgencyRequestStatus", findings = $3::jsonb, raw_reply = $4, reply_digest = $5,
                last_error = coalesce($6, last_error), finished_at = now(), lease_owner = NULL, lease_until = NULL
          WHERE id = $1 AND ${NOT_FINAL}
          RETURNING id, inquiry_id, case_id, debtor_id, agency_kind),
       inq AS (
         UPDATE inquiry SET open_parts = open_parts - 1,
                completed_at = CASE WHEN open_parts = 1 THEN now() ELSE completed_at END
          WHERE id = (SELECT inquiry_id FROM req) RETURNING open_parts),
       assets AS (
         INSERT INTO asset (id, case_id, debtor_id, agency_request_id, agency_kind, type, identifier, description, estimated_value, details)
         SELECT gen_random_uuid(), req.case_id, req.debtor_id, req.id, req.agency_kind, a.type, a.identifier, a.description, a.estimated_value, a.details
           FROM req, jsonb_to_recordset($7::jsonb) AS a(type text, identifier text, description text, estimated_value numeric, details jsonb)
         ON CONFLICT (agency_request_id, identifier) DO NOTHING),
       audit AS (
         INSERT INTO audit_event (${AUDIT_COLUMNS}) SELECT * FROM (VALUES ${auditValuesSql(8)}) AS v WHERE EXISTS (SELECT 1 FROM req))
       SELECT (SELECT count(*) FROM req)::int AS finished, (SELECT open_parts FROM inq) AS open_parts`,
      [
        id,
        final.status,
        final.findings ? JSON.stringify(final.findings) : null,
        final.raw ?? null,
        final.replyDigest ?? null,
        final.error ?? null,
        JSON.stringify(assets),
        ...auditParams(audit),
      ],
    );
    return { finished: rows[0].finished === 1, openParts: rows[0].open_parts };
  }

  async findLeaseable(id: string): Promise<LeasedRequest | undefined> {
    const [row] = await this.sql.query<LeasedRequest>(`SELECT ${LEASED_COLUMNS} FROM agency_request WHERE id = $1::uuid`, [id]);
    return row;
  }
}

function assetRow(asset: AssetFinding) {
  return {
    type: asset.type,
    identifier: asset.identifier,
    description: asset.description,
    estimated_value: asset.estimatedValue ?? null,
    details: asset,
  };
}
