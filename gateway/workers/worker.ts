/** A background loop of the hub. Startup (hub.ts) starts its workers in order and stops them in reverse. */
export interface Worker {
  /** Starts the loop; a returned promise settles once it is running. */
  start(): void | Promise<void>;
  /**
   * Stops the loop: clears its timers, starts no pass after this, and settles once the pass in flight
   * has finished. Safe on a worker never started (a start that failed half-way stops them all).
   */
  stop(): Promise<void>;
}
