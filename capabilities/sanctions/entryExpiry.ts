/**
 * List entries whose period has ended leave the list by themselves (失信规定 art. 10 para. 2):
 * SanctionService.removeExpired, run on a timer of its own.
 */
import type { Logger } from "../../gateway/logger.js";
import { CoalescingWake } from "../../gateway/workers/coalescingWake.js";
import type { Worker } from "../../gateway/workers/worker.js";
import type { SanctionService } from "./sanctionService.js";

/** When expired list entries are looked for. */
export interface EntryExpiryOptions {
  /**
   * How often (HubConfig.expiryWatchIntervalMs, the measures' expiry watch's too).
   * @default 3_600_000 (an hour)
   */
  intervalMs: number;
}

export const DEFAULT_ENTRY_EXPIRY: EntryExpiryOptions = { intervalMs: 60 * 60_000 };

export class EntryExpiry implements Worker {
  private readonly loop: CoalescingWake;

  constructor(
    private readonly deps: { sanctions: Pick<SanctionService, "removeExpired">; log: Logger },
    private readonly options: EntryExpiryOptions = DEFAULT_ENTRY_EXPIRY,
  ) {
    this.loop = new CoalescingWake(
      () => this.deps.sanctions.removeExpired(),
      (error) => this.deps.log.error({ err: error }, "removing expired list entries failed; will retry"),
    );
  }

  start(): void {
    this.loop.start(this.options.intervalMs);
    // A pass at start as well as on schedule: restarted more often than the interval, an instance would never run one.
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
