/**
 * The durable life of one agency request, in raw SQL because it is the hub's
 * hot path. Every transition is a single statement guarded on the current
 * status, so a late poll, a duplicate callback or a second instance can never
 * move a finished request again. Times come from the database clock, which all
 * instances share.
 */
import type { AgencyKind, AssetFinding, InquiryFindings } from "../../connectors/connector.js";
import { dataCipher } from "../persistence/dataCipher.js";
import {
  AGENCY_REQUEST_TRANSITIONS,
  agencyRequestLifecycle,
  type FinalStatus,
  type OpenStatus,
  type RescheduledStatus,
} from "../../domain/inquiry/agencyRequestLifecycle.js";
import { assetIdentity } from "../../domain/inquiry/assetIdentity.js";
import { AUDIT_COLUMNS, AUDIT_RECORD_COLUMNS, auditRecord, type AuditEntry } from "../audit/auditEvent.js";
import type { Sql } from "../persistence/database.js";
import { sqlList } from "../persistence/lifecycleSql.js";
import { StatementBatcher } from "../persistence/statementBatcher.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Every move but SEND leaves an open request: rescheduling, claiming and finishing are guarded alike. */
const OPEN = `status IN (${sqlList(agencyRequestLifecycle.openStatuses)})`;
const SEND = AGENCY_REQUEST_TRANSITIONS.SEND;
/**
 * A change made under a lease (its owner and token in `c`) applies only while that lease holds; one made under none (an
 * agency's callback, final whoever holds the request) applies whoever holds it.
 */
const FENCED = (c: string) => `(${c}.owner IS NULL OR (r.lease_owner = ${c}.owner AND r.lease_epoch = ${c}.epoch))`;
/** How many failed rounds a request remembers (`tries`): enough to tell an outage from a bad reply. */
const TRIES_KEPT = 20;

/**
 * The lease a statement is made under: the instance holding it and its fencing token (`lease_epoch`, one more each time
 * any instance takes the request). A statement naming a lease changes the request only while that same lease holds, so an
 * instance that stalled past its lease while another took the request over sends nothing and overwrites nothing.
 */
export interface Lease {
  owner: string;
  epoch: string;
}

/** What every request's payload holds: the call minus the hub's callback address, which may change. */
export interface CallRecord {
  idempotencyKey: string;
  courtCode: string;
  officer: string;
}

/**
 * A request this instance holds the lease on and may send or poll: part of an inquiry (inquiry_id), a control
 * of a measure (measure_id), or police assistance; `operation` names the AgencyOperation that carries it.
 */
export interface LeasedRequest<P extends CallRecord = CallRecord> {
  id: string;
  operation: string;
  inquiry_id: string | null;
  measure_id: string | null;
  agency_kind: AgencyKind;
  endpoint_key: string;
  case_id: string;
  debtor_id: string;
  status: OpenStatus;
  payload: P;
  ticket: string | null;
  /** Submissions that left the hub. */
  attempts: number;
  /** Rounds that ended without an answer, of submissions or lookups alike: what the backoff grows with. */
  failed_rounds: number;
  /** What happened on each failed round, oldest first. */
  tries: string[];
  deadline_at: Date;
  past_deadline: boolean;
  /** The fencing token of the lease this row was read under (bigint, as text). */
  lease_epoch: string;
}

/**
 * How the capability whose row a request changes (a measure: measureStore.ts) has that change made in the
 * statement that finishes the request, so the row can never disagree with the exchange that moved it.
 */
export interface FinishingChange<C> {
  /** The change's record columns, as jsonb_to_recordset reads them. */
  columns: string;
  record(change: C): Record<string, unknown>;
  /**
   * An UPDATE of the rows the finished requests (`req`, with the request's record `c` of `columns`) change,
   * RETURNING `req.ord`, the row's `status` and what else its audit row shows (`detail.<auditKey>`).
   */
  update: string;
  auditKey: string;
}

/**
 * A payload as stored: the debtor it names (ID number, name) sealed (dataCipher.ts), the rest readable to SQL
 * (court, action). Only the call a connector sends needs the debtor: the dispatcher opens it there (`openPayload`).
 */
export function sealPayload<P extends object>(payload: P): P {
  if (!("debtor" in payload) || payload.debtor === undefined) return payload;
  return { ...payload, debtor: dataCipher().sealJson(payload.debtor) };
}

