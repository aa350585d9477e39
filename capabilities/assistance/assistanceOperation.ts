/**
 * A request for police assistance as the dispatcher carries it (AgencyOperation): the police's answer, or its
 * absence, changes the assistance in the statement that finishes the request (AssistanceRequestStore.finish).
 */
import { AgencyProtocolError, canAssist, type AssistanceOutcome } from "../../connectors/connector.js";
import type { AgencyOperation } from "../../gateway/dispatch/agencyOperation.js";
import type { LeasedRequest } from "../../gateway/dispatch/agencyRequestStore.js";
import { failedAssistance, settleAssistance, type AssistanceChange } from "./assistanceOutcome.js";
import type { AssistanceCallRecord, AssistanceRequestStore } from "./policeAssistanceStore.js";

const flagAudit = (request: LeasedRequest<AssistanceCallRecord>, action: string, reason: string) => ({
  actorOrg: request.payload.courtCode,
  actorOfficer: request.payload.officer,
  action,
  caseId: request.case_id,
  debtorId: request.debtor_id,
  subjectId: request.id,
  purpose: `POLICE ${request.payload.kind}`,
  detail: { request: request.id, reason },
});

export function assistanceOperation(deps: { store: AssistanceRequestStore }): AgencyOperation<AssistanceCallRecord, AssistanceChange> {
  return {
    name: "ASSISTANCE",
    callbackPath: "/assistance",
    exchange: (request, call, connector, ctx) => {
      if (!canAssist(connector)) throw new AgencyProtocolError(`${request.agency_kind} no longer assists`);
      return connector.assist(call, ctx);
    },
    recall: async (_request, call, connector, ctx) => (canAssist(connector) ? connector.recallAssistance?.(call, ctx) : undefined),
    settle: (_request, reply) => {
      const settled = settleAssistance(reply as AssistanceOutcome);
      return { status: settled.requestStatus, error: settled.error, change: settled.change };
    },
    // The police may have taken on a request they have not answered in time: only their word settles it.
    unconfirmed: async (request, reason) => {
      await deps.store.markUnconfirmed(request, reason, flagAudit(request, "POLICE_ASSISTANCE_UNCONFIRMED", reason));
      return true;
    },
    // Lookups stopped: a supervisor takes it up with the police; the assistance stays UNCONFIRMED.
    givenUp: (request, reason) =>
      deps.store.markNeedsAttention(request, reason, flagAudit(request, "POLICE_ASSISTANCE_NEEDS_ATTENTION", reason)),
    unanswered: (_request, error) => failedAssistance(error),
    finish: (request, settlement, detail, audit) =>
      deps.store.finish(request, { status: settlement.status, error: settlement.error, ...detail }, audit, settlement.change ?? {}),
    purpose: (request) => `POLICE ${request.payload.kind}`,
  };
}
