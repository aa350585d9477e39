/**
 * Records an inquiry and its agency requests in one statement, already leased
 * to the recording instance so that it can send them at once without a second
 * round trip; if it dies first, the lease lapses and another instance sends.
 */
import { randomUUID } from "node:crypto";
import type { AgencyKind } from "../../connectors/connector.js";
import { AUDIT_COLUMNS, auditParams, auditValuesSql, type AuditEntry } from "../audit/auditEvent.js";
import { LEASED_COLUMNS, type InquiryCallRecord, type LeasedRequest } from "../dispatch/agencyRequestStore.js";
import type { Sql } from "../persistence/database.js";
import type { ChannelName, ResolvedRoute } from "../routing/agencyRoutes.js";

export interface NewInquiry {
  caseId: string;
  debtorId: string;
  channel: ChannelName;
  trigger: "REGISTRATION" | "ON_DEMAND";
  purpose: string;
  requestedBy: string;
  requestedOrg: string;
  call: Omit<InquiryCallRecord, "idempotencyKey">;
  routes: ResolvedRoute[];
}

export interface RecordedInquiry {
  inquiryId: string;
  parts: LeasedRequest[];
}

export async function recordInquiry(
  sql: Pick<Sql, "query">,
  inquiry: NewInquiry,
  lease: { owner: string; leaseMs: number },
): Promise<RecordedInquiry> {
  const inquiryId = randomUUID();
  const parts = inquiry.routes.map((route) => {
    const id = randomUUID();
    return {
      id,
      agency_kind: route.kind as AgencyKind,
      endpoint_key: route.endpointKey,
      deadline_ms: route.answerWithinMs,
      payload: { ...inquiry.call, idempotencyKey: id } satisfies InquiryCallRecord,
    };
  });
  const audit: AuditEntry = {
    actorOrg: inquiry.requestedOrg,
    actorOfficer: inquiry.requestedBy,
    action: "INQUIRY_REQUESTED",
    caseId: inquiry.caseId,
    debtorId: inquiry.debtorId,
    subjectId: inquiryId,
    purpose: inquiry.purpose,
    detail: {
      trigger: inquiry.trigger,
      channel: inquiry.channel,
      agencies: parts.map((p) => ({ agency: p.agency_kind, endpoint: p.endpoint_key, requestId: p.id })),
    },
  };
  const rows = await sql.query<LeasedRequest>(
    `WITH inq AS (
       INSERT INTO inquiry (id, case_id, debtor_id, channel, trigger, purpose, requested_by, requested_org, open_parts)
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4::"Channel", $5::"InquiryTrigger", $6, $7, $8, $9) RETURNING id),
     audit AS (INSERT INTO audit_event (${AUDIT_COLUMNS}) VALUES ${auditValuesSql(13)})
     INSERT INTO agency_request (id, inquiry_id, operation, agency_kind, channel, endpoint_key, case_id, debtor_id, status,
                                 payload, next_attempt_at, deadline_at, lease_owner, lease_until)
     SELECT p.id, (SELECT id FROM inq), 'INQUIRY', p.agency_kind, $4::"Channel", p.endpoint_key, $2::uuid, $3::uuid, 'QUEUED',
            p.payload, now(), now() + p.deadline_ms * interval '1 millisecond', $11, now() + $12 * interval '1 millisecond'
       FROM jsonb_to_recordset($10::jsonb) AS p(id uuid, agency_kind text, endpoint_key text, deadline_ms bigint, payload jsonb)
     RETURNING ${LEASED_COLUMNS}`,
    [
      inquiryId,
      inquiry.caseId,
      inquiry.debtorId,
      inquiry.channel,
      inquiry.trigger,
      inquiry.purpose,
      inquiry.requestedBy,
      inquiry.requestedOrg,
      parts.length,
      JSON.stringify(parts),
      lease.owner,
      lease.leaseMs,
      ...auditParams(audit),
    ],
  );
  return { inquiryId, parts: rows };
}
