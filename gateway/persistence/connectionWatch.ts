/**
 * Logs the loss of a kind of database connection once, and its recovery once, however many
 * connections fail together (terminating a hub's backends drops the whole pool at once).
 */
import type { Logger } from "../logger.js";

export class ConnectionWatch {
  private lostAt?: number;

  /** `what`: the connections watched, as the log names them ("database", "LISTEN connection"). */
  constructor(
    private readonly log: Logger,
    private readonly what: string,
  ) {}

  get up(): boolean {
    return this.lostAt === undefined;
  }

  lost(error: unknown): void {
    if (this.lostAt !== undefined) return;
    this.lostAt = Date.now();
    this.log.warn({ err: error }, `${this.what} lost`);
  }

  recovered(): void {
    if (this.lostAt === undefined) return;
    this.log.info({ downMs: Date.now() - this.lostAt }, `${this.what} recovered`);
    this.lostAt = undefined;
  }
}
