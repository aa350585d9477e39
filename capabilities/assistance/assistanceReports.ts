/**
 * The police's signed reports of what came of a request for assistance: the
 * debtor located, under temporary control, the vehicle seized, the exit
 * restriction registered or lifted, or that it could not be done. The
 * connector verifies the signature; the assistance, the restriction a lift
 * ends, and their audit rows change in one transaction; a report applied
 * twice changes nothing the second time.
 *
 * A report can be lost (the hub was down or unreachable while the police
 * retried): an assistance accepted and not reported for `checkAfterMs` is
 * asked about (checkOverdue), at most once per that interval, by whichever
 * instance claims it first, and the report is applied the same way.
 */
import {
  AgencyProtocolError,
  canAssist,
  type AgencyConnector,
  type AgencyKind,
  type AssistanceConnector,
  type AssistanceReport,
} from "../../connectors/connector.js";
import { appendAudit } from "../../gateway/audit/auditEvent.js";
import { sm3 } from "../../gateway/audit/sm3.js";
import type { HubEvents, PoliceAssistanceEvent } from "../../gateway/events/hubEvents.js";
import type { Logger } from "../../gateway/logger.js";
import type { Sql } from "../../gateway/persistence/database.js";
import type { AgencyRoutes } from "../../gateway/routing/agencyRoutes.js";
import { ASSISTANCE_TRANSITIONS, REPORTED, assistanceLifecycle } from "../../domain/assistance/assistanceLifecycle.js";
import { sqlList } from "../../gateway/persistence/lifecycleSql.js";
import { recordPoliceSeizure } from "../measures/policeSeizures.js";

/** Accepted, and so awaiting the police's report. */
const ACCEPTED = ASSISTANCE_TRANSITIONS.ACCEPT.to;
const LIFT = ASSISTANCE_TRANSITIONS.LIFT;
import { CoalescingWake } from "../../gateway/workers/coalescingWake.js";
import type { Worker } from "../../gateway/workers/worker.js";

interface Changed {
  id: string;
  case_id: string;
  debtor_id: string;
  kind: string;
  status: string;
  lifts_id: string | null;
  court_code: string;
}

/** When lost reports are asked for. */
export interface AssistanceReportsOptions {
  /**
   * How long an accepted assistance may go without a report before the police are asked for it; also how
   * often to look (HUB_ASSISTANCE_REPORT_CHECK_MS).
   * @default 300_000 (5 minutes)
   */
  checkAfterMs: number;
}

export const DEFAULT_ASSISTANCE_REPORTS: AssistanceReportsOptions = { checkAfterMs: 5 * 60_000 };

export class AssistanceReports implements Worker {
  private readonly loop: CoalescingWake;

  constructor(
    private readonly deps: {
      sql: Sql;
      routes: AgencyRoutes;
      connectors: Record<AgencyKind, AgencyConnector>;
      events: HubEvents;
      log: Logger;
    },
    private readonly options: AssistanceReportsOptions = DEFAULT_ASSISTANCE_REPORTS,
  ) {
    this.loop = new CoalescingWake(
      () => this.checkOverdue(),
      (error) => this.deps.log.error({ err: error }, "checking for lost assistance reports failed; will retry"),
    );
  }

