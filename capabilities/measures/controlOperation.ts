/**
 * A control of a measure (apply, release, renew) as the dispatcher carries it (AgencyOperation): the agency's
 * answer, or its absence, changes the measure in the statement that finishes the request (MEASURE_FINISHING).
 */
import { AgencyProtocolError, canControl, type ControlOutcome } from "../../connectors/connector.js";
import type { AgencyOperation } from "../../gateway/dispatch/agencyOperation.js";
import type { AgencyRequestStore } from "../../gateway/dispatch/agencyRequestStore.js";
import type { HubEvents } from "../../gateway/events/hubEvents.js";
import { failedControl, settleControl, type MeasureChange } from "./controlOutcome.js";
import type { ControlCallRecord } from "./measureStore.js";

export function controlOperation(deps: {
  store: AgencyRequestStore<MeasureChange>;
  events: HubEvents;
}): AgencyOperation<ControlCallRecord, MeasureChange> {
  return {
    name: "CONTROL",
    callbackPath: "/measures",
    exchange: (request, call, connector, ctx) => {
      if (!canControl(connector)) throw new AgencyProtocolError(`${request.agency_kind} no longer carries out measures`);
      return connector.control(call, ctx);
    },
    recall: async (_request, call, connector, ctx) => (canControl(connector) ? connector.recallControl?.(call, ctx) : undefined),
    settle: (request, reply) => {
      const settled = settleControl(request.payload.action, reply as Exclude<ControlOutcome, { kind: "PENDING" }>);
      return { status: settled.requestStatus, error: settled.error, change: settled.change };
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
