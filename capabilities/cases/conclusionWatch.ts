/**
 * The watch over 终本 cases (法〔2016〕373号 art. 16): for five years after 终本 the hub runs the national inquiry
 * again every six months for each debtor, as the case's court would (the inquiry is the court's, asked by "HUB"),
 * settles each round once its inquiries are all answered (the assets it saw first are what is new), marks a case
 * whose round found something as resumable, and records when a second round after 终本 found nothing (失信规定
 * art. 10 item 4). Each due case is claimed with a guarded UPDATE of its schedule in the transaction that records
 * the round, so two instances never both start one; a round and its settlement each happen once.
 */
import { randomUUID } from "node:crypto";
import { todayInChina } from "../../domain/calendarDate.js";
import { nextReinquiry, secondFruitlessInquiryOn } from "../../domain/cases/conclusionWatch.js";
import { appendAudit } from "../../gateway/audit/auditEvent.js";
import type { Principal } from "../../gateway/auth/principal.js";
import type { HubEvents } from "../../gateway/events/hubEvents.js";
import type { Logger } from "../../gateway/logger.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { CoalescingWake } from "../../gateway/workers/coalescingWake.js";
import type { Worker } from "../../gateway/workers/worker.js";
import type { InquiryService } from "../inquiry/inquiryService.js";
import type { RecordedInquiry } from "../inquiry/inquiryStore.js";
import { openDebtor, type CaseRow, type DebtorRow } from "./caseAccess.js";

/** Who asks, in the court's name, in the inquiry's audit row and at the agencies. */
export const WATCH_OFFICER = "HUB";

export const REINQUIRY_PURPOSE = "终本后定期查询 (法〔2016〕373号 art. 16)";

/** When the watch runs. */
export interface ConclusionWatchOptions {
  /**
   * How often it looks for rounds falling due and rounds answered (HUB_CONCLUSION_WATCH_INTERVAL_MS).
   * @default 3_600_000 (an hour)
   */
  intervalMs: number;
}

export const DEFAULT_CONCLUSION_WATCH: ConclusionWatchOptions = { intervalMs: 60 * 60_000 };

export interface ConclusionWatchResult {
  started: number;
  settled: number;
}

/** A 终本 case whose next round falls due, as the watch schedules it (conclusion_watch.next_due_on). */
export interface DueReinquiry {
  case_id: string;
  case_number: string;
  court_code: string;
  concluded_on: string;
  last_round: number;
  next_due_on: string;
  /** The day (in China) of the last inquiry made since 终本, by the watch or by the court; null if none. */
  last_inquiry_on: string | null;
}

/**
 * 终本 cases whose next round falls due by `dueBy` (YYYY-MM-DD), soonest first: what the watch starts (every court,
 * `courts` null) and what officers and supervisors see coming (their courts). One reading of the schedule for all.
 */
export function dueReinquiries(sql: Sql, dueBy: string, courts: readonly string[] | null, limit: number): Promise<DueReinquiry[]> {
  return sql.query<DueReinquiry>(
    `SELECT w.case_id::text AS case_id, c.case_number, c.court_code, w.concluded_on::text AS concluded_on, w.last_round,
            w.next_due_on::text AS next_due_on, to_char(i.last_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS last_inquiry_on
       FROM conclusion_watch w JOIN enforcement_case c ON c.id = w.case_id
       LEFT JOIN LATERAL (SELECT max(created_at) AS last_at FROM inquiry
                           WHERE case_id = c.id AND created_at >= (w.concluded_on + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') i ON true
      WHERE c.status = 'CONCLUDED' AND w.next_due_on <= $1::date AND ($2::text[] IS NULL OR c.court_code = ANY ($2::text[]))
      ORDER BY w.next_due_on, c.case_number LIMIT $3`,
    [dueBy, courts, limit],
  );
}

export class ConclusionWatch implements Worker {
  private readonly loop: CoalescingWake;

