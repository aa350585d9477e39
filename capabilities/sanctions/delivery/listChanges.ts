/**
 * Every list or partner change, committed by any instance, is one NOTIFY on SANCTION_CHANGE_CHANNEL
 * (sanctionStore.ts). On each, this instance's push delivery looks for work and its live feed's
 * streams read again; the payload is the partner whose registration changed, empty for the list.
 * After the LISTEN connection was cut and is back, both do the same for every partner, as changes
 * announced meanwhile were not heard.
 */
import type { Database } from "../../../gateway/persistence/database.js";
import type { Worker } from "../../../gateway/workers/worker.js";
import { SANCTION_CHANGE_CHANNEL } from "../sanctionStore.js";
import type { LiveFeed } from "./liveFeed.js";
import type { PushDelivery } from "./pushDelivery.js";

export class ListChanges implements Worker {
  private unlisten?: () => Promise<void>;

  constructor(
    private readonly deps: { db: Pick<Database, "listen">; pushDelivery: Pick<PushDelivery, "wake">; liveFeed: Pick<LiveFeed, "wake"> },
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.deps.db.listen(
      SANCTION_CHANGE_CHANNEL,
      (partner) => this.changed(partner || null),
      () => this.changed(null),
    );
  }

  private changed(partner: string | null): void {
    this.deps.pushDelivery.wake();
    this.deps.liveFeed.wake(partner);
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = undefined;
  }
}
