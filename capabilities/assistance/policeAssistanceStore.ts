/**
 * Recording police assistance and the agency requests that carry it. An
 * assistance and its request are written in one transaction, leased to the
 * recording instance, so a crash between recording and sending loses nothing
 * and the resend carries the same idempotency key (the police take it on once).
 */
import { randomUUID } from "node:crypto";
import type { AssistanceCall } from "../../connectors/connector.js";
import { AUDIT_COLUMNS, auditParams, auditValuesSql, type AuditEntry } from "../../gateway/audit/auditEvent.js";
import { LEASED_COLUMNS, sealPayload, type FinalRecord, type LeasedRequest } from "../../gateway/dispatch/agencyRequestStore.js";
import { dataCipher } from "../../gateway/persistence/dataCipher.js";
import type { HubEvents } from "../../gateway/events/hubEvents.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { allowedTransitionSql, sqlList } from "../../gateway/persistence/lifecycleSql.js";
import { ASSISTANCE_TRANSITIONS, assistanceLifecycle } from "../../domain/assistance/assistanceLifecycle.js";
import { agencyRequestLifecycle } from "../../domain/inquiry/agencyRequestLifecycle.js";
import type { ResolvedRoute } from "../../gateway/routing/agencyRoutes.js";
import type { AssistanceChange } from "./assistanceOutcome.js";

/** What is stored as the request's payload: the call minus the hub's callback address, which may change. */
export type AssistanceCallRecord = Omit<AssistanceCall, "callbackUrl">;

export interface NewAssistance {
  caseId: string;
  debtorId: string;
  kind: string;
  route: ResolvedRoute;
  /** What the unique key tells apart: the plate, the restriction lifted, or "". */
  target: string;
  plate: string | null;
  restrictedFrom: string | null;
  restrictedUntil: string | null;
  liftsId: string | null;
  decisionNumber: string;
  decision: unknown;
  requestedBy: string;
}

