/**
 * Backoff between durable retries of one agency request: exponential from 1 s,
 * capped at 5 minutes, with full jitter so that many requests failing together
 * (an agency outage) do not all come back at the same moment.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(300_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
