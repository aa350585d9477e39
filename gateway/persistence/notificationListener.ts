/**
 * The one PostgreSQL connection of an instance that LISTENs, kept alive: when it is cut (backend
 * terminated, server restarted, failover) it reconnects with backoff, LISTENs again on every channel,
 * and then tells each channel's owner to re-read what it may have missed, since NOTIFYs sent
 * meanwhile are gone for good.
 */
import pRetry from "p-retry";
import pg from "pg";
import type { Logger } from "../logger.js";
import { ConnectionWatch } from "./connectionWatch.js";

interface Subscription {
  channel: string;
  onPayload: (payload: string) => void;
  onResync?: () => void;
}

/** How the LISTEN connection is re-established. */
export interface ListenerOptions {
  /**
   * First wait before reconnecting; doubled (with jitter) on each failure.
   * @default 100
   */
  minBackoffMs: number;
  /**
   * Longest wait between two reconnection attempts.
   * @default 5_000
   */
  maxBackoffMs: number;
}

export const DEFAULT_LISTENER: ListenerOptions = { minBackoffMs: 100, maxBackoffMs: 5_000 };

export class NotificationListener {
  private client?: pg.Client;
  private readonly subscriptions = new Set<Subscription>();
  private readonly watch: ConnectionWatch;
  private readonly closing = new AbortController();
  private reconnecting?: Promise<void>;

  constructor(
    private readonly connectionString: string,
    log: Logger,
    private readonly options: ListenerOptions = DEFAULT_LISTENER,
  ) {
    this.watch = new ConnectionWatch(log, "LISTEN connection");
  }

  /** Whether notifications are being heard now (readiness). */
  get connected(): boolean {
    return this.client !== undefined;
  }

  async listen(channel: string, onPayload: (payload: string) => void, onResync?: () => void): Promise<() => Promise<void>> {
    const subscription = { channel, onPayload, onResync };
    this.subscriptions.add(subscription);
    try {
      if (this.client) await this.client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      else if (this.reconnecting) await this.reconnecting;
      else await this.connect();
    } catch (error) {
      this.subscriptions.delete(subscription);
      throw error;
    }
    return async () => {
      this.subscriptions.delete(subscription);
      if ([...this.subscriptions].some((s) => s.channel === channel)) return;
      await this.client?.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.closing.abort();
    await this.reconnecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client, new Error("LISTEN connection closed")));
    client.on("notification", (message) => {
      if (message.payload === undefined) return;
      for (const s of this.subscriptions) if (s.channel === message.channel) s.onPayload(message.payload);
    });
    try {
      await client.connect();
      for (const channel of new Set([...this.subscriptions].map((s) => s.channel))) {
        await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
    } catch (error) {
      client.removeAllListeners("end");
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
  }

  private lost(client: pg.Client, error: unknown): void {
    if (client !== this.client || this.closing.signal.aborted) return;
    this.client = undefined;
    this.watch.lost(error);
    client.removeAllListeners("end");
    client.end().catch(() => undefined);
    this.reconnecting = pRetry(() => this.connect(), {
      retries: Number.POSITIVE_INFINITY,
      minTimeout: this.options.minBackoffMs,
      maxTimeout: this.options.maxBackoffMs,
      randomize: true,
      signal: this.closing.signal,
    }).then(
      () => {
        this.reconnecting = undefined;
        this.watch.recovered();
        for (const s of this.subscriptions) s.onResync?.();
      },
      () => {
        this.reconnecting = undefined;
      },
    );
  }
}
