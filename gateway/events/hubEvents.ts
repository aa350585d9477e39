/**
 * Change events pushed to subscribers. Within one instance they travel through
 * an in-memory PubSub; on PostgreSQL every event is also sent with NOTIFY, so a
 * subscriber connected to another instance hears about work this one did.
 */
import { randomUUID } from "node:crypto";
import { createPubSub } from "@graphql-yoga/subscription";
import type { AgencyKind } from "../../connectors/connector.js";
import type { Database } from "../persistence/database.js";

export interface InquiryPartEvent {
  caseId: string;
  courtCode: string;
  inquiryId: string;
  partId: string;
  agencyKind: AgencyKind;
  status: string;
  /** Parts of the inquiry still waiting for a final answer; 0 when the inquiry is complete. */
  openParts: number | null;
}

export interface HubTopics {
  INQUIRY_PART: [InquiryPartEvent];
  [topic: string]: [unknown];
}

const CHANNEL = "hub_events";

export type HubPubSub = ReturnType<typeof createPubSub<HubTopics>>;

export class HubEvents {
  readonly pubSub: HubPubSub = createPubSub<HubTopics>();
  private readonly origin = randomUUID();
  private unlisten?: () => Promise<void>;

  constructor(private readonly db: Database) {}

  async start(): Promise<void> {
    if (this.db.dialect !== "postgres") return;
    this.unlisten = await this.db.listen(CHANNEL, (payload) => {
      const message = JSON.parse(payload) as { origin: string; topic: keyof HubTopics & string; event: never };
      if (message.origin !== this.origin) this.pubSub.publish(message.topic, message.event);
    });
  }

  publish<T extends keyof HubTopics & string>(topic: T, event: HubTopics[T][0]): void {
    this.pubSub.publish(topic, event as never);
    if (this.db.dialect === "postgres") {
      // Best effort: a lost notification only delays another instance's subscriber,
      // whose client can always re-read the durable state by query.
      this.db.notify(CHANNEL, JSON.stringify({ origin: this.origin, topic, event })).catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
  }
}
