/**
 * The expiry watch (Henan High Court supervision opinion, item 13: 杜绝处置期间"脱封"): measures whose last
 * day has passed unrenewed are recorded as lapsed (查扣冻规定 2020 art. 27), and
 * measures nearing expiry are announced 30, 7 and 1 days ahead, once each. The
 * clock is injected so that tests move time instead of sleeping. A deduction (划拨) is a
 * transfer done once, with no period (maximumPeriod.ts): it neither lapses nor expires.
 */
import { todayInChina } from "../../domain/calendarDate.js";
import { expiryWarningsDue } from "../../domain/measures/lapse.js";
import { AUDIT_COLUMNS } from "../../gateway/audit/auditEvent.js";
import type { HubEvents } from "../../gateway/events/hubEvents.js";
import type { Logger } from "../../gateway/logger.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { MEASURE_TRANSITIONS } from "../../domain/measures/measureLifecycle.js";
import { sqlList } from "../../gateway/persistence/lifecycleSql.js";

/** What lapses is also what is warned of before it does. */
const LAPSE = MEASURE_TRANSITIONS.LAPSE;
import { CoalescingWake } from "../../gateway/workers/coalescingWake.js";
import type { Worker } from "../../gateway/workers/worker.js";

export interface ExpiryWatchResult {
  lapsed: number;
  warned: number;
}

/** When the expiry watch runs. */
export interface ExpiryWatchOptions {
  /**
   * How often it looks for lapsed and expiring measures (HubConfig.expiryWatchIntervalMs).
   * @default 3_600_000 (an hour)
   */
  intervalMs: number;
}

export const DEFAULT_EXPIRY_WATCH: ExpiryWatchOptions = { intervalMs: 60 * 60_000 };

export class ExpiryWatch implements Worker {
  private readonly loop: CoalescingWake;

  constructor(
    private readonly deps: { sql: Sql; events: HubEvents; clock: () => Date; log: Logger },
    private readonly options: ExpiryWatchOptions = DEFAULT_EXPIRY_WATCH,
  ) {
    this.loop = new CoalescingWake(
      () => this.runOnce(),
      (error) => this.deps.log.error({ err: error }, "expiry watch failed; will retry"),
    );
  }

  start(): void {
    this.loop.start(this.options.intervalMs);
    // A pass at start as well as on schedule: restarted more often than the interval, an instance would never run one.
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  async runOnce(): Promise<ExpiryWatchResult> {
    const now = this.deps.clock();
    const today = todayInChina(now);
    const lapsed = await this.deps.sql.query<{ id: string; case_id: string; court_code: string; expires_on: string }>(
      `WITH lapsed AS (
         UPDATE measure SET status = '${LAPSE.to}', rank = NULL, lapsed_at = now(), updated_at = now()
          WHERE status IN (${sqlList(LAPSE.from)}) AND kind <> 'DEDUCT' AND expires_on < $1::date
          RETURNING id, case_id, debtor_id, kind, asset_identifier, expires_on),
       audit AS (
         INSERT INTO audit_event (${AUDIT_COLUMNS})
         SELECT 'HUB', NULL, 'MEASURE_LAPSED', case_id, debtor_id, id::text, NULL, NULL, NULL,
                jsonb_build_object('kind', kind, 'asset', asset_identifier, 'expiresOn', expires_on::text)
           FROM lapsed)
       SELECT l.id::text AS id, l.case_id::text AS case_id, c.court_code, l.expires_on::text AS expires_on
         FROM lapsed l JOIN enforcement_case c ON c.id = l.case_id`,
      [today],
    );
    for (const measure of lapsed) {
      this.deps.events.publish("MEASURE", {
        caseId: measure.case_id,
        courtCode: measure.court_code,
        measureId: measure.id,
        status: LAPSE.to,
        warningDays: null,
      });
    }

    const nearing = await this.deps.sql.query<{
      id: string;
      case_id: string;
      court_code: string;
      expires_on: string;
      warned_days: number[];
    }>(
      `SELECT m.id::text AS id, m.case_id::text AS case_id, c.court_code, m.expires_on::text AS expires_on, m.warned_days
         FROM measure m JOIN enforcement_case c ON c.id = m.case_id
        WHERE m.status IN (${sqlList(LAPSE.from)}) AND m.kind <> 'DEDUCT' AND m.expires_on <= ($1::date + 30)`,
      [today],
    );
    let warned = 0;
    for (const measure of nearing) {
      const due = expiryWarningsDue(measure.expires_on, now, measure.warned_days);
      if (due.length === 0) continue;
      // Guarded on the warnings already recorded, so two instances never announce the same one.
      const [claimed] = await this.deps.sql.query(
        `UPDATE measure SET warned_days = warned_days || $2::int[] WHERE id = $1::uuid AND NOT (warned_days && $2::int[]) RETURNING id`,
        [measure.id, due],
      );
      if (!claimed) continue;
      warned += 1;
      this.deps.events.publish("MEASURE", {
        caseId: measure.case_id,
        courtCode: measure.court_code,
        measureId: measure.id,
        status: "EXPIRING",
        warningDays: Math.min(...due),
      });
    }
    return { lapsed: lapsed.length, warned };
  }
}