  start(): void {
    this.loop.start(this.options.checkAfterMs);
    // A pass at start as well as on schedule: restarted more often than the interval, an instance would never run one.
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** A report the police POSTed to /agency-callbacks/<AGENCY>/assistance. */
  async accept(kind: AgencyKind, body: string, headers: Record<string, string | undefined>): Promise<void> {
    const connector = this.assisting(kind);
    const route = this.deps.routes.anyEndpoint(kind);
    await this.apply(kind, connector.acceptAssistanceReport(body, headers, { transport: route.transport, secret: route.secret }), body);
  }

  /** Asks the police for the reports of assistance accepted and unreported for too long; returns how many were asked about. */
  async checkOverdue(limit = 20): Promise<number> {
    const due = await this.deps.sql.query<{ request_id: string; endpoint_key: string }>(
      `UPDATE police_assistance SET report_checked_at = now()
        WHERE id IN (
          SELECT id FROM police_assistance
           WHERE status = '${ACCEPTED}' AND coalesce(report_checked_at, updated_at) < now() - $1 * interval '1 millisecond'
           ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING request_id::text AS request_id, endpoint_key`,
      [this.options.checkAfterMs, limit],
    );
    const kind: AgencyKind = "POLICE";
    const connector = this.assisting(kind);
    await Promise.all(
      due.map(async ({ request_id, endpoint_key }) => {
        try {
          const route = this.deps.routes.byKey(kind, endpoint_key);
          const status = await connector.assistanceStatus(request_id, { transport: route.transport, secret: route.secret });
          if (status) await this.apply(kind, status.report, status.raw);
        } catch (error) {
          // Asked again after the next interval.
          this.deps.log.warn({ err: error, requestId: request_id }, "asking the police for an assistance report failed");
        }
      }),
    );
    return due.length;
  }

  private assisting(kind: AgencyKind): AgencyConnector & AssistanceConnector {
    const connector = this.deps.connectors[kind];
    if (!canAssist(connector)) throw new AgencyProtocolError(`${kind} does not report on assistance`);
    return connector;
  }

  private async apply(kind: AgencyKind, report: AssistanceReport, body: string): Promise<void> {
    const { requestKey, reference, outcome, at, ...result } = report;
    const changed = await this.deps.sql.transaction(async (tx) => {
      // Only an assistance the police have not reported on yet moves; the report may overtake their acceptance.
      const [assistance] = await tx.query<Changed>(
        `UPDATE police_assistance a SET status = $2::"PoliceAssistanceStatus", agency_reference = coalesce(a.agency_reference, $3),
                result = $4::jsonb, result_at = $5::timestamptz, updated_at = now()
           FROM enforcement_case c
          WHERE a.request_id = $1::uuid AND a.status::text = ANY($6::text[]) AND c.id = a.case_id
          RETURNING a.id::text AS id, a.case_id::text AS case_id, a.debtor_id::text AS debtor_id, a.kind, a.status::text AS status,
                    a.lifts_id::text AS lifts_id, c.court_code`,
        [requestKey, outcome, reference, JSON.stringify(result), at, assistanceLifecycle.statusesFrom(REPORTED[outcome])],
      );
      if (!assistance) return { rows: [] };
      const audit = {
        actorOrg: kind,
        action: "POLICE_ASSISTANCE_REPORTED",
        caseId: assistance.case_id,
        debtorId: assistance.debtor_id,
        replyDigest: sm3(body),
      };
      await appendAudit(tx, {
        ...audit,
        subjectId: assistance.id,
        purpose: `POLICE ${assistance.kind}`,
        detail: { outcome, reference, at, ...result },
      });
      if (assistance.kind === "SEIZE_VEHICLE" && outcome === "DONE") {
        return { rows: [assistance], seizure: await recordPoliceSeizure(tx, assistance.id, { at, reference }) };
      }
      if (assistance.kind !== "LIFT_EXIT_RESTRICTION" || outcome !== "DONE" || assistance.lifts_id === null) return { rows: [assistance] };
      const [lifted] = await tx.query<Changed>(
        `UPDATE police_assistance SET status = '${LIFT.to}', updated_at = now() WHERE id = $1::uuid AND status IN (${sqlList(LIFT.from)})
          RETURNING id::text AS id, case_id::text AS case_id, debtor_id::text AS debtor_id,
            kind, status::text AS status, lifts_id::text AS lifts_id, $2::text AS court_code`,
        [assistance.lifts_id, assistance.court_code],
      );
      if (!lifted) return { rows: [assistance] };
      await appendAudit(tx, {
        ...audit,
        action: "EXIT_RESTRICTION_LIFTED",
        subjectId: lifted.id,
        purpose: "POLICE RESTRICT_EXIT",
        detail: { liftedBy: assistance.id, at, ...result },
      });
      return { rows: [assistance, lifted] };
    });
    for (const row of changed.rows) this.deps.events.publish("POLICE_ASSISTANCE", toEvent(row));
    if (changed.seizure) {
      const courtCode = changed.rows[0].court_code;
      this.deps.events.publish("MEASURE", { ...changed.seizure, courtCode, warningDays: null });
    }
  }
}

function toEvent(row: Changed): PoliceAssistanceEvent {
  return { caseId: row.case_id, courtCode: row.court_code, assistanceId: row.id, kind: row.kind, status: row.status };
}