export function openPayload<P extends object>(payload: P): P {
  if (!("debtor" in payload) || typeof payload.debtor !== "string") return payload;
  return { ...payload, debtor: dataCipher().openJson(payload.debtor) };
}

/** What an agency said of the person (identity, tax, credit, marriages naming the spouse), sealed like the reply; assets stay assets. */
export const SEALED_FINDINGS = ["identity", "tax", "credit", "marriages"] as const;

export function sealFindings(findings: InquiryFindings): InquiryFindings {
  const cipher = dataCipher();
  const sealed: Record<string, unknown> = { ...findings };
  for (const name of SEALED_FINDINGS) if (findings[name] !== undefined) sealed[name] = cipher.sealJson(findings[name]);
  return sealed as unknown as InquiryFindings;
}

export function openFindings(findings: InquiryFindings): InquiryFindings {
  const cipher = dataCipher();
  const opened: Record<string, unknown> = { ...findings };
  for (const name of SEALED_FINDINGS) {
    const value: unknown = findings[name];
    if (typeof value === "string") opened[name] = cipher.openJson(value);
  }
  return opened as unknown as InquiryFindings;
}

/** The columns of a LeasedRequest, for every statement that leases requests (recording included). */
export const LEASED_COLUMNS = `id::text AS id, operation, inquiry_id::text AS inquiry_id, measure_id::text AS measure_id, agency_kind,
  endpoint_key, case_id::text AS case_id, debtor_id::text AS debtor_id, status::text AS status, payload, ticket, attempts,
  failed_rounds, coalesce(tries, '{}') AS tries, deadline_at, deadline_at < now() AS past_deadline,
  lease_epoch::text AS lease_epoch`;

export interface FinishResult {
  /** false when the request had already been finished by someone else; nothing was written. */
  finished: boolean;
  openParts: number | null;
  /** For a control request: the measure's status after the change. */
  measureStatus: string | null;
}

export class AgencyRequestStore<C extends object = object> {
  constructor(
    private readonly sql: Sql,
    private readonly change: FinishingChange<C>,
  ) {}

  /**
   * Leases due requests that nobody holds: new ones whose creator died or that it had no room for, tickets due for a
   * poll, retries whose backoff is over, sends interrupted by a crash. At most `room` of each endpoint named (the room
   * its instance has left to send on it), and `limit` in all, oldest first; requests of endpoints not named stay.
   */
  async claimDue(owner: string, leaseMs: number, limit: number, endpoints: EndpointRoom[]): Promise<LeasedRequest[]> {
    if (endpoints.length === 0 || limit <= 0) return [];
    return this.sql.query<LeasedRequest>(
      `UPDATE agency_request SET lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond', lease_epoch = lease_epoch + 1
        WHERE id IN (
          SELECT d.id FROM unnest($4::text[], $5::text[], $6::int[]) AS e(kind, endpoint_key, room)
           CROSS JOIN LATERAL (
             SELECT id, next_attempt_at FROM agency_request
              WHERE agency_kind = e.kind AND endpoint_key = e.endpoint_key AND ${OPEN} AND next_attempt_at <= now()
                AND (lease_until IS NULL OR lease_until < now())
              ORDER BY next_attempt_at LIMIT e.room FOR UPDATE SKIP LOCKED) AS d
           ORDER BY d.next_attempt_at LIMIT $3)
        RETURNING ${LEASED_COLUMNS}`,
      [owner, leaseMs, limit, endpoints.map((e) => e.kind), endpoints.map((e) => e.endpointKey), endpoints.map((e) => e.room)],
    );
  }

  /**
   * Gives up the lease on requests this instance recorded but has no room to send yet: they wait in the database, due as
   * recorded, for whichever instance has room first (claimDue). Releases of one turn share a statement.
   */
  release(id: string, lease: Lease): Promise<void> {
    return this.releases.add({ id, ...lease });
  }

  private readonly releases = new StatementBatcher<{ id: string; owner: string; epoch: string }, void>(
    async (calls) => {
      await this.sql.query(
        `UPDATE agency_request AS r SET lease_owner = NULL, lease_until = NULL
           FROM unnest($1::uuid[], $2::text[], $3::bigint[]) AS c(request_id, owner, epoch)
          WHERE r.id = c.request_id AND r.lease_owner = c.owner AND r.lease_epoch = c.epoch AND r.${OPEN}`,
        [calls.map((c) => c.id), calls.map((c) => c.owner), calls.map((c) => c.epoch)],
      );
      return calls.map(() => undefined);
    },
    { keysOf: (call) => [call.id], maxBatch: 1000 },
  );

