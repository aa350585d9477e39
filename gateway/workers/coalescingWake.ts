/**
 * The wake-up of a background loop: each wake-up runs one pass now or, when a pass is in flight,
 * once more right after it, however many wake-ups came meanwhile; so a burst of events (commits,
 * NOTIFYs, ticks) costs at most one pass behind the current one, and passes never overlap. A
 * timer wakes the loop as well, for work no event announces (retries falling due, expiries).
 */
export class CoalescingWake {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = true;

  /** `onError`: what to do with a pass that failed (log it); the next wake-up tries again. */
  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Wakes the loop every `intervalMs` from now on; `keepsProcessAlive`: whether that timer holds the process open. */
  start(intervalMs: number, keepsProcessAlive = false): void {
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), intervalMs);
    if (!keepsProcessAlive) this.timer.unref();
  }

  /** Looks for work now (or right after the pass in flight); nothing once stopped or before started. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .then(() => undefined, this.onError)
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Clears the timer, drops a pending wake-up, and settles once the pass in flight has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.again = false;
    clearInterval(this.timer);
    await this.running;
  }
}