/** Inserts the assistance and its request unless the same decision already asked for it; returns the assistance held either way. */
export async function recordAssistance(
  tx: Pick<Sql, "query">,
  assistance: NewAssistance,
  call: Omit<AssistanceCallRecord, "idempotencyKey">,
  audit: AuditEntry,
  lease: { owner: string; leaseMs: number },
): Promise<{ id: string; created: boolean; request?: LeasedRequest<AssistanceCallRecord> }> {
  const id = randomUUID();
  const requestId = randomUUID();
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO police_assistance (id, case_id, debtor_id, kind, status, endpoint_key, target, plate, restricted_from, restricted_until,
                                    lifts_id, decision_number, decision, requested_by, request_id)
     VALUES ($1::uuid, $2::uuid, $3::uuid, $4, 'REQUESTED', $5, $6, $7, $8::date, $9::date, $10::uuid, $11, $12::jsonb, $13, $14::uuid)
     ON CONFLICT (case_id, debtor_id, kind, target, decision_number) DO NOTHING
     RETURNING id::text AS id`,
    [
      id,
      assistance.caseId,
      assistance.debtorId,
      assistance.kind,
      assistance.route.endpointKey,
      assistance.target,
      assistance.plate,
      assistance.restrictedFrom,
      assistance.restrictedUntil,
      assistance.liftsId,
      assistance.decisionNumber,
      JSON.stringify(assistance.decision),
      assistance.requestedBy,
      requestId,
    ],
  );
  if (inserted.length === 0) {
    const [held] = await tx.query<{ id: string }>(
      `SELECT id::text AS id FROM police_assistance WHERE case_id = $1::uuid AND debtor_id = $2::uuid
         AND kind = $3 AND target = $4 AND decision_number = $5`,
      [assistance.caseId, assistance.debtorId, assistance.kind, assistance.target, assistance.decisionNumber],
    );
    return { id: held.id, created: false };
  }
  const route = assistance.route;
  const [request] = await tx.query<LeasedRequest<AssistanceCallRecord>>(
    `WITH audit AS (INSERT INTO audit_event (${AUDIT_COLUMNS}) VALUES ${auditValuesSql(11)})
     INSERT INTO agency_request (id, operation, agency_kind, channel, endpoint_key, case_id, debtor_id, status, payload,
                                 next_attempt_at, deadline_at, lease_owner, lease_until)
     VALUES ($1::uuid, 'ASSISTANCE', $2, $3::"Channel", $4, $5::uuid, $6::uuid, 'QUEUED', $7::jsonb, now(),
             now() + $8 * interval '1 millisecond', $9, now() + $10 * interval '1 millisecond')
     RETURNING ${LEASED_COLUMNS}`,
    [
      requestId,
      route.kind,
      route.channel,
      route.endpointKey,
      assistance.caseId,
      assistance.debtorId,
      JSON.stringify(sealPayload({ ...call, idempotencyKey: requestId } satisfies AssistanceCallRecord)),
      route.answerWithinMs,
      lease.owner,
      lease.leaseMs,
      ...auditParams({ ...audit, subjectId: id }),
    ],
  );
  return { id, created: true, request };
}

const OPEN_REQUEST = sqlList(agencyRequestLifecycle.openStatuses);
const MISS_DEADLINE = ASSISTANCE_TRANSITIONS.MISS_DEADLINE;
/** How many parameters an audit row takes (auditValuesSql). */
const AUDIT_PARAMS = 10;
const CHANGE_ALLOWED = allowedTransitionSql(assistanceLifecycle, "$6::text", "status");

/** How the dispatcher ends the requests that carry police assistance. */
export class AssistanceRequestStore {
  constructor(private readonly deps: { sql: Pick<Sql, "query">; events: HubEvents }) {}

  /**
   * Finishes a request for assistance in one statement: its status and answer,
   * the assistance's change and the audit row stand or fall together, and then
   * announces the change. The answer moves the assistance only where
   * assistanceLifecycle.ts allows (a report may have overtaken it). The audit row says what
   * the assistance is after the answer (`detail.assistance`).
   */
  async finish(
    request: LeasedRequest<AssistanceCallRecord>,
    final: Omit<FinalRecord, "findings">,
    audit: AuditEntry,
    change: AssistanceChange,
  ): Promise<void> {
    const [row] = await this.deps.sql.query<{ finished: number; assistance_id: string | null; status: string | null }>(
      `WITH req AS (
         UPDATE agency_request SET status = $2::"AgencyRequestStatus", raw_reply = $3, reply_digest = $4,
           last_error = coalesce($5, last_error), lookups = lookups + $${10 + AUDIT_PARAMS},
                finished_at = now(), lease_owner = NULL, lease_until = NULL
          WHERE id = $1::uuid AND status IN (${OPEN_REQUEST})
            -- Under a lease, only while it holds (gateway/dispatch/agencyRequestStore.ts, Lease); a callback's answer under none.
            AND ($${11 + AUDIT_PARAMS}::text IS NULL
                 OR (lease_owner = $${11 + AUDIT_PARAMS} AND lease_epoch = $${12 + AUDIT_PARAMS}::bigint))
          RETURNING id),
       asst AS (
         UPDATE police_assistance SET status = CASE WHEN ${CHANGE_ALLOWED} THEN $7::"PoliceAssistanceStatus" ELSE status END,
                agency_reference = coalesce(agency_reference, $8), last_error = coalesce($9, last_error), updated_at = now()
          WHERE request_id = (SELECT id FROM req)
          RETURNING id::text AS id, status::text AS status, agency_reference AS "agencyReference", last_error AS "lastError"),
       audit AS (
         INSERT INTO audit_event (${AUDIT_COLUMNS})
         SELECT v.column1, v.column2, v.column3, v.column4, v.column5, v.column6, v.column7, v.column8, v.column9,
                v.column10 || jsonb_build_object('assistance', (SELECT to_jsonb(a) FROM asst a))
           FROM (VALUES ${auditValuesSql(10)}) AS v WHERE EXISTS (SELECT 1 FROM req))
       SELECT (SELECT count(*) FROM req)::int AS finished, (SELECT id FROM asst) AS assistance_id, (SELECT status FROM asst) AS status`,
      [
        request.id,
        final.status,
        final.raw === undefined ? null : dataCipher().seal(final.raw),
        final.replyDigest ?? null,
        final.error ?? null,
        change.event ?? null,
        change.event ? ASSISTANCE_TRANSITIONS[change.event].to : null,
        change.agencyReference ?? null,
        change.lastError ?? null,
        ...auditParams(audit),
        final.lookups ?? 0,
        final.lease?.owner ?? null,
        final.lease?.epoch ?? null,
      ],
    );
    if (row.finished === 1 && row.assistance_id && row.status) this.announce(request, row.assistance_id, row.status);
  }

  /**
   * The police have not answered by the deadline: the assistance is UNCONFIRMED (they may have taken it on), with the
   * reason and its audit row, and announced; nothing changes once it has moved on.
   */
  async markUnconfirmed(request: LeasedRequest<AssistanceCallRecord>, reason: string, audit: AuditEntry): Promise<void> {
    const [moved] = await this.deps.sql.query<{ id: string }>(
      `WITH moved AS (
         UPDATE police_assistance SET status = '${MISS_DEADLINE.to}', last_error = $2, updated_at = now()
          WHERE request_id = $1::uuid AND status IN (${sqlList(MISS_DEADLINE.from)})
          RETURNING id),
       audit AS (
         INSERT INTO audit_event (${AUDIT_COLUMNS})
         SELECT * FROM (VALUES ${auditValuesSql(3)}) AS a WHERE EXISTS (SELECT 1 FROM moved))
       SELECT id::text AS id FROM moved`,
      [request.id, reason, ...auditParams(audit)],
    );
    if (moved) this.announce(request, moved.id, MISS_DEADLINE.to);
  }

  /**
   * Still UNCONFIRMED past the final horizon of lookups (HUB_UNCONFIRMED_GIVE_UP_DAYS): flagged for a supervisor with the
   * reason and its audit row, and announced as NEEDS_ATTENTION; its status stays UNCONFIRMED, the police may have acted.
   */
  async markNeedsAttention(request: LeasedRequest<AssistanceCallRecord>, reason: string, audit: AuditEntry): Promise<void> {
    const [flagged] = await this.deps.sql.query<{ id: string }>(
      `WITH flagged AS (
         UPDATE police_assistance SET needs_attention_at = now(), last_error = $2, updated_at = now()
          WHERE request_id = $1::uuid AND status = '${MISS_DEADLINE.to}' AND needs_attention_at IS NULL
          RETURNING id),
       audit AS (
         INSERT INTO audit_event (${AUDIT_COLUMNS})
         SELECT * FROM (VALUES ${auditValuesSql(3)}) AS a WHERE EXISTS (SELECT 1 FROM flagged))
       SELECT id::text AS id FROM flagged`,
      [request.id, reason, ...auditParams(audit)],
    );
    if (flagged) this.announce(request, flagged.id, "NEEDS_ATTENTION");
  }

  private announce(request: LeasedRequest<AssistanceCallRecord>, assistanceId: string, status: string): void {
    this.deps.events.publish("POLICE_ASSISTANCE", {
      caseId: request.case_id,
      courtCode: request.payload.courtCode,
      assistanceId,
      kind: request.payload.kind,
      status,
    });
  }
}
