/**
 * A control of a measure (apply, release, renew) as the dispatcher carries it (AgencyOperation): the agency's
 * answer, or its absence, changes the measure in the statement that finishes the request (MEASURE_FINISHING).
 */
import { AgencyProtocolError, canControl, type ControlOutcome } from "../../connectors/connector.js";
import type { AgencyOperation } from "../../gateway/dispatch/agencyOperation.js";
import type { AgencyRequestStore } from "../../gateway/dispatch/agencyRequestStore.js";
import type { HubEvents } from "../../gateway/events/hubEvents.js";
import { failedControl, settleControl, type MeasureChange } from "./controlOutcome.js";
import { markNeedsAttention, markUnconfirmed, type ControlCallRecord } from "./measureStore.js";
import type { LeasedRequest } from "../../gateway/dispatch/agencyRequestStore.js";
import type { Sql } from "../../gateway/persistence/database.js";
import type { OrderedPeriod } from "../../domain/measures/queuedPeriod.js";

/** The period an order asked for, when the request is an order that recorded its asset's category. */
function orderedPeriod(request: LeasedRequest<ControlCallRecord>): OrderedPeriod | undefined {
  const { action, measureKind, assetCategory, from, to } = request.payload;
  if (action !== "APPLY" || !assetCategory || !from || !to) return undefined;
  return { kind: measureKind, category: assetCategory, startsOn: from, expiresOn: to };
}

export function controlOperation(deps: {
  sql: Pick<Sql, "query">;
  store: AgencyRequestStore<MeasureChange>;
  events: HubEvents;
}): AgencyOperation<ControlCallRecord, MeasureChange> {
  const flagAudit = (request: LeasedRequest<ControlCallRecord>, action: string, reason: string) => ({
    actorOrg: request.payload.courtCode,
    actorOfficer: request.payload.officer,
    action,
    caseId: request.case_id,
    debtorId: request.debtor_id,
    subjectId: request.measure_id!,
    purpose: `${request.payload.measureKind} ${request.payload.assetIdentifier}`,
    detail: { request: request.id, agency: request.agency_kind, reason },
  });
  const announce = (request: LeasedRequest<ControlCallRecord>, courtCode: string, status: string) =>
    deps.events.publish("MEASURE", { caseId: request.case_id, courtCode, measureId: request.measure_id!, status, warningDays: null });
  return {
    name: "CONTROL",
    callbackPath: "/measures",
    exchange: (request, call, connector, ctx) => {
      if (!canControl(connector)) throw new AgencyProtocolError(`${request.agency_kind} no longer carries out measures`);
      return connector.control(call, ctx);
    },
    recall: async (_request, call, connector, ctx) => (canControl(connector) ? connector.recallControl?.(call, ctx) : undefined),
    settle: (request, reply) => {
      const settled = settleControl(request.payload.action, reply as Exclude<ControlOutcome, { kind: "PENDING" }>, orderedPeriod(request));
      return { status: settled.requestStatus, error: settled.error, change: settled.change };
    },
    // The agency may have carried out an order, a release or a renewal it has not answered in time: only its word settles it.
    unconfirmed: async (request, reason) => {
      if (request.payload.action !== "APPLY") return true;
      const moved = await markUnconfirmed(deps.sql, request.measure_id!, reason, flagAudit(request, "MEASURE_UNCONFIRMED", reason));
      if (moved) announce(request, moved.courtCode, "UNCONFIRMED");
      return true;
    },
    // Lookups stopped: a supervisor takes it up (measuresUnconfirmed(needsAttention: true)); the measure stays UNCONFIRMED.
    givenUp: async (request, reason) => {
      if (request.payload.action !== "APPLY") return;
      const flagged = await markNeedsAttention(
        deps.sql,
        request.measure_id!,
        reason,
        flagAudit(request, "MEASURE_NEEDS_ATTENTION", reason),
      );
      if (flagged) announce(request, flagged.courtCode, "NEEDS_ATTENTION");
    },
    unanswered: (request, error) => failedControl(request.payload.action, error),
    finish: async (request, settlement, detail, audit) => {
      const { status, error, change } = settlement;
      const result = await deps.store.finish(request.id, { status, error, ...detail }, audit, change);
      if (!result.finished || !result.measureStatus) return;
      deps.events.publish("MEASURE", {
        caseId: request.case_id,
        courtCode: request.payload.courtCode,
        measureId: request.measure_id!,
        status: result.measureStatus,
        warningDays: null,
      });
    },
    purpose: (request) => `${request.payload.action} ${request.payload.measureKind} ${request.payload.assetIdentifier}`,
  };
}
