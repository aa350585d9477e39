/**
 * Releases that wait for the agency's answer to the order (measureService.ts):
 * held as QUEUED agency requests due at HELD_UNTIL, they are let go once the
 * measure is no longer REQUESTED. Sent as soon as the order took effect or
 * queued; answered at once, unsent, when it was refused or failed (there is
 * nothing at the agency to release). The measure's events (from any instance,
 * HubEvents) trigger the check; at start it runs for whatever a crash left held.
 * Each held request is let go once: the statement locks it and changes its status
 * or its schedule, so instances racing on the same event find nothing the second time.
 */
import { AUDIT_COLUMNS } from "../../gateway/audit/auditEvent.js";
import { LEASED_COLUMNS, type LeasedRequest } from "../../gateway/dispatch/agencyRequestStore.js";
import type { Dispatcher } from "../../gateway/dispatch/dispatcher.js";
import type { HubEvents, MeasureEvent } from "../../gateway/events/hubEvents.js";
import type { Logger } from "../../gateway/logger.js";
import type { Sql } from "../../gateway/persistence/database.js";
import type { Worker } from "../../gateway/workers/worker.js";
import { HELD_UNTIL } from "./measureStore.js";
import { AGENCY_REQUEST_TRANSITIONS } from "../../domain/inquiry/agencyRequestLifecycle.js";
import { AWAITING_ANSWER, MEASURE_TRANSITIONS, ORDER_ANSWERS, RELEASABLE_AT_AGENCY } from "../../domain/measures/measureLifecycle.js";
import { sqlList } from "../../gateway/persistence/lifecycleSql.js";

/** The statuses an order's answer leaves a measure in; other events (releases, lapses, warnings) cannot free a held release. */
const ANSWERS_TO_AN_ORDER = new Set<string>(ORDER_ANSWERS.map((event) => MEASURE_TRANSITIONS[event].to));
/** Ordered, the order not yet answered. */
const ORDERED = sqlList(AWAITING_ANSWER);
/** A release has (or may have) something at the agency to release; from any other answer it is moot. */
const AT_AGENCY = sqlList(RELEASABLE_AT_AGENCY);

export class HeldReleases implements Worker {
  private listening?: AsyncIterableIterator<MeasureEvent>;
  private loop?: Promise<void>;

  constructor(
    private readonly deps: {
      sql: Sql;
      dispatcher: Pick<Dispatcher, "dispatch">;
      events: HubEvents;
      lease: { owner: string; leaseMs: number };
      log: Logger;
    },
  ) {}

  start(): void {
    const events = this.deps.events.pubSub.subscribe("MEASURE");
    this.listening = events;
    const following = (async () => {
      for await (const event of events) {
        if (!ANSWERS_TO_AN_ORDER.has(event.status)) continue;
        await this.letGo(event.measureId).catch((error: unknown) =>
          this.deps.log.error({ err: error, measureId: event.measureId }, "letting a held release go failed"),
        );
      }
    })();
    const leftByACrash = this.letGo().catch((error: unknown) => this.deps.log.error({ err: error }, "letting held releases go failed"));
    this.loop = Promise.all([following, leftByACrash]).then(() => undefined);
  }

  async stop(): Promise<void> {
    await this.listening?.return?.();
    await this.loop;
  }

  /** Lets go the held releases of one measure (or of all) whose order has been answered. */
  async letGo(measureId?: string): Promise<void> {
    const sent = await this.deps.sql.query<LeasedRequest>(
      `WITH settled AS (
         SELECT r.id AS request_id, m.status::text AS measure_status FROM agency_request r JOIN measure m ON m.id = r.measure_id
          WHERE r.status = 'QUEUED' AND r.next_attempt_at = $1::timestamptz AND m.status NOT IN (${ORDERED})
            AND ($2::uuid IS NULL OR r.measure_id = $2::uuid)
          FOR UPDATE OF r SKIP LOCKED),
       moot AS (
         UPDATE agency_request r SET status = '${AGENCY_REQUEST_TRANSITIONS.ANSWER.to}', finished_at = now(),
                last_error = 'not sent: the order was ' || lower(s.measure_status) || ', so there is nothing at the agency to release'
           FROM settled s WHERE r.id = s.request_id AND s.measure_status NOT IN (${AT_AGENCY})
          RETURNING r.id, r.case_id, r.debtor_id, r.measure_id, s.measure_status, r.payload),
       audit AS (
         INSERT INTO audit_event (${AUDIT_COLUMNS})
         SELECT payload->>'courtCode', NULL, 'MEASURE_RELEASE_MOOT', case_id, debtor_id, measure_id::text, 'RELEASE not sent', NULL, NULL,
                jsonb_build_object('request', id::text, 'measureStatus', measure_status)
           FROM moot)
       UPDATE agency_request r SET next_attempt_at = now(), deadline_at = now() + (r.deadline_at - r.created_at),
              lease_owner = $3, lease_until = now() + $4 * interval '1 millisecond', lease_epoch = r.lease_epoch + 1
         FROM settled s WHERE r.id = s.request_id AND s.measure_status IN (${AT_AGENCY})
       RETURNING ${LEASED_COLUMNS}`,
      [HELD_UNTIL, measureId ?? null, this.deps.lease.owner, this.deps.lease.leaseMs],
    );
    if (sent.length > 0) this.deps.dispatcher.dispatch(sent);
  }
}