  /**
   * The fence in front of every submission: renews the lease for another `leaseMs` only while `lease` still holds
   * (nobody took the request over since, it is still open). false: the lease is lost and the submission must not leave.
   * The dispatcher then gives the connection until a quarter of the lease before its end to write the request (the
   * transport's `sendBy`), so the bytes are out well before any other instance may take the request and ask the agency
   * about it. Claims of one turn share a statement (StatementBatcher), like the marks.
   */
  async claimSubmission(id: string, lease: Lease, leaseMs: number): Promise<boolean> {
    return this.submissionClaims.add({ id, ...lease, leaseMs });
  }

  private readonly submissionClaims = new StatementBatcher<{ id: string; owner: string; epoch: string; leaseMs: number }, boolean>(
    async (calls) => {
      const rows = await this.sql.query<{ id: string }>(
        `UPDATE agency_request AS r SET lease_until = now() + c.lease_ms * interval '1 millisecond'
           FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::float8[]) AS c(request_id, owner, epoch, lease_ms)
          WHERE r.id = c.request_id AND r.lease_owner = c.owner AND r.lease_epoch = c.epoch AND r.${OPEN}
          RETURNING r.id::text AS id`,
        [calls.map((c) => c.id), calls.map((c) => c.owner), calls.map((c) => c.epoch), calls.map((c) => c.leaseMs)],
      );
      const claimed = new Set(rows.map((row) => row.id));
      return calls.map((c) => claimed.has(c.id.toLowerCase()));
    },
    { keysOf: (call) => [call.id], maxBatch: 500 },
  );

  /**
   * Records that the request is being handed over; the attempt counts from here.
   * Marks share statements (StatementBatcher): an inquiry's parts are all sent
   * in the same turn, and many inquiries arrive together. The mark goes out at
   * the end of the turn in which the request was sent, before its reply can be
   * read, and the dispatcher records no outcome before its mark. It never waits
   * for an earlier mark's statement: a takeover's mark must reach the database
   * before the first holder's late answer finishes the request, or the attempt
   * the agency saw would go uncounted.
   */
  markSent(id: string, lease: Lease): Promise<void> {
    return this.marks.add({ id, ...lease });
  }

  private readonly marks = new StatementBatcher<{ id: string; owner: string; epoch: string }, void>(
    async (calls) => {
      await this.sql.query(
        `UPDATE agency_request AS r SET status = '${SEND.to}', attempts = r.attempts + 1, sent_at = coalesce(r.sent_at, now())
           FROM unnest($1::uuid[], $2::text[], $3::bigint[]) AS m(request_id, owner, epoch)
          WHERE r.id = m.request_id AND r.lease_owner = m.owner AND r.lease_epoch = m.epoch AND r.status IN (${sqlList(SEND.from)})`,
        [calls.map((c) => c.id), calls.map((c) => c.owner), calls.map((c) => c.epoch)],
      );
      return calls.map(() => undefined);
    },
    // Every submission adds one attempt: two of the same request go in two statements.
    { keysOf: (call) => [call.id], maxBatch: 500, maxInFlight: Infinity },
  );

  /**
   * Gives the request back to the schedule: a ticket to poll later, or a retry after backoff.
   * Returns the time it falls due, as the database wrote it (see claimScheduled), or
   * undefined when it had been finished meanwhile (a callback overtook the reply) and nothing changed.
   * A request is never due later than its deadline, so that it is timed out (or found unconfirmed) then.
   * Reschedules made together share a statement (StatementBatcher).
   */
  reschedule(id: string, change: Reschedule): Promise<string | undefined> {
    return this.reschedules.add({ id, ...change });
  }

