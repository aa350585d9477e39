/**
 * Reports an agency sends on its own about a measure: so far, that a queued
 * measure took effect because the one ahead of it was released or lapsed
 * (查扣冻规定 2020 art. 26). The connector verifies the signature; applying a
 * report twice changes nothing the second time.
 */
import { AgencyProtocolError, canControl, type AgencyConnector, type AgencyKind } from "../../connectors/connector.js";
import { AUDIT_COLUMNS } from "../audit/auditEvent.js";
import { sm3 } from "../audit/sm3.js";
import type { HubEvents } from "../events/hubEvents.js";
import type { Sql } from "../persistence/database.js";
import type { AgencyRoutes } from "../routing/agencyRoutes.js";

export class MeasureReports {
  constructor(
    private readonly deps: { sql: Sql; routes: AgencyRoutes; connectors: Record<AgencyKind, AgencyConnector>; events: HubEvents },
  ) {}

  async accept(kind: AgencyKind, body: string, headers: Record<string, string | undefined>): Promise<void> {
    const connector = this.deps.connectors[kind];
    if (!canControl(connector)) throw new AgencyProtocolError(`${kind} does not report on measures`);
    const route = this.deps.routes.anyEndpoint(kind);
    const report = connector.acceptMeasureReport(body, headers, { transport: route.transport, secret: route.secret });
    const [changed] = await this.deps.sql.query<{ id: string; case_id: string; court_code: string }>(
      `WITH took AS (
         UPDATE measure SET status = 'EFFECTIVE', rank = 1, effective_from = $2::timestamptz, agency_reference = $3, updated_at = now()
          WHERE apply_request_id = $1::uuid AND agency_kind = $4 AND status IN ('QUEUED', 'REQUESTED')
          RETURNING id, case_id, debtor_id, kind, asset_identifier),
       audit AS (
         INSERT INTO audit_event (${AUDIT_COLUMNS})
         SELECT $4, NULL, 'MEASURE_TOOK_EFFECT', case_id, debtor_id, id::text, NULL, NULL, $5,
                jsonb_build_object('kind', kind, 'asset', asset_identifier, 'effectiveFrom', $2::text, 'reference', $3::text)
           FROM took)
       SELECT t.id::text AS id, t.case_id::text AS case_id, c.court_code FROM took t JOIN enforcement_case c ON c.id = t.case_id`,
      [report.measureRef, report.effectiveFrom, report.reference, kind, sm3(body)],
    );
    if (changed) {
      this.deps.events.publish("MEASURE", { caseId: changed.case_id, courtCode: changed.court_code, measureId: changed.id, status: "EFFECTIVE", warningDays: null });
    }
  }
}

