/**
 * Reports an agency sends on its own about a measure: that a queued measure
 * took effect because the one ahead of it was released or lapsed (查扣冻规定
 * 2020 art. 26), or, from agencies that answer control requests later (banks),
 * the answer to one, or, from a payer under a withholding order, a month's withholding (incomeWithholdings.ts).
 * The connector verifies the signature; applying a report
 * twice changes nothing the second time.
 */
import {
  AgencyProtocolError,
  canControl,
  type AgencyConnector,
  type AgencyKind,
  type ControlAnswerReport,
  type TookEffectReport,
  type WithheldReport,
} from "../../connectors/connector.js";
import { recordWithholding } from "./incomeWithholdings.js";
import { todayInChina } from "../../domain/calendarDate.js";
import type { AssetCategory, MeasureKind } from "../../domain/measures/measureKinds.js";
import { periodOnTakingEffect } from "../../domain/measures/queuedPeriod.js";
import { AUDIT_COLUMNS } from "../../gateway/audit/auditEvent.js";
import { sm3 } from "../../gateway/audit/sm3.js";
import type { HubEvents } from "../../gateway/events/hubEvents.js";
import type { Sql } from "../../gateway/persistence/database.js";
import type { AgencyRoutes } from "../../gateway/routing/agencyRoutes.js";
import { MEASURE_TRANSITIONS } from "../../domain/measures/measureLifecycle.js";
import { sqlList } from "../../gateway/persistence/lifecycleSql.js";

const TOOK_EFFECT = MEASURE_TRANSITIONS.REPORT_EFFECTIVE;

export class MeasureReports {
  constructor(
    private readonly deps: {
      sql: Sql;
      routes: AgencyRoutes;
      connectors: Record<AgencyKind, AgencyConnector>;
      events: HubEvents;
      /** Finishes the control request an answer belongs to (the dispatcher). */
      answers: { settle(kind: AgencyKind, answer: Pick<ControlAnswerReport, "idempotencyKey" | "outcome">): Promise<void> };
      /** The hub's clock: the day a withholding is counted against the claim. Default the real time. */
      clock?: () => Date;
    },
  ) {}

  async accept(kind: AgencyKind, body: string, headers: Record<string, string | undefined>): Promise<void> {
    const connector = this.deps.connectors[kind];
    if (!canControl(connector)) throw new AgencyProtocolError(`${kind} does not report on measures`);
    const route = this.deps.routes.anyEndpoint(kind);
    const report = connector.acceptMeasureReport(body, headers, { transport: route.transport, secret: route.secret });
    if (report.event === "ANSWERED") return this.deps.answers.settle(kind, report);
    if (report.event === "WITHHELD") return this.withheld(kind, report, body);
    return this.tookEffect(kind, report, body);
  }

  private async withheld(kind: AgencyKind, report: WithheldReport, body: string): Promise<void> {
    const today = todayInChina((this.deps.clock ?? (() => new Date()))());
    const recorded = await recordWithholding(this.deps.sql, kind, report, body, today);
    if (recorded) this.deps.events.publish("MEASURE", { ...recorded, warningDays: null });
  }

  /** The queued measure is in effect from now on, and its period moves with it (queuedPeriod.ts). */
  private async tookEffect(kind: AgencyKind, report: TookEffectReport, body: string): Promise<void> {
    const [queued] = await this.deps.sql.query<{ kind: MeasureKind; asset_category: AssetCategory; starts_on: string; expires_on: string }>(
      `SELECT kind, asset_category, starts_on::text AS starts_on, expires_on::text AS expires_on
         FROM measure WHERE apply_request_id = $1::uuid AND agency_kind = $2 AND status IN (${sqlList(TOOK_EFFECT.from)})`,
      [report.measureRef, kind],
    );
    if (!queued) return;
    const effectiveOn = todayInChina(new Date(report.effectiveFrom));
    const period = periodOnTakingEffect(
      { kind: queued.kind, category: queued.asset_category, startsOn: queued.starts_on, expiresOn: queued.expires_on },
      effectiveOn,
    );
    if (!period.ok) throw new AgencyProtocolError(`${kind} measure report: ${period.reason}`, body);
    const [changed] = await this.deps.sql.query<{ id: string; case_id: string; court_code: string }>(
      `WITH took AS (
         UPDATE measure SET status = '${TOOK_EFFECT.to}', rank = 1, effective_from = $2::timestamptz, agency_reference = $3,
                starts_on = $6::date, expires_on = $7::date,
                warned_days = CASE WHEN $7::date <> expires_on THEN '{}'::int[] ELSE warned_days END, updated_at = now()
          WHERE apply_request_id = $1::uuid AND agency_kind = $4 AND status IN (${sqlList(TOOK_EFFECT.from)})
          RETURNING id, case_id, debtor_id, kind, asset_identifier),
       audit AS (
         INSERT INTO audit_event (${AUDIT_COLUMNS})
         SELECT $4, NULL, 'MEASURE_TOOK_EFFECT', case_id, debtor_id, id::text, NULL, NULL, $5,
                jsonb_build_object('kind', kind, 'asset', asset_identifier, 'effectiveFrom', $2::text, 'reference', $3::text,
                                   'startsOn', $6::text, 'expiresOn', $7::text)
           FROM took)
       SELECT t.id::text AS id, t.case_id::text AS case_id, c.court_code FROM took t JOIN enforcement_case c ON c.id = t.case_id`,
      [report.measureRef, report.effectiveFrom, report.reference, kind, sm3(body), period.startsOn, period.expiresOn],
    );
    if (changed) {
      this.deps.events.publish("MEASURE", {
        caseId: changed.case_id,
        courtCode: changed.court_code,
        measureId: changed.id,
        status: TOOK_EFFECT.to,
        warningDays: null,
      });
    }
  }
}
