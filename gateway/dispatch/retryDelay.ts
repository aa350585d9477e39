/**
 * Backoff between durable retries of one agency request: exponential from `firstMs` (1 s),
 * capped at `maxMs` (5 minutes), with full jitter so that many requests failing together
 * (an agency outage) do not all come back at the same moment.
 */
export interface Backoff {
  /** The longest delay of the first round. @default 1000 */
  firstMs: number;
  /** The longest delay of any round. @default 300000 */
  maxMs: number;
}

export const DEFAULT_BACKOFF: Readonly<Backoff> = { firstMs: 1000, maxMs: 300_000 };

export function retryDelayMs(attempt: number, random: () => number = Math.random, backoff: Backoff = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
