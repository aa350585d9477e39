/**
 * Records an inquiry and its agency requests in one statement, already leased
 * to the recording instance so that it can send them at once without a second
 * round trip; if it dies first, the lease lapses and another instance sends.
 */
import { randomUUID } from "node:crypto";
import type { AgencyKind, InquiryCall } from "../../connectors/connector.js";
import { AUDIT_COLUMNS, auditParams, auditValuesSql, type AuditEntry } from "../../gateway/audit/auditEvent.js";
import { LEASED_COLUMNS, sealPayload, type LeasedRequest } from "../../gateway/dispatch/agencyRequestStore.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { sqlList } from "../../gateway/persistence/lifecycleSql.js";
import type { CaseKind } from "../../domain/caseNumber.js";
import type { CaseStatus } from "../../domain/cases/caseLifecycle.js";
import { CASE_STATUSES_TAKING_WORK } from "../../domain/cases/caseWork.js";
import { assertCaseAdmits } from "../cases/caseAccess.js";
import type { ChannelName, ResolvedRoute } from "../../gateway/routing/agencyRoutes.js";

/** What is stored as the request's payload: the call minus the hub's callback address, which may change. */
export type InquiryCallRecord = Omit<InquiryCall, "callbackUrl">;

export type InquiryTrigger = "REGISTRATION" | "ON_DEMAND" | "CONCLUSION_WATCH";

export interface NewInquiry {
  caseId: string;
  debtorId: string;
  channel: ChannelName;
  trigger: InquiryTrigger;
  purpose: string;
  requestedBy: string;
  requestedOrg: string;
  call: Omit<InquiryCallRecord, "idempotencyKey">;
  routes: ResolvedRoute[];
}

export interface RecordedInquiry {
  inquiryId: string;
  parts: LeasedRequest<InquiryCallRecord>[];
  /** The inquiry's row as recorded (Prisma's shape), so callers need not read it back; absent for an inquiry without parts. */
  inquiry?: InquiryRow;
}

/** An inquiry row in the shape Prisma's `inquiry` model returns. */
export interface InquiryRow {
  id: string;
  caseId: string;
  debtorId: string;
  channel: ChannelName;
  trigger: InquiryTrigger;
  purpose: string;
  requestedBy: string;
  requestedOrg: string;
  openParts: number;
  createdAt: Date;
  completedAt: Date | null;
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
      payload: sealPayload({ ...inquiry.call, idempotencyKey: id } satisfies InquiryCallRecord),
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
  const rows = await sql.query<LeasedRequest<InquiryCallRecord> & { inquiry_created_at?: Date }>(
    `WITH open_case AS (
       SELECT id FROM enforcement_case WHERE id = $2::uuid AND status IN (${sqlList(CASE_STATUSES_TAKING_WORK)}) FOR SHARE),
     inq AS (
       INSERT INTO inquiry (id, case_id, debtor_id, channel, trigger, purpose, requested_by, requested_org, open_parts)
       SELECT $1::uuid, id, $3::uuid, $4::"Channel", $5::"InquiryTrigger", $6, $7, $8, $9 FROM open_case RETURNING id, created_at),
     audit AS (INSERT INTO audit_event (${AUDIT_COLUMNS})
       SELECT * FROM (VALUES ${auditValuesSql(13)}) AS entry WHERE EXISTS (SELECT 1 FROM inq))
     INSERT INTO agency_request (id, inquiry_id, operation, agency_kind, channel, endpoint_key, case_id, debtor_id, status,
                                 payload, next_attempt_at, deadline_at, lease_owner, lease_until)
     SELECT p.id, inq.id, 'INQUIRY', p.agency_kind, $4::"Channel", p.endpoint_key, $2::uuid, $3::uuid, 'QUEUED',
            p.payload, now(), now() + p.deadline_ms * interval '1 millisecond', $11, now() + $12 * interval '1 millisecond'
       FROM inq, jsonb_to_recordset($10::jsonb) AS p(id uuid, agency_kind text, endpoint_key text, deadline_ms bigint, payload jsonb)
     RETURNING ${LEASED_COLUMNS}, (SELECT created_at FROM inq) AS inquiry_created_at`,
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
  if (rows.length === 0) await refuseUnlessRecorded(sql, inquiry.caseId, inquiryId);
  const createdAt = rows[0]?.inquiry_created_at;
  for (const row of rows) delete row.inquiry_created_at;
  return {
    inquiryId,
    parts: rows,
    inquiry:
      createdAt === undefined
        ? undefined
        : {
            id: inquiryId,
            caseId: inquiry.caseId,
            debtorId: inquiry.debtorId,
            channel: inquiry.channel,
            trigger: inquiry.trigger,
            purpose: inquiry.purpose,
            requestedBy: inquiry.requestedBy,
            requestedOrg: inquiry.requestedOrg,
            openParts: parts.length,
            createdAt: createdAt instanceof Date ? createdAt : new Date(createdAt),
            completedAt: null,
          },
  };
}

/**
 * Nothing came back: either the inquiry has no parts, or the case's guard kept it from being written because a
 * step of the case (caseSteps.ts, under the row lock the guard's FOR SHARE waits for) closed or terminated it
 * after the service's first check. The latter is refused as that check would have.
 */
async function refuseUnlessRecorded(sql: Pick<Sql, "query">, caseId: string, inquiryId: string): Promise<void> {
  const [row] = await sql.query<{ status: CaseStatus; kind: CaseKind; recorded: boolean }>(
    `SELECT status::text AS status, kind::text AS kind, EXISTS (SELECT 1 FROM inquiry WHERE id = $2::uuid) AS recorded
       FROM enforcement_case WHERE id = $1::uuid`,
    [caseId, inquiryId],
  );
  if (!row.recorded) assertCaseAdmits(row, "INQUIRY");
}
