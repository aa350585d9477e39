/**
 * The pull feed, live: a partner subscribes to `sanctionFeed(after)` over graphql-ws and receives
 * the changes after its cursor (default: the one it acknowledged), then each new change as it is
 * made, one by one, in seq order, minimised to its profile: the same items as the pull feed's.
 *
 * Events only wake the stream; the changes themselves are always read from the change log by
 * cursor (PullFeed.read). So a subscriber gets every change exactly once and in order however
 * events are coalesced, delayed or lost, and a change made on another hub instance arrives through
 * the hub's events (LISTEN/NOTIFY on PostgreSQL). A lost notification costs at most LIVE_FEED_POLL_MS.
 * The stream listens before its first read, so nothing committed between replay and follow is missed.
 *
 * Every read checks the partner again: once deactivated its stream ends with PARTNER_INACTIVE.
 * Acknowledging stays the acknowledgeSanctionFeed mutation, under the partner's token.
 */
import type { Caller } from "../../../gateway/auth/access.js";
import type { HubEvents } from "../../../gateway/events/hubEvents.js";
import type { ChangeMessage } from "./changeMessage.js";
import type { PullFeed } from "./pullFeed.js";

const PAGE = 500;
/** Read again this often even without an event: notifications are best effort. */
export const LIVE_FEED_POLL_MS = 5_000;

export class LiveFeed {
  constructor(private readonly deps: { feed: PullFeed; events: HubEvents }) {}

  /**
   * The change log grew (null), or a partner's registration or state changed (its code): this instance's
   * streams read again. Called on every instance by the commit's NOTIFY (SANCTION_CHANGE_CHANNEL), so local only.
   */
  wake(partner: string | null): void {
    this.deps.events.pubSub.publish("SANCTION_LOG", { partner });
  }

  /** Refuses at once (typed errors) when the caller is no active pull partner or the cursor is bad. */
  async follow(caller: Caller, after: string | undefined): Promise<AsyncIterableIterator<ChangeMessage>> {
    const partner = await this.deps.feed.partnerOf(caller);
    const wakeups = this.deps.events.pubSub.subscribe("SANCTION_LOG");
    try {
      const first = await this.deps.feed.read(partner, after ?? partner.acked_seq, PAGE);
      return new LiveStream(
        first.changes,
        first.endCursor ?? after ?? partner.acked_seq,
        first.hasMore,
        wakeups,
        partner.code,
        async (cursor) => this.deps.feed.read(await this.deps.feed.partnerOf(caller), cursor, PAGE),
      );
    } catch (error) {
      await wakeups.return?.();
      throw error;
    }
  }
}

class LiveStream implements AsyncIterableIterator<ChangeMessage> {
  private closed = false;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly unread: ChangeMessage[],
    private cursor: string,
    /** More is known to be waiting: read again without waiting for an event. */
    private stale: boolean,
    private readonly wakeups: AsyncIterableIterator<{ partner: string | null }>,
    partner: string,
    private readonly read: (cursor: string) => Promise<{ changes: ChangeMessage[]; endCursor: string | null; hasMore: boolean }>,
  ) {
    void (async () => {
      for await (const event of wakeups) {
        if (event.partner !== null && event.partner !== partner) continue;
        this.stale = true;
        this.wake?.();
      }
    })();
  }

  async next(): Promise<IteratorResult<ChangeMessage>> {
    while (!this.closed) {
      const change = this.unread.shift();
      if (change) return { value: change, done: false };
      if (!this.stale) await this.waitForWakeup();
      if (this.closed) break;
      this.stale = false;
      const page = await this.read(this.cursor).catch(async (error: unknown) => {
        await this.return();
        throw error;
      });
      this.unread.push(...page.changes);
      if (page.endCursor) this.cursor = page.endCursor;
      this.stale = this.stale || page.hasMore;
    }
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<ChangeMessage>> {
    this.closed = true;
    this.wake?.();
    await this.wakeups.return?.();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private waitForWakeup(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = () => {
        clearTimeout(this.timer);
        this.wake = undefined;
        resolve();
      };
      this.timer = setTimeout(this.wake, LIVE_FEED_POLL_MS);
    });
  }
}