  private readonly reschedules = new StatementBatcher<RescheduleCall, string | undefined>(
    async (calls) => {
      const rows = await this.sql.query<{ id: string; next_attempt_at: string }>(
        `UPDATE agency_request AS r SET status = c.new_status::"AgencyRequestStatus", ticket = coalesce(c.new_ticket, r.ticket),
                next_attempt_at = CASE WHEN r.deadline_at > now()
                                       THEN least(r.deadline_at, now() + c.delay_ms * interval '1 millisecond')
                                       ELSE now() + c.delay_ms * interval '1 millisecond' END,
                lease_owner = NULL, lease_until = NULL, last_error = coalesce(c.error, r.last_error),
                lookups = r.lookups + c.lookups,
                failed_rounds = r.failed_rounds + (c.failed_try IS NOT NULL)::int,
                tries = CASE WHEN c.failed_try IS NULL THEN r.tries
                             ELSE (coalesce(r.tries, '{}') || c.failed_try)[greatest(1, cardinality(r.tries) - ${TRIES_KEPT - 2}):] END
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[], $5::text[], $6::int[], $7::text[], $8::text[], $9::bigint[])
             AS c(request_id, new_status, new_ticket, delay_ms, error, lookups, failed_try, owner, epoch)
          WHERE r.id = c.request_id AND r.${OPEN} AND ${FENCED("c")}
          RETURNING r.id::text AS id, r.next_attempt_at::text AS next_attempt_at`,
        [
          calls.map((c) => c.id),
          calls.map((c) => c.status),
          calls.map((c) => c.ticket ?? null),
          calls.map((c) => c.delayMs),
          calls.map((c) => c.error ?? null),
          calls.map((c) => c.lookups),
          calls.map((c) => c.failedTry ?? null),
          calls.map((c) => c.lease?.owner ?? null),
          calls.map((c) => c.lease?.epoch ?? null),
        ],
      );
      const due = new Map(rows.map((row) => [row.id, row.next_attempt_at]));
      return calls.map((c) => due.get(c.id));
    },
    { keysOf: (call) => [call.id], maxBatch: 500 },
  );

  /**
   * Leases one request that this instance rescheduled, when its own timer says
   * it is due: only if nobody holds it and its schedule is still the one that
   * reschedule returned, i.e. no one has polled, retried or finished it since.
   * The timer may run a few milliseconds ahead of the database's next_attempt_at
   * (which is stamped when the statement ran, after the agency's reply), so the
   * schedule is matched exactly rather than compared with now(). Timers that
   * fire together share a statement (StatementBatcher).
   */
  claimScheduled(id: string, nextAttemptAt: string, owner: string, leaseMs: number): Promise<LeasedRequest | undefined> {
    return this.scheduledClaims.add({ id, nextAttemptAt, owner, leaseMs });
  }

  private readonly scheduledClaims = new StatementBatcher<ScheduledClaim, LeasedRequest | undefined>(
    async (calls) => {
      const rows = await this.sql.query<LeasedRequest>(
        `UPDATE agency_request AS r SET lease_owner = c.owner, lease_until = now() + c.lease_ms * interval '1 millisecond',
                lease_epoch = r.lease_epoch + 1
           FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::float8[]) AS c(request_id, scheduled_at, owner, lease_ms)
          WHERE r.id = c.request_id AND r.next_attempt_at = c.scheduled_at AND r.${OPEN}
            AND (r.lease_until IS NULL OR r.lease_until < now())
          RETURNING ${LEASED_COLUMNS}`,
        [calls.map((c) => c.id), calls.map((c) => c.nextAttemptAt), calls.map((c) => c.owner), calls.map((c) => c.leaseMs)],
      );
      const claimed = new Map(rows.map((row) => [row.id, row]));
      return calls.map((c) => claimed.get(c.id));
    },
    { keysOf: (call) => [call.id], maxBatch: 500 },
  );

  /**
   * Finishes a request in one statement: its status and answer, its assets (one row per asset, its latest state,
   * and a sighting per request that found it: assets of several requests of the statement that are one asset
   * are upserted once, with the state of the latest in the batch, since a row can be changed once per statement),
   * its inquiry's count of open parts or its measure's change (FinishingChange),
   * and its audit row stand or fall together. A control request's audit row
   * says what the answer made of the measure (`detail.measure`), or
   * `measure: null` when the answer changed nothing (a stale answer): the
   * request's status alone does not say, and every change of a measure's state
   * belongs in the trail.
   *
   * Finishes share statements (StatementBatcher): answers arrive from many
   * agencies at once, and this is the statement the hub runs most.
   */
  finish(id: string, final: FinalRecord, audit: AuditEntry, change?: C): Promise<FinishResult> {
    return this.finishes.add({ id, final, audit, change });
  }

