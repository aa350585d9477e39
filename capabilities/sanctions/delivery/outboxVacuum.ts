/**
 * Keeps the push outbox (sanction_delivery) small. Every acknowledged change deletes its row, so
 * the table churns at the rate of changes times partners; dead rows left behind make every claim
 * walk over them, and delivery lag grows with the table's history rather than its backlog.
 * PostgreSQL's autovacuum would clean them, but it can be off (it is on this project's dev and
 * CI server) and PGlite has none, so the hub vacuums the table itself each time this instance has
 * removed `minDeadRows` rows from it since the last time. The count is the instance's own, not the
 * server's statistics, which PGlite does not keep. Several instances may vacuum at once; a second
 * VACUUM waits for the first and then finds little to do.
 */
import type { Logger } from "../../../gateway/logger.js";
import type { Sql } from "../../../gateway/persistence/database.js";
import { CoalescingWake } from "../../../gateway/workers/coalescingWake.js";
import type { Worker } from "../../../gateway/workers/worker.js";

/** When the hub vacuums the push outbox. */
export interface OutboxVacuumOptions {
  /**
   * How often to look at the count of removed rows.
   * @default 10_000
   */
  intervalMs: number;
  /**
   * Rows this instance removed since the last vacuum before it vacuums again.
   * @default 10_000
   */
  minDeadRows: number;
}

export const DEFAULT_OUTBOX_VACUUM: OutboxVacuumOptions = { intervalMs: 10_000, minDeadRows: 10_000 };

export class OutboxVacuum implements Worker {
  private readonly loop: CoalescingWake;
  private removedAtLastVacuum = 0;

  constructor(
    /** `removedRows`: how many outbox rows this instance has removed (acknowledged) since it started. */
    private readonly deps: { sql: Sql; log: Logger; removedRows: () => number },
    private readonly options: OutboxVacuumOptions = DEFAULT_OUTBOX_VACUUM,
  ) {
    this.loop = new CoalescingWake(
      () => this.runOnce(),
      (error) => this.deps.log.error({ err: error }, "vacuuming the list outbox failed; will retry"),
    );
  }

  start(): void {
    this.loop.start(this.options.intervalMs);
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Vacuums when there is enough to clean; answers the rows removed since the last vacuum, or 0 when it left the table alone. */
  async runOnce(): Promise<number> {
    const removed = this.deps.removedRows();
    const since = removed - this.removedAtLastVacuum;
    if (since < this.options.minDeadRows) return 0;
    const started = Date.now();
    // TRUNCATE false: giving empty trailing pages back needs an exclusive lock, which VACUUM waits up to 5 s
    // for (measured: 7–8 s runs) while claims and appends use the table; their space is reused anyway.
    await this.deps.sql.query(`VACUUM (ANALYZE, TRUNCATE false) sanction_delivery`);
    this.removedAtLastVacuum = removed;
    this.deps.log.info({ removedRows: since, ms: Date.now() - started }, "list outbox vacuumed");
    return since;
  }
}
