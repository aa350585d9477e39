/**
 * Group commit for the hub's hot-path writes. Calls made while the previous
 * statement of the same kind is in flight, or in the same turn of the event
 * loop, go to the database together as one multi-row statement: on a busy hub
 * every statement costs a round trip, a commit (a WAL flush) and CPU on both
 * sides, and answers from many agencies arrive in the same few milliseconds.
 * With nothing in flight a call goes out at the end of the current turn
 * (setImmediate), so a quiet hub waits for nothing.
 *
 * One statement is in flight at a time per batcher (unless `maxInFlight` says
 * otherwise): batches then grow with the load, and two batches of one instance
 * never lock the same rows in opposite orders. Calls that touch the same row (`keysOf`) never share a statement; the
 * later one waits for the next, so each sees the other's effect as it would
 * have one statement at a time. A batch that the database aborted as a deadlock
 * victim (another instance's batch) changed nothing and is sent again.
 */
export interface StatementBatcherOptions<I> {
  /** Rows a call writes; calls sharing a key go in different statements, in call order. */
  keysOf(item: I): string[];
  /** Largest batch, to bound the statement's size. */
  maxBatch: number;
  /**
   * Statements of this batcher that may be in flight at once (default 1). More for a write that
   * must not wait behind the previous one, at the price of smaller batches.
   */
  maxInFlight?: number;
}

interface Call<I, R> {
  item: I;
  resolve(result: R): void;
  reject(error: unknown): void;
}

const DEADLOCK_DETECTED = "40P01";
const DEADLOCK_RETRIES = 3;

export class StatementBatcher<I, R> {
  private queue: Call<I, R>[] = [];
  private inFlight = 0;
  private scheduled = false;

  /** `run` writes the items in one statement and returns one result per item, in their order. */
  constructor(
    private readonly run: (items: I[]) => Promise<R[]>,
    private readonly options: StatementBatcherOptions<I>,
  ) {}

  add(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= (this.options.maxInFlight ?? 1) || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch: Call<I, R>[] = [];
    const rest: Call<I, R>[] = [];
    const keys = new Set<string>();
    for (const call of this.queue) {
      const callKeys = this.options.keysOf(call.item);
      // Once a call waits for the next statement, later calls on its rows wait too, keeping their order.
      if (batch.length >= this.options.maxBatch || callKeys.some((key) => keys.has(key))) {
        rest.push(call);
      } else {
        batch.push(call);
      }
      for (const key of callKeys) keys.add(key);
    }
    this.queue = rest;
    this.inFlight++;
    try {
      const results = await this.runWithDeadlockRetry(batch.map((call) => call.item));
      for (const [i, call] of batch.entries()) call.resolve(results[i]);
    } catch (error) {
      for (const call of batch) call.reject(error);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }

  private async runWithDeadlockRetry(items: I[]): Promise<R[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.run(items);
      } catch (error) {
        if ((error as { code?: string }).code !== DEADLOCK_DETECTED || attempt >= DEADLOCK_RETRIES) throw error;
      }
    }
  }
}