  private readonly finishes = new StatementBatcher<FinishCall<C>, FinishResult>((calls) => this.finishMany(calls), {
    // A request finishes once; a measure takes one change at a time, so that each sees the one before.
    keysOf: ({ id, change }) => (change !== undefined && Object.keys(change).length > 0 ? [id, "change"] : [id]),
    maxBatch: 200,
  });

  /**
   * The parts of one inquiry finished in the same statement count down in their
   * order: the last of them reports the inquiry's remaining open parts, each
   * earlier one one more, as if they had finished one after the other.
   */
  private async finishMany(calls: FinishCall<C>[]): Promise<FinishResult[]> {
    const input = calls.map(({ id, final, audit, change }, ord) => ({
      ord,
      request_id: id,
      final_status: final.status,
      findings: final.findings ? sealFindings(final.findings) : null,
      raw: final.raw === undefined ? null : dataCipher().seal(final.raw),
      reply_digest: final.replyDigest ?? null,
      error: final.error ?? null,
      lookups: final.lookups ?? 0,
      owner: final.lease?.owner ?? null,
      epoch: final.lease?.epoch ?? null,
      assets: (final.findings?.assets ?? []).map(assetRow),
      audit: auditRecord(audit),
      ...this.change.record(change ?? ({} as C)),
    }));
    const rows = await this.sql.query<{ ord: number; finished: boolean; open_parts: number | null; measure_status: string | null }>(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS i(ord int, request_id uuid, final_status "AgencyRequestStatus", findings jsonb,
                raw text, reply_digest text, error text, lookups int, owner text, epoch bigint, assets jsonb, audit jsonb,
                ${this.change.columns})),
       req AS (
         UPDATE agency_request AS r SET status = i.final_status, findings = i.findings, raw_reply = i.raw, reply_digest = i.reply_digest,
                last_error = coalesce(i.error, r.last_error), finished_at = now(), lease_owner = NULL, lease_until = NULL,
                lookups = r.lookups + i.lookups
           FROM input AS i
          WHERE r.id = i.request_id AND r.${OPEN} AND ${FENCED("i")}
          RETURNING i.ord, r.id, r.inquiry_id, r.measure_id, r.case_id, r.debtor_id, r.agency_kind),
       parts AS (
         SELECT inquiry_id, count(*)::int AS n FROM req WHERE inquiry_id IS NOT NULL GROUP BY inquiry_id),
       inq AS (
         UPDATE inquiry AS q SET open_parts = q.open_parts - p.n,
                completed_at = CASE WHEN q.open_parts = p.n THEN now() ELSE q.completed_at END
           FROM parts AS p WHERE q.id = p.inquiry_id
          RETURNING q.id, q.open_parts),
       found AS (
         SELECT DISTINCT ON (req.case_id, req.debtor_id, req.agency_kind, a.identity) req.case_id, req.debtor_id, req.agency_kind, req.id,
                a.identity, a.type, a.identifier, a.description, a.estimated_value, a.details
           FROM req JOIN input AS i ON i.ord = req.ord,
                jsonb_to_recordset(i.assets)
                  AS a(identity text, type text, identifier text, description text, estimated_value numeric, details jsonb)
          ORDER BY req.case_id, req.debtor_id, req.agency_kind, a.identity, req.ord DESC),
       assets AS (
         INSERT INTO asset AS t (id, case_id, debtor_id, agency_kind, identity, type, identifier, description, estimated_value, details,
                                 found_by)
         SELECT gen_random_uuid(), f.case_id, f.debtor_id, f.agency_kind, f.identity, f.type, f.identifier, f.description,
                f.estimated_value, f.details, f.id
           FROM found AS f ORDER BY f.case_id, f.debtor_id, f.agency_kind, f.identity
         ON CONFLICT (case_id, debtor_id, agency_kind, identity) DO UPDATE
            SET type = excluded.type, identifier = excluded.identifier, description = excluded.description,
                estimated_value = excluded.estimated_value, details = excluded.details, last_seen_at = now()
         RETURNING t.id, t.case_id, t.debtor_id, t.agency_kind, t.identity),
       sightings AS (
         INSERT INTO asset_sighting (id, asset_id, agency_request_id, identifier, description, estimated_value, details)
         SELECT DISTINCT ON (assets.id, req.id) gen_random_uuid(), assets.id, req.id, a.identifier, a.description, a.estimated_value,
                a.details
           FROM req JOIN input AS i ON i.ord = req.ord,
                jsonb_to_recordset(i.assets)
                  AS a(identity text, type text, identifier text, description text, estimated_value numeric, details jsonb),
                assets
          WHERE assets.case_id = req.case_id AND assets.debtor_id = req.debtor_id AND assets.agency_kind = req.agency_kind
            AND assets.identity = a.identity),
       meas AS (${this.change.update}),
       audit AS (
         INSERT INTO audit_event (${AUDIT_COLUMNS})
         SELECT e.actor_org, e.actor_officer, e.action, e.case_id, e.debtor_id, e.subject_id, e.purpose, e.sent_digest, e.reply_digest,
                CASE WHEN req.measure_id IS NULL THEN e.detail
                     ELSE e.detail || jsonb_build_object('${this.change.auditKey}',
                                                         (SELECT to_jsonb(m) - 'ord' FROM meas AS m WHERE m.ord = req.ord)) END
           FROM req JOIN input AS i ON i.ord = req.ord, jsonb_to_record(i.audit) AS e(${AUDIT_RECORD_COLUMNS})
          ORDER BY req.ord)
       SELECT i.ord, req.ord IS NOT NULL AS finished,
              CASE WHEN req.inquiry_id IS NOT NULL
                   THEN inq.open_parts + parts.n
                     - (row_number() OVER (PARTITION BY req.inquiry_id ORDER BY req.ord))::int END AS open_parts,
              meas.status AS measure_status
         FROM input AS i LEFT JOIN req ON req.ord = i.ord LEFT JOIN parts ON parts.inquiry_id = req.inquiry_id
              LEFT JOIN inq ON inq.id = req.inquiry_id LEFT JOIN meas ON meas.ord = i.ord
        ORDER BY i.ord`,
      [JSON.stringify(input)],
    );
    return rows.map((row) => ({ finished: row.finished, openParts: row.open_parts, measureStatus: row.measure_status }));
  }

  /**
   * A request as an agency's callback names it; callbacks arriving together are looked up in one query.
   * A key that is no request id at all names no request, and must not fail the others' lookup.
   */
  findLeaseable(id: string): Promise<LeasedRequest | undefined> {
    return UUID.test(id) ? this.lookups.add(id) : Promise.resolve(undefined);
  }

  private readonly lookups = new StatementBatcher<string, LeasedRequest | undefined>(
    async (ids) => {
      const rows = await this.sql.query<LeasedRequest>(`SELECT ${LEASED_COLUMNS} FROM agency_request WHERE id = ANY($1::uuid[])`, [ids]);
      const found = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => found.get(id.toLowerCase()));
    },
    { keysOf: () => [], maxBatch: 500 },
  );
}

/** An endpoint and how many more of its requests an instance may hold now. */
export interface EndpointRoom {
  kind: AgencyKind;
  endpointKey: string;
  room: number;
}

/** How a request goes back to the schedule. */
export interface Reschedule {
  /** The lease it is rescheduled under; absent for an agency's own answer by callback, which any instance may record. */
  lease?: Lease;
  status: RescheduledStatus;
  ticket?: string;
  delayMs: number;
  error?: string;
  /** Lookups made in the round. */
  lookups: number;
  /** What happened, when the round ended without an answer: one more failed round, kept among the tries. */
  failedTry?: string;
}

interface RescheduleCall extends Reschedule {
  id: string;
}

interface ScheduledClaim {
  id: string;
  nextAttemptAt: string;
  owner: string;
  leaseMs: number;
}

/** How a request ends: its final status, the agency's reply, and the lookups of the last round. */
export interface FinalRecord {
  status: FinalStatus;
  findings?: InquiryFindings;
  raw?: string;
  replyDigest?: string;
  error?: string;
  lookups?: number;
  /** The lease it is finished under; absent for an agency's own answer by callback, which any instance may record. */
  lease?: Lease;
}

interface FinishCall<C> {
  id: string;
  final: FinalRecord;
  audit: AuditEntry;
  change?: C;
}

function assetRow(asset: AssetFinding) {
  return {
    identity: assetIdentity(asset),
    type: asset.type,
    identifier: asset.identifier,
    description: asset.description,
    estimated_value: asset.estimatedValue ?? null,
    details: asset,
  };
}
