/**
 * What the police's answer to a request for assistance means for the
 * assistance, as data: the dispatcher records the request's final status and
 * this change in one statement (AssistanceRequestStore.finish, policeAssistanceStore.ts).
 */
import type { AssistanceOutcome } from "../../connectors/connector.js";

export type AssistanceStatus = "REQUESTED" | "ACCEPTED" | "DONE" | "UNSUCCESSFUL" | "REFUSED" | "FAILED" | "LIFTED";

export interface AssistanceChange {
  status?: AssistanceStatus;
  agencyReference?: string;
  lastError?: string;
}

export function settleAssistance(outcome: AssistanceOutcome): {
  requestStatus: "ANSWERED" | "REFUSED";
  change: AssistanceChange;
  error?: string;
} {
  if (outcome.kind === "ACCEPTED") return { requestStatus: "ANSWERED", change: { status: "ACCEPTED", agencyReference: outcome.reference } };
  const error = `refused by the police: ${outcome.reason}`;
  return { requestStatus: "REFUSED", error, change: { status: "REFUSED", lastError: error } };
}

/** A request for assistance that ended without an answer (FAILED, TIMED_OUT). */
export function failedAssistance(error: string): AssistanceChange {
  return { status: "FAILED", lastError: error };
}
