/**
 * What the dispatcher needs to know of one kind of agency request (an inquiry's part, a control of a measure,
 * police assistance): each capability registers one of these with the dispatcher at startup (hub.ts), so the
 * dispatcher leases, sends, retries and times out requests without knowing what they are for.
 */
import type {
  AgencyConnector,
  AssistanceOutcome,
  ConnectorContext,
  ConnectorOutcome,
  ControlOutcome,
  InquiryFindings,
} from "../../connectors/connector.js";
import type { FinalStatus, RescheduledStatus } from "../../domain/inquiry/agencyRequestLifecycle.js";
import type { AuditEntry } from "../audit/auditEvent.js";
import type { CallRecord, LeasedRequest } from "./agencyRequestStore.js";

/** An agency's reply to a submission, a poll or a recall. */
export type AgencyReply = ConnectorOutcome | ControlOutcome | AssistanceOutcome;
/** A reply that ends the request (anything but "come back later"). */
export type FinalReply = Exclude<AgencyReply, { kind: "PENDING" }>;

/** The call as the connector takes it: the stored payload and the hub's current callback address. */
export type OutgoingCall<P> = P & { callbackUrl: string };

/** How a request ends: its final status, and what that means for the capability's own row (`change`). */
export interface Settlement<C> {
  status: FinalStatus;
  error?: string;
  findings?: InquiryFindings;
  change?: C;
}

/** What the finishing statement records besides the settlement. */
export interface FinishDetail {
  raw?: string;
  replyDigest?: string;
  /** Lookups made in the round that ended the request. */
  lookups?: number;
}

export interface AgencyOperation<P extends CallRecord = CallRecord, C = unknown> {
  /** agency_request.operation of the requests it carries. */
  readonly name: string;
  /** Where the agency calls back about it, under the agency's callback address ("" or e.g. "/measures"). */
  readonly callbackPath: string;
  /** One submission, in the connector's own protocol. */
  exchange(request: LeasedRequest<P>, call: OutgoingCall<P>, connector: AgencyConnector, ctx: ConnectorContext): Promise<AgencyReply>;
  /** The agency's reply to an earlier submission of this request, or undefined if it never received one (or cannot say). */
  recall(
    request: LeasedRequest<P>,
    call: OutgoingCall<P>,
    connector: AgencyConnector,
    ctx: ConnectorContext,
  ): Promise<AgencyReply | undefined>;
  /** How to poll the agency's ticket, when this operation and the connector have tickets to poll. */
  poller?(connector: AgencyConnector): ((ticket: string, call: OutgoingCall<P>, ctx: ConnectorContext) => Promise<AgencyReply>) | undefined;
  /** What the agency's final reply means. */
  settle(request: LeasedRequest<P>, reply: FinalReply): Settlement<C>;
  /**
   * A request past its deadline with no final answer: marks the capability's row unconfirmed and returns true when the agency
   * may have acted on it all the same, so the dispatcher keeps looking it up and takes a late answer; false times it out.
   */
  unconfirmed?(request: LeasedRequest<P>, reason: string): Promise<boolean>;
  /**
   * An unconfirmed request still unsettled past the dispatcher's final horizon (unconfirmedGiveUpMs): the dispatcher stops
   * looking it up (the request stays open, so a late answer by callback still settles it) and this flags the row for a
   * supervisor. Without it, an unconfirmed request is looked up until the agency answers.
   */
  givenUp?(request: LeasedRequest<P>, reason: string): Promise<void>;
  /** What a request the agency never answered usefully (FAILED, TIMED_OUT) means for the capability's row. */
  unanswered(request: LeasedRequest<P>, error: string): C | undefined;
  /**
   * Records the end of the request, the settlement's change and the audit row in one statement (a finish
   * made twice changes nothing the second time), then announces what changed.
   */
  finish(request: LeasedRequest<P>, settlement: Settlement<C>, detail: FinishDetail, audit: AuditEntry): Promise<void>;
  /** Announces a request given back to the schedule (a ticket to poll, a retry), if anyone follows it. */
  rescheduled?(request: LeasedRequest<P>, status: RescheduledStatus): void;
  /** What the audit row of an exchange says it was for. */
  purpose(request: LeasedRequest<P>): string;
}
