/**
 * What an agency's answer to a control request means for the measure, as data:
 * the dispatcher records the request's final status and this change in one
 * statement, so a measure can never disagree with the exchange that moved it.
 */
import type { ControlAction, ControlOutcome } from "../../connectors/connector.js";
import type { MeasureEvent } from "../../domain/measures/measureLifecycle.js";
import type { FinalStatus } from "../../domain/inquiry/agencyRequestLifecycle.js";
import { todayInChina } from "../../domain/calendarDate.js";
import { periodOnTakingEffect, type OrderedPeriod } from "../../domain/measures/queuedPeriod.js";

export interface MeasureChange {
  /** The move of the measure's status (measureLifecycle.ts); applied only where the table allows it. */
  event?: MeasureEvent;
  rank?: number | null;
  effectiveFrom?: string;
  agencyReference?: string;
  /** A period moved to the day the agency carried the order out (a late answer). */
  startsOn?: string;
  expiresOn?: string;
  releasedAt?: string;
  lastError?: string;
}

export interface SettledControl {
  requestStatus: FinalStatus;
  change: MeasureChange;
  error?: string;
}

/**
 * `ordered`: the order's period, to count from the day the agency carried it out when that was later (an answer after
 * the deadline, queuedPeriod.ts): a measure binds nothing before the agency registers it.
 */
export function settleControl(
  action: ControlAction,
  outcome: Exclude<ControlOutcome, { kind: "PENDING" }>,
  ordered?: OrderedPeriod,
): SettledControl {
  switch (outcome.kind) {
    case "EFFECTIVE": {
      const period = ordered && periodOnTakingEffect(ordered, todayInChina(new Date(outcome.effectiveFrom)));
      return {
        requestStatus: "ANSWERED",
        change: {
          event: "TAKE_EFFECT",
          rank: 1,
          effectiveFrom: outcome.effectiveFrom,
          agencyReference: outcome.reference,
          ...(period?.ok && period.moved && { startsOn: period.startsOn, expiresOn: period.expiresOn }),
        },
      };
    }
    case "QUEUED":
      return { requestStatus: "ANSWERED", change: { event: "QUEUE", rank: outcome.rank } };
    case "RELEASED":
      return { requestStatus: "ANSWERED", change: { event: "RELEASE", rank: null, releasedAt: outcome.releasedAt } };
    case "RENEWED":
      return { requestStatus: "ANSWERED", change: { expiresOn: outcome.to } };
    case "REFUSED": {
      const error = `refused by the agency: ${outcome.reason}`;
      // A refused release or renewal leaves the measure as it was; only a refused order means there is none.
      return {
        requestStatus: "REFUSED",
        error,
        change: action === "APPLY" ? { event: "REFUSE", lastError: error } : { lastError: error },
      };
    }
  }
}

/** A control request that ended without an answer (FAILED, TIMED_OUT). */
export function failedControl(action: ControlAction, error: string): MeasureChange {
  return action === "APPLY" ? { event: "FAIL", lastError: error } : { lastError: error };
}
