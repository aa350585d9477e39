/**
 * Change events pushed to subscribers. Within one instance they travel through
 * an in-memory PubSub (localPubSub.ts); on PostgreSQL every event is also sent with NOTIFY, so a
 * subscriber connected to another instance hears about work this one did.
 * Events published in the same turn of the event loop, or while the last NOTIFY
 * is on its way, share NOTIFYs (as many as fit in a payload; StatementBatcher),
 * so that announcing costs a round trip and a commit per batch rather than per
 * event: an inquiry of five agencies makes a dozen events.
 */
import { randomUUID } from "node:crypto";
import type { AgencyKind } from "../../connectors/connector.js";
import type { Database } from "../persistence/database.js";
import { StatementBatcher } from "../persistence/statementBatcher.js";
import { LocalPubSub } from "./localPubSub.js";

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

export interface MeasureEvent {
  caseId: string;
  courtCode: string;
  measureId: string;
  /** The measure's new status, or EXPIRING for an expiry warning. */
  status: string;
  /** For EXPIRING: the warning's days before expiry (30, 7 or 1). */
  warningDays: number | null;
}

/** A step of a delegated task (事项委托), or a deadline alert on it; heard by both courts. */
export interface DelegatedTaskEvent {
  taskId: string;
  delegatingCourt: string;
  targetCourt: string;
  /** The hub serving the task's other court when it is not this one. */
  peerHub: string | null;
  /** The step's action (DELEGATE, RECEIVE, …), or ALERT. */
  action: string;
  status: string;
  /** The step's number; null for an alert. */
  seq: number | null;
  alert: "REMINDER" | "OVERDUE" | null;
  deadline: "ACCEPTANCE" | "COMPLETION" | null;
  dueAt: string | null;
  /** Why: a step's reasons, or why a withdrawal was refused. */
  reason: string | null;
}

export interface PoliceAssistanceEvent {
  caseId: string;
  courtCode: string;
  assistanceId: string;
  kind: string;
  /** The assistance's new status. */
  status: string;
}

/** The list change log grew (partner null), or one partner's registration or activation changed: live feeds read again. */
export interface SanctionLogEvent {
  partner: string | null;
}

/** A round of the watch over a 终本 case (法〔2016〕373号 art. 16) started, or was settled once all its inquiries were answered. */
export interface ReinquiryEvent {
  caseId: string;
  courtCode: string;
  reinquiryId: string;
  round: number;
  status: "STARTED" | "SETTLED";
  /** SETTLED: how many assets the round saw that the case had not known. */
  newAssets: number | null;
  /** Whether the case now has assets to resume with. */
  resumable: boolean;
}

export interface HubTopics {
  INQUIRY_PART: [InquiryPartEvent];
  MEASURE: [MeasureEvent];
  DELEGATED_TASK: [DelegatedTaskEvent];
  POLICE_ASSISTANCE: [PoliceAssistanceEvent];
  SANCTION_LOG: [SanctionLogEvent];
  REINQUIRY: [ReinquiryEvent];
  [topic: string]: [unknown];
}

const CHANNEL = "hub_events";
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; stay clear of it. */
const MAX_PAYLOAD_BYTES = 7000;

interface Envelope {
  topic: string;
  event: unknown;
}

/** One NOTIFY payload; the single-event form ({ origin, topic, event }) is still understood. */
interface Message {
  origin: string;
  events?: Envelope[];
  topic?: string;
  event?: unknown;
}

export type HubPubSub = LocalPubSub<HubTopics>;

export class HubEvents {
  readonly pubSub: HubPubSub = new LocalPubSub<HubTopics>();
  private readonly origin = randomUUID();
  /** How every payload this instance sends begins (see payloads). */
  private readonly ownPrefix = `{"origin":${JSON.stringify(this.origin)},`;
  private unlisten?: () => Promise<void>;
  private readonly sending = new Set<Promise<void>>();
  /**
   * Events published while the last NOTIFY is on its way, or in the same turn, go out
   * together: each NOTIFY statement is a commit on the server.
   */
  private readonly notices = new StatementBatcher<Envelope, void>(
    async (batch) => {
      await Promise.all(this.payloads(batch).map((payload) => this.db.notify(CHANNEL, payload)));
      return batch.map(() => undefined);
    },
    { keysOf: () => [], maxBatch: 2000 },
  );

  constructor(private readonly db: Database) {}

  async start(): Promise<void> {
    if (this.db.dialect !== "postgres") return;
    this.unlisten = await this.db.listen(CHANNEL, (payload) => {
      // This instance hears its own NOTIFYs too; they were delivered locally when published, so skip them unparsed.
      if (payload.startsWith(this.ownPrefix)) return;
      const message = JSON.parse(payload) as Message;
      if (message.origin === this.origin) return;
      const events = message.events ?? (message.topic ? [{ topic: message.topic, event: message.event }] : []);
      for (const { topic, event } of events) this.deliver(topic, event);
    });
  }

  publish<T extends keyof HubTopics & string>(topic: T, event: HubTopics[T][0]): void {
    this.deliver(topic, event);
    if (this.db.dialect !== "postgres") return;
    // Best effort: a lost notification only delays another instance's subscriber,
    // whose client can always re-read the durable state by query.
    const sent = this.notices.add({ topic, event }).catch(() => undefined);
    this.sending.add(sent);
    void sent.finally(() => this.sending.delete(sent));
  }

  /**
   * Hands an event to this instance's subscribers. An event about a case goes to
   * the topic routed by its case id (subscribe(topic, caseId)), so it costs the
   * same however many other cases have subscriptions open; subscribers to the
   * whole topic (subscribe(topic)) still get every event.
   */
  private deliver(topic: string, event: unknown): void {
    const caseId = (event as { caseId?: unknown } | null)?.caseId;
    if (typeof caseId === "string") (this.pubSub.publish as (topic: string, id: string, event: unknown) => void)(topic, caseId, event);
    this.pubSub.publish(topic, event as never);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.sending]);
    await this.unlisten?.();
  }

  /** The batch as few payloads as fit under PostgreSQL's limit, in publishing order. */
  private payloads(batch: Envelope[]): string[] {
    const payloads: string[] = [];
    const head = `{"origin":${JSON.stringify(this.origin)},"events":[`;
    let parts: string[] = [];
    let bytes = Buffer.byteLength(head) + 2;
    for (const envelope of batch) {
      const json = JSON.stringify(envelope);
      const size = Buffer.byteLength(json) + 1;
      if (parts.length > 0 && bytes + size > MAX_PAYLOAD_BYTES) {
        payloads.push(`${head}${parts.join(",")}]}`);
        parts = [];
        bytes = Buffer.byteLength(head) + 2;
      }
      parts.push(json);
      bytes += size;
    }
    if (parts.length > 0) payloads.push(`${head}${parts.join(",")}]}`);
    return payloads;
  }
}
