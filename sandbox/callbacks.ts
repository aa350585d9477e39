/**
 * Signed deliveries from a sandbox agency to the hub: the body is POSTed with
 * `X-Signature: hex(HMAC-SM3(secret, body))`, retried with backoff until the
 * receiver answers 2xx, and counted in the agency's stats (callbackAttempts,
 * callbacksSent, callbacksFailed). The tax bureau sends its answers with it, and
 * the registries their control-measure reports (TOOK_EFFECT).
 */
import { createHmac } from "node:crypto";
import { request } from "undici";
import type { SandboxStats } from "./agencyServer.js";

/** Waits between attempts: four attempts in all, the last about 1.75 s after the first. */
export const CALLBACK_RETRY_DELAYS_MS: readonly number[] = [250, 500, 1000];
const CALLBACK_TIMEOUT_MS = 5000;

export class SignedCallbackSender {
  /** Aborted on reset so that pending deliveries of a forgotten state are neither sent nor counted. */
  private deliveries = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();

  /** `signature`: the headers proving a body is the agency's, for an agency that signs otherwise than with X-Signature. */
  constructor(
    private readonly stats: SandboxStats,
    secret: string,
    private readonly signature: (body: string) => Record<string, string> = (body) => ({
      "x-signature": createHmac("sm3", secret).update(body, "utf8").digest("hex"),
    }),
  ) {}

  /** Deliver `body` to `url` after `delayMs`, retrying on anything but a 2xx. */
  send(url: string, body: string, delayMs = 0): void {
    this.schedule(url, body, delayMs, 0);
  }

  reset(): void {
    this.deliveries.abort();
    this.deliveries = new AbortController();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(url: string, body: string, delayMs: number, retriesDone: number): void {
    const signal = this.deliveries.signal;
    const timer = setTimeout(async () => {
      this.timers.delete(timer);
      const delivered = await this.deliver(url, body, signal);
      if (signal.aborted) return;
      if (delivered) this.stats.callbacksSent++;
      else if (retriesDone < CALLBACK_RETRY_DELAYS_MS.length)
        this.schedule(url, body, CALLBACK_RETRY_DELAYS_MS[retriesDone], retriesDone + 1);
      else this.stats.callbacksFailed++;
    }, delayMs);
    this.timers.add(timer);
  }

  private async deliver(url: string, body: string, signal: AbortSignal): Promise<boolean> {
    this.stats.callbackAttempts++;
    try {
      // undici's request rather than fetch: a third of fetch's CPU per delivery, and the sandbox shares the hub's machine.
      const response = await request(url, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          ...this.signature(body),
        },
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(CALLBACK_TIMEOUT_MS)]),
      });
      await response.body.dump();
      return response.statusCode >= 200 && response.statusCode < 300;
    } catch {
      return false;
    }
  }
}
