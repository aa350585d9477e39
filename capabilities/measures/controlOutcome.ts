/**
 * What an agency's answer to a control request means for the measure, as data:
 * the dispatcher records the request's final status and this change in one
 * statement, so a measure can never disagree with the exchange that moved it.
 */
import type { ControlAction, ControlOutcome } from "../../connectors/connector.js";

export type MeasureStatus = "REQUESTED" | "EFFECTIVE" | "QUEUED" | "REFUSED" | "FAILED" | "RELEASED" | "LAPSED";

export interface MeasureChange {
  status?: MeasureStatus;
  rank?: number | null;
  effectiveFrom?: string;
  agencyReference?: string;
  expiresOn?: string;
  releasedAt?: string;
  lastError?: string;
}

export interface SettledControl {
  requestStatus: "ANSWERED" | "REFUSED";
  change: MeasureChange;
  error?: string;
}

export function settleControl(action: ControlAction, outcome: Exclude<ControlOutcome, { kind: "PENDING" }>): SettledControl {
  switch (outcome.kind) {
    case "EFFECTIVE":
      return {
        requestStatus: "ANSWERED",
        change: { status: "EFFECTIVE", rank: 1, effectiveFrom: outcome.effectiveFrom, agencyReference: outcome.reference },
      };
    case "QUEUED":
      return { requestStatus: "ANSWERED", change: { status: "QUEUED", rank: outcome.rank } };
    case "RELEASED":
      return { requestStatus: "ANSWERED", change: { status: "RELEASED", rank: null, releasedAt: outcome.releasedAt } };
    case "RENEWED":
      return { requestStatus: "ANSWERED", change: { expiresOn: outcome.to } };
    case "REFUSED": {
      const error = `refused by the agency: ${outcome.reason}`;
      // A refused release or renewal leaves the measure as it was; only a refused order means there is none.
      return {
        requestStatus: "REFUSED",
        error,
        change: action === "APPLY" ? { status: "REFUSED", lastError: error } : { lastError: error },
      };
    }
  }
}

/** A control request that ended without an answer (FAILED, TIMED_OUT). */
export function failedControl(action: ControlAction, error: string): MeasureChange {
  return action === "APPLY" ? { status: "FAILED", lastError: error } : { lastError: error };
}
