/**
 * How the command centre judges an agency over a window (Henan High Court supervision opinion, item 21: 每日巡检 of every
 * node, warnings on what is out of time): by what its requests met, against the time the agency has to answer.
 */

/** A bank answers within 24 hours (法〔2018〕64号); other agencies have the deadline the hub is configured with. */
export const BANK_SERVICE_LEVEL_HOURS = 24;

export function serviceLevelMs(agencyKind: string, configuredAnswerWithinMs: number): number {
  return agencyKind === "BANK" ? BANK_SERVICE_LEVEL_HOURS * 3_600_000 : configuredAnswerWithinMs;
}

export type AgencyHealth = "OK" | "SLOW" | "FAILING";

export interface AgencyOutcomes {
  answered: number;
  /** Refused by the agency: an answer, not a fault of the link. */
  refused: number;
  failed: number;
  timedOut: number;
  /** Still open, with at least one failed round behind them: the agency is not answering now. */
  retrying: number;
  /** Still open past the agency's service level. */
  overdue: number;
  /** The 95th percentile of answer times in the window, in milliseconds; null without answers. */
  p95AnswerMs: number | null;
  /** When the agency last answered (or refused), ms since the epoch; null when it has not in the window. */
  lastAnswerAt: number | null;
  /** When the oldest request still retrying was made, ms since the epoch; null when none is. */
  oldestRetryingAt: number | null;
}

/**
 * FAILING when the agency is not answering now (requests are retrying and nothing was answered since the oldest of them
 * was made), so an agency that goes down turns red with its first failed round however well it answered before; or when
 * failures (failed, timed out, retrying) are at least as many as answers over the window. SLOW when requests wait past
 * the service level or the slowest answers exceed it.
 */
export function agencyHealth(outcomes: AgencyOutcomes, serviceLevel: number): AgencyHealth {
  const silentSince = outcomes.oldestRetryingAt;
  if (silentSince !== null && (outcomes.lastAnswerAt === null || outcomes.lastAnswerAt < silentSince)) return "FAILING";
  const failures = outcomes.failed + outcomes.timedOut + outcomes.retrying;
  if (failures > 0 && failures >= outcomes.answered + outcomes.refused) return "FAILING";
  if (outcomes.overdue > 0 || (outcomes.p95AnswerMs !== null && outcomes.p95AnswerMs > serviceLevel)) return "SLOW";
  return "OK";
}

/** How long a case may stay open before supervisors are warned (三个月未执结案件予以警示), and the longer mark beside it. */
export const OPEN_CASE_WARNING_MONTHS = [3, 6] as const;
