/**
 * An inquiry's part as the dispatcher carries it (AgencyOperation): asked of the agency, polled by its ticket
 * or answered by callback; its end counts the inquiry's open parts down in the statement that finishes it.
 */
import type { ConnectorOutcome } from "../../connectors/connector.js";
import type { AgencyOperation } from "../../gateway/dispatch/agencyOperation.js";
import type { AgencyRequestStore, LeasedRequest } from "../../gateway/dispatch/agencyRequestStore.js";
import type { HubEvents } from "../../gateway/events/hubEvents.js";
import type { InquiryCallRecord } from "./inquiryStore.js";

export function inquiryOperation(deps: { store: AgencyRequestStore; events: HubEvents }): AgencyOperation<InquiryCallRecord> {
  const announce = (request: LeasedRequest<InquiryCallRecord>, status: string, openParts: number | null) =>
    deps.events.publish("INQUIRY_PART", {
      caseId: request.case_id,
      courtCode: request.payload.courtCode,
      inquiryId: request.inquiry_id!,
      partId: request.id,
      agencyKind: request.agency_kind,
      status,
      openParts,
    });
  return {
    name: "INQUIRY",
    callbackPath: "",
    exchange: (_request, call, connector, ctx) => connector.inquire(call, ctx),
    recall: async (_request, call, connector, ctx) => connector.recall?.(call, ctx),
    poller: (connector) => connector.poll && ((ticket, call, ctx) => connector.poll!(ticket, call, ctx)),
    settle: (_request, reply) => {
      const answer = reply as Exclude<ConnectorOutcome, { kind: "PENDING" }>;
      return answer.kind === "ANSWERED"
        ? { status: "ANSWERED", findings: answer.findings }
        : { status: "REFUSED", error: `refused by the agency: ${answer.reason}` };
    },
    unanswered: () => undefined,
    finish: async (request, settlement, detail, audit) => {
      const { status, findings, error } = settlement;
      const result = await deps.store.finish(request.id, { status, findings, error, ...detail }, audit);
      if (result.finished) announce(request, status, result.openParts);
    },
    rescheduled: (request, status) => announce(request, status, null),
    purpose: (request) => request.payload.purpose,
  };
}