  constructor(
    private readonly deps: { sql: Sql; inquiries: InquiryService; events: HubEvents; clock: () => Date; log: Logger; instanceId: string },
    private readonly options: ConclusionWatchOptions = DEFAULT_CONCLUSION_WATCH,
  ) {
    this.loop = new CoalescingWake(
      () => this.runOnce(),
      (error) => this.deps.log.error({ err: error }, "conclusion watch failed; will retry"),
    );
  }

  start(): void {
    this.loop.start(this.options.intervalMs);
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  async runOnce(): Promise<ConclusionWatchResult> {
    // Settled first, so that a round answered since the last pass counts before the next one is started.
    const settled = await this.settleAnswered();
    const today = todayInChina(this.deps.clock());
    const due = await dueReinquiries(this.deps.sql, today, null, 200);
    let started = 0;
    for (const watch of due) {
      try {
        if (await this.startRound(watch, today)) started += 1;
      } catch (error) {
        this.deps.log.error({ err: error, caseId: watch.case_id }, "re-inquiry of a 终本 case not started; will retry");
      }
    }
    return { started, settled };
  }

  private async startRound(watch: DueReinquiry, today: string): Promise<boolean> {
    const round = nextReinquiry(watch.concluded_on, watch.last_round, today);
    const started = await this.deps.sql.transaction(async (tx) => {
      // The claim: only the instance whose UPDATE still finds the schedule it read starts the round.
      const after = round && nextReinquiry(watch.concluded_on, round.round, today);
      const [claimed] = await tx.query<{ case_id: string }>(
        `UPDATE conclusion_watch SET last_round = $4, next_round = $5, next_due_on = $6::date
          WHERE case_id = $1::uuid AND last_round = $2 AND next_due_on = $3::date RETURNING case_id`,
        [watch.case_id, watch.last_round, watch.next_due_on, round?.round ?? watch.last_round, after?.round ?? null, after?.dueOn ?? null],
      );
      if (!claimed || !round) return undefined;
      const [enforcementCase] = await tx.query<CaseRow>(
        `SELECT id::text AS id, case_number, court_code, division_code, claim_amount::text AS claim_amount, status::text AS status,
                kind::text AS kind
           FROM enforcement_case WHERE id = $1::uuid`,
        [watch.case_id],
      );
      // Sealed numbers sort at random: the debtors are ordered once opened.
      const debtors = (
        await tx.query<DebtorRow>(`SELECT id::text AS id, kind::text AS kind, id_number, name FROM debtor WHERE case_id = $1::uuid`, [
          watch.case_id,
        ])
      )
        .map(openDebtor)
        .sort((a, b) => a.id_number.localeCompare(b.id_number));
      const forCourt: Principal = { org: enforcementCase.court_code, roles: ["CASE_OFFICER"], officer: WATCH_OFFICER };
      const recorded: RecordedInquiry[] = [];
      for (const debtor of debtors) {
        recorded.push(
          await this.deps.inquiries.record(tx, forCourt, enforcementCase, debtor, {
            channel: "NATIONAL",
            purpose: `${REINQUIRY_PURPOSE}, round ${round.round}`,
            trigger: "CONCLUSION_WATCH",
          }),
        );
      }
      const reinquiryId = randomUUID();
      await tx.query(
        `INSERT INTO reinquiry (id, case_id, round, due_on, started_at, started_by, inquiry_ids)
         VALUES ($1::uuid, $2::uuid, $3, $4::date, $5, $6, $7::text[])`,
        [reinquiryId, watch.case_id, round.round, round.dueOn, this.deps.clock(), this.deps.instanceId, recorded.map((r) => r.inquiryId)],
      );
      await appendAudit(tx, {
        actorOrg: "HUB",
        actorOfficer: null,
        action: "CASE_REINQUIRY_STARTED",
        caseId: watch.case_id,
        subjectId: reinquiryId,
        purpose: REINQUIRY_PURPOSE,
        detail: {
          forCourt: enforcementCase.court_code,
          round: round.round,
          dueOn: round.dueOn,
          inquiries: recorded.map((r) => r.inquiryId),
        },
      });
      return { enforcementCase, recorded, reinquiryId, round: round.round };
    });
    if (!started) return false;
    for (const inquiry of started.recorded) this.deps.inquiries.send(started.enforcementCase, inquiry);
    this.deps.events.publish("REINQUIRY", {
      caseId: started.enforcementCase.id,
      courtCode: started.enforcementCase.court_code,
      reinquiryId: started.reinquiryId,
      round: started.round,
      status: "STARTED",
      newAssets: null,
      resumable: false,
    });
    return true;
  }

  /** Rounds whose inquiries are all answered: what they saw first, the case's resumable flag and art. 10 item 4. */
  private async settleAnswered(): Promise<number> {
    const answered = await this.deps.sql.query<{ id: string }>(
      `SELECT r.id::text AS id FROM reinquiry r
        WHERE r.settled_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM inquiry i WHERE i.id = ANY (r.inquiry_ids::uuid[]) AND i.completed_at IS NULL)
        ORDER BY r.started_at LIMIT 200`,
    );
    let settled = 0;
    for (const { id } of answered) {
      const at = this.deps.clock();
      const outcome = await this.deps.sql.transaction(async (tx) => {
        const [round] = await tx.query<{ case_id: string; round: number; new_asset_ids: string[] }>(
          `UPDATE reinquiry r SET settled_at = $2,
                  new_asset_ids = coalesce((SELECT array_agg(a.id::text ORDER BY a.id)
                                              FROM asset a JOIN agency_request q ON q.id = a.found_by
                                             WHERE q.inquiry_id = ANY (r.inquiry_ids::uuid[])), '{}')
            WHERE r.id = $1::uuid AND r.settled_at IS NULL
            RETURNING r.case_id::text AS case_id, r.round, r.new_asset_ids`,
          [id, at],
        );
        if (!round) return undefined;
        const rounds = await tx.query<{ settled_at: Date; new_assets: number }>(
          `SELECT settled_at, cardinality(new_asset_ids) AS new_assets FROM reinquiry WHERE case_id = $1::uuid AND settled_at IS NOT NULL`,
          [round.case_id],
        );
        const fruitlessTwiceOn = secondFruitlessInquiryOn(
          rounds.map((r) => ({ settledOn: todayInChina(new Date(r.settled_at)), newAssets: Number(r.new_assets) })),
        );
        const [watch] = await tx.query<{ court_code: string; resumable: boolean }>(
          `UPDATE conclusion_watch w
              SET resumable_since = CASE WHEN $2 THEN coalesce(w.resumable_since, $3) ELSE w.resumable_since END,
                  second_fruitless_on = $4::date
             FROM enforcement_case c
            WHERE w.case_id = $1::uuid AND c.id = w.case_id
           RETURNING c.court_code, w.resumable_since IS NOT NULL AS resumable`,
          [round.case_id, round.new_asset_ids.length > 0, at, fruitlessTwiceOn],
        );
        await appendAudit(tx, {
          actorOrg: "HUB",
          actorOfficer: null,
          action: "CASE_REINQUIRY_SETTLED",
          caseId: round.case_id,
          subjectId: id,
          purpose: REINQUIRY_PURPOSE,
          detail: { round: round.round, newAssets: round.new_asset_ids, resumable: watch.resumable, secondFruitlessOn: fruitlessTwiceOn },
        });
        return { ...round, ...watch };
      });
      if (!outcome) continue;
      settled += 1;
      this.deps.events.publish("REINQUIRY", {
        caseId: outcome.case_id,
        courtCode: outcome.court_code,
        reinquiryId: id,
        round: outcome.round,
        status: "SETTLED",
        newAssets: outcome.new_asset_ids.length,
        resumable: outcome.resumable,
      });
    }
    return settled;
  }
}
