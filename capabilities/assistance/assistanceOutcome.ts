/**
 * What the police's answer to a request for assistance means for the
 * assistance, as data: the dispatcher records the request's final status and
 * this change in one statement (AssistanceRequestStore.finish, policeAssistanceStore.ts).
 */
import type { AssistanceOutcome } from "../../connectors/connector.js";
import type { AssistanceEvent } from "../../domain/assistance/assistanceLifecycle.js";
import type { FinalStatus } from "../../domain/inquiry/agencyRequestLifecycle.js";

export interface AssistanceChange {
  /** The move of the assistance's status (assistanceLifecycle.ts); applied only where the table allows it. */
  event?: AssistanceEvent;
  agencyReference?: string;
  lastError?: string;
}

export function settleAssistance(outcome: AssistanceOutcome): {
  requestStatus: FinalStatus;
  change: AssistanceChange;
  error?: string;
} {
  if (outcome.kind === "ACCEPTED") return { requestStatus: "ANSWERED", change: { event: "ACCEPT", agencyReference: outcome.reference } };
  const error = `refused by the police: ${outcome.reason}`;
  return { requestStatus: "REFUSED", error, change: { event: "REFUSE", lastError: error } };
}

/** A request for assistance that ended without an answer (FAILED, TIMED_OUT). */
export function failedAssistance(error: string): AssistanceChange {
  return { event: "FAIL", lastError: error };
}
