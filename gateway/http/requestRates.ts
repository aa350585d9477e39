/**
 * How many requests one token may make: GraphQL operations over HTTP and subscribe messages over
 * WebSocket, counted per token (its subject and org) in a fixed window; callers without a token are
 * counted per address. A caller over the limit is refused RATE_LIMITED with the limit and when to try
 * again, before anything is parsed or run. The counts are kept in memory by each instance
 * (rate-limiter-flexible): behind a load balancer a token may make the limit's worth on every instance.
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { Caller } from "../auth/access.js";
import { HubError } from "../errors.js";

/** Each has an environment variable (docs/CONFIGURATION.md). */
export interface RateLimits {
  /**
   * Requests one token may make in a window (HUB_RATE_LIMIT_REQUESTS).
   * @default 3000
   */
  requests: number;
  /**
   * The window, in seconds (HUB_RATE_LIMIT_WINDOW_SECONDS).
   * @default 10
   */
  windowSeconds: number;
}

/** Well above what a case system or a command centre's screens ask for (300 a second sustained, per token). */
export const DEFAULT_RATE_LIMITS: RateLimits = { requests: 3000, windowSeconds: 10 };

/** Counts a request of `caller` (from `address` when it has no token); a refusal when it is over the limit. */
export type RequestRates = (caller: Caller, address: string | undefined) => Promise<HubError | undefined>;

export function requestRates(limits: RateLimits): RequestRates {
  const count = keyedRates(limits, "with this token");
  // JSON keeps an org or subject containing the separator from sharing another token's count.
  return (caller, address) =>
    count(caller.principal ? JSON.stringify([caller.principal.org, caller.principal.officer]) : `address ${address ?? ""}`);
}

/**
 * The same limit for what agencies send on their own (agencyCallbacks.ts), counted per agency: a callback carries no
 * token, and an agency resending in a loop, or someone posting in its name, is held to what a token may make.
 */
export function agencyCallbackRates(limits: RateLimits): (agency: string) => Promise<HubError | undefined> {
  const count = keyedRates(limits, "from this agency");
  return (agency) => count(agency);
}

function keyedRates(limits: RateLimits, from: string): (key: string) => Promise<HubError | undefined> {
  const limiter = new RateLimiterMemory({ points: limits.requests, duration: limits.windowSeconds });
  return async (key) => {
    try {
      await limiter.consume(key);
      return undefined;
    } catch (rejected) {
      if (!(rejected instanceof RateLimiterRes)) throw rejected;
      const retryAfterSeconds = Math.max(1, Math.ceil(rejected.msBeforeNext / 1000));
      return new HubError(
        "RATE_LIMITED",
        `more than ${limits.requests} requests in ${limits.windowSeconds} s ${from}; try again in ${retryAfterSeconds} s`,
        { limit: "HUB_RATE_LIMIT_REQUESTS", requests: limits.requests, windowSeconds: limits.windowSeconds, retryAfterSeconds },
      );
    }
  };
}
