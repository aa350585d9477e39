/**
 * Seals the audit chain (auditChain.ts) in the background, and once more when the hub stops, so
 * that a clean stop leaves no row unsealed. Seals run one after another, never two at once.
 */
import type { Logger } from "../logger.js";
import type { Sql } from "../persistence/database.js";
import { CoalescingWake } from "../workers/coalescingWake.js";
import type { Worker } from "../workers/worker.js";
import { sealAuditBatch } from "./auditChain.js";

/** When the audit chain is sealed. */
export interface AuditSealerOptions {
  /**
   * How often pending audit rows are sealed (HubConfig.auditSealIntervalMs).
   * @default 500
   */
  intervalMs: number;
}

export const DEFAULT_AUDIT_SEALER: AuditSealerOptions = { intervalMs: 500 };

export class AuditSealer implements Worker {
  private readonly loop: CoalescingWake;
  private sealing: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly deps: { sql: Sql; log: Logger },
    private readonly options: AuditSealerOptions = DEFAULT_AUDIT_SEALER,
  ) {
    this.loop = new CoalescingWake(
      () => this.sealNow(),
      (error) => this.deps.log.error({ err: error }, "sealing the audit chain failed; will retry"),
    );
  }

  start(): void {
    // Its timer holds the process open, unlike the other workers' timers, as the hub's sealing timer always has.
    this.loop.start(this.options.intervalMs, true);
  }

  /** Seals the rows pending now, after any seal in flight; answers how many it sealed. */
  sealNow(): Promise<number> {
    const seal = this.sealing.catch(() => 0).then(() => sealAuditBatch(this.deps.sql));
    this.sealing = seal;
    return seal;
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.sealing.catch(() => 0);
    await sealAuditBatch(this.deps.sql).catch(() => 0);
  }
}
