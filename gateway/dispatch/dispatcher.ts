/**
 * Sends recorded agency requests and records what comes back. A request is
 * always in the database before it is sent; this instance holds a lease on it
 * while it works, and any instance takes over an expired lease (a crash), so
 * nothing is lost and resends carry the same idempotency key. Before resending
 * a request that may already have reached the agency, the dispatcher asks the
 * agency about its key (the connector's recall) and submits only if the agency
 * never received it. Each request runs on its own, so a slow or failing agency
 * only delays its own parts.
 *
 * Every lease carries a fencing token (lease_epoch, one more each time any instance takes the request). The statements
 * made under a lease name it: the claim in front of each submission (AgencyRequestStore.claimSubmission), the SENT mark,
 * reschedules and the ends this instance decides (FAILED, TIMED_OUT); they change nothing once another instance has taken
 * the request over, so an instance that stalled past its lease neither submits it again nor overwrites what the other
 * recorded. Only an agency's own final answer is recorded whoever holds the request (see apply).
 */
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import pRetry from "p-retry";
import { AgencyProtocolError, SendWindowClosedError } from "../../connectors/agencyErrors.js";
import type { AgencyConnector, AgencyKind, ConnectorContext } from "../../connectors/connector.js";
import { agencyRequestLifecycle, type FinalStatus, type RescheduledStatus } from "../../domain/inquiry/agencyRequestLifecycle.js";
import type { AuditEntry } from "../audit/auditEvent.js";
import { sm3, canonicalJson } from "../audit/sm3.js";
import type { Logger } from "../logger.js";
import type { AgencyRoutes, ResolvedRoute } from "../routing/agencyRoutes.js";
import type { AgencyOperation, AgencyReply, FinishDetail, Settlement } from "./agencyOperation.js";
import { openPayload, type AgencyRequestStore, type CallRecord, type Lease, type LeasedRequest } from "./agencyRequestStore.js";
import type { ExchangeObserver } from "./exchangeObserver.js";
import { DEFAULT_BACKOFF, retryDelayMs, type Backoff } from "./retryDelay.js";
import { announcingSends } from "../../connectors/transport.js";

const tracer = trace.getTracer("enforcement-linkage-hub");

export interface DispatcherOptions {
  instanceId: string;
  /**
   * Must exceed the longest exchange, or another instance may ask the agency and resend meanwhile. The claim in front of
   * each submission renews it, so each quick retry has a whole lease.
   */
  leaseMs: number;
  /** How often to look for due work that no instance holds. */
  sweepIntervalMs: number;
  maxInFlight: number;
  /**
   * Requests of one endpoint this instance holds at a time (leased, in memory, being exchanged or about to be). The rest
   * wait in the database, unleased, for whichever instance has room on that endpoint first: memory stays bounded however
   * many requests are open, and a lease is taken only for what can be sent. Twice the endpoint's default connections
   * (32), so that a connection that frees up finds the next request already in memory.
   * @default DEFAULT_ENDPOINT_WINDOW
   */
  endpointWindow?: number;
  /** Quick in-memory retries of one exchange (p-retry) before it is rescheduled durably. */
  quickRetries: number;
  quickRetryMinMs: number;
  /** Base URL agencies call back to, e.g. http://hub.example/agency-callbacks */
  callbackBaseUrl: string;
  /**
   * Backoff between rounds that got no answer (HUB_BACKOFF_FIRST_MS, HUB_BACKOFF_MAX_MS), and between lookups of
   * a request past its deadline whose agency may still answer (an unconfirmed measure).
   * @default { firstMs: 1000, maxMs: 300000 }
   */
  backoff?: Backoff;
  /**
   * How long after its deadline an unconfirmed request is looked up before the dispatcher stops and its operation flags it
   * for a supervisor (HUB_UNCONFIRMED_GIVE_UP_DAYS).
   * @default DEFAULT_UNCONFIRMED_GIVE_UP_MS (30 days)
   */
  unconfirmedGiveUpMs?: number;
}

/**
 * 30 days: an agency that has neither answered nor said it never received an order in a month will not settle it by
 * itself; looking it up at the backoff's cap (every 5 minutes) for longer costs the agency and tells nobody anything. Hub
 * policy, not a statute. The measure is never FAILED for it: the agency may hold it, so a person must find out.
 */
export const DEFAULT_UNCONFIRMED_GIVE_UP_MS = 30 * 86_400_000;

/** See DispatcherOptions.endpointWindow. */
export const DEFAULT_ENDPOINT_WINDOW = 64;

/** A request given up on is not due again (about 3,000 years): only a late answer by callback, or a release, settles it. */
const GIVEN_UP_DELAY_MS = 1e14;

/**
 * The share of the lease a submission has to be written in, counted from just before its claim renewed the lease. The rest
 * (a quarter: 15 s of the default minute) is the margin for the request to travel and reach the agency's record before
 * another instance may take the request over and ask the agency about its key: after its claim, another instance can
 * take the request only once the renewed lease has run out, by the database's clock, which runs at the rate of this one.
 */
const SEND_WINDOW = 0.75;

/** What one round of work on a request did. */
interface Round {
  submissions: number;
  lookups: number;
  polls: number;
}

/** The key the window counts a request's endpoint by. */
function endpointOf(request: LeasedRequest): string {
  return `${request.agency_kind}|${request.endpoint_key}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One entry of a request's `tries`: when, what was tried, and what came of it. */
function describeTry(round: Round, outcome: string): string {
  const tried = (["submissions", "lookups", "polls"] as const).filter((kind) => round[kind] > 0).map((kind) => `${round[kind]} ${kind}`);
  return `${new Date().toISOString()} ${tried.join(", ") || "nothing sent"}: ${outcome}`;
}

/** The reason of a request timed out: what happened on each round that got no answer. */
function timedOutReason(request: LeasedRequest): string {
  const base = "no final answer from the agency before its deadline";
  return request.tries.length === 0 ? `${base} (every try was answered "still processing")` : `${base}; tries: ${request.tries.join("; ")}`;
}

export class Dispatcher {
  private readonly store: AgencyRequestStore;
  private readonly operations = new Map<string, AgencyOperation>();
  private readonly active = new Set<Promise<void>>();
  /** Requests held per endpoint (`endpointOf`), at most endpointWindow each. */
  private readonly held = new Map<string, number>();
  /** Endpoints that had more work due than room: a request ending there takes up the next one at once (sweepSoon). */
  private readonly backlogged = new Set<string>();
  private sweepAgain = false;
  private sweepPending = false;
  /** Requests this instance gave back to the schedule, by id: a timer to take each up again when it falls due. */
  private readonly wakeups = new Map<string, NodeJS.Timeout>();
  private sweeper?: NodeJS.Timeout;
  private sweeping = false;
  private readonly backoff: Backoff;
  private readonly window: number;

  constructor(
    private readonly deps: {
      store: AgencyRequestStore;
      routes: AgencyRoutes;
      connectors: Record<AgencyKind, AgencyConnector>;
      log: Logger;
      observer?: ExchangeObserver;
      /** What time it is, for the final horizon of unconfirmed lookups; injected by tests. */
      clock?: () => Date;
    },
    private readonly options: DispatcherOptions,
  ) {
    this.store = deps.store;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.window = options.endpointWindow ?? DEFAULT_ENDPOINT_WINDOW;
  }

  /** Takes on the requests of one operation (agency_request.operation); each capability registers its own at startup. */
  register<P extends CallRecord, C>(operation: AgencyOperation<P, C>): void {
    if (this.operations.has(operation.name)) throw new Error(`agency operation ${operation.name} registered twice`);
    // Each operation is only ever handed requests of its own name, so their payloads are its own.
    this.operations.set(operation.name, operation as unknown as AgencyOperation);
  }

  start(): void {
    this.sweeper = setInterval(() => void this.sweep(), this.options.sweepIntervalMs);
    void this.sweep();
  }

  /** Stops taking work and waits for exchanges in flight; their leases would otherwise make others wait. */
  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    for (const timer of this.wakeups.values()) clearTimeout(timer);
    this.wakeups.clear();
    await Promise.allSettled([...this.active]);
  }

  /**
   * Sends requests this instance has just recorded under its own lease, as far as their endpoints' windows have room; the
   * others go back to the database unleased, due as recorded, and are sent as room frees up (here or elsewhere).
   */
  dispatch(requests: LeasedRequest[]): void {
    for (const request of requests) {
      const endpoint = endpointOf(request);
      if (this.hasRoom(endpoint)) {
        this.track(endpoint, this.traced(request, false));
        continue;
      }
      this.backlogged.add(endpoint);
      this.store.release(request.id, { owner: this.options.instanceId, epoch: request.lease_epoch }).catch((error: unknown) => {
        // The lease then runs out and a sweep takes the request all the same, only later.
        this.deps.log.warn({ err: error, requestId: request.id }, "giving back an agency request failed; it waits out its lease");
      });
    }
  }

  /** Looks for due work nobody holds, as much as each endpoint's window has room for. Public so tests can force a pass. */
  async sweep(): Promise<number> {
    if (this.sweeping) {
      this.sweepAgain = true;
      return 0;
    }
    this.sweeping = true;
    try {
      const room = this.options.maxInFlight - this.active.size;
      if (room <= 0) return 0;
      const endpoints = this.deps.routes
        .endpoints()
        .map((e) => ({ ...e, room: Math.min(room, this.window - (this.held.get(`${e.kind}|${e.endpointKey}`) ?? 0)) }))
        .filter((e) => e.room > 0);
      const due = await this.store.claimDue(this.options.instanceId, this.options.leaseMs, room, endpoints);
      const taken = new Map<string, number>();
      for (const request of due) {
        const endpoint = endpointOf(request);
        taken.set(endpoint, (taken.get(endpoint) ?? 0) + 1);
        this.track(endpoint, this.traced(request, true));
      }
      // An endpoint that filled its room may have more due: take it up as its requests end, not a sweep interval later.
      for (const e of endpoints) {
        const endpoint = `${e.kind}|${e.endpointKey}`;
        if ((taken.get(endpoint) ?? 0) >= e.room) this.backlogged.add(endpoint);
        else this.backlogged.delete(endpoint);
      }
      return due.length;
    } catch (error) {
      this.deps.log.error({ err: error }, "sweep for due agency requests failed");
      return 0;
    } finally {
      this.sweeping = false;
      if (this.sweepAgain) {
        this.sweepAgain = false;
        this.sweepSoon();
      }
    }
  }

  /** One sweep at the next turn, however many ask for it in this one. */
  private sweepSoon(): void {
    if (this.sweepPending) return;
    this.sweepPending = true;
    setImmediate(() => {
      this.sweepPending = false;
      void this.sweep();
    });
  }

  private hasRoom(endpoint: string): boolean {
    return this.active.size < this.options.maxInFlight && (this.held.get(endpoint) ?? 0) < this.window;
  }

  /** An agency's callback, verified and decoded by its connector; safe to receive more than once. */
  async acceptCallback(kind: AgencyKind, body: string, headers: Record<string, string | undefined>): Promise<void> {
    const connector = this.deps.connectors[kind];
    if (!connector?.acceptCallback) throw new AgencyProtocolError(`agency ${kind} does not call back`);
    await this.settle(kind, connector.acceptCallback(body, headers, this.context(this.deps.routes.anyEndpoint(kind))));
  }

  /** A late answer, already verified and decoded by the agency's connector; safe to receive more than once. */
  async settle(kind: AgencyKind, delivery: { idempotencyKey: string; outcome: AgencyReply }): Promise<void> {
    const request = await this.store.findLeaseable(delivery.idempotencyKey);
    // Unknown, another agency's, or already finished: acknowledge and do nothing, so the agency stops retrying.
    if (!request || request.agency_kind !== kind || agencyRequestLifecycle.isFinal(request.status)) return;
    await this.apply(request, openPayload(request.payload), this.deps.routes.byKey(kind, request.endpoint_key), delivery.outcome);
  }

  /** One span per exchange (a no-op unless tracing is on), so the statements and HTTP calls of its round nest under it. */
  private traced(request: LeasedRequest, resumed: boolean): Promise<void> {
    const attributes = { "hub.agency": request.agency_kind, "hub.operation": request.operation, "hub.request_id": request.id };
    return tracer.startActiveSpan(`agency exchange ${request.agency_kind}`, { kind: SpanKind.CLIENT, attributes }, (span) =>
      this.handle(request, resumed).finally(() => span.end()),
    );
  }

  private observed(route: ResolvedRoute, outcome: string, startedAt: number): void {
    const span = trace.getActiveSpan();
    span?.setAttribute("hub.outcome", outcome);
    if (outcome === "ERROR") span?.setStatus({ code: SpanStatusCode.ERROR });
    this.deps.observer?.exchanged(route.kind, route.channel, outcome, (performance.now() - startedAt) / 1000);
  }

  private track(endpoint: string, work: Promise<void>): void {
    this.active.add(work);
    this.held.set(endpoint, (this.held.get(endpoint) ?? 0) + 1);
    void work.finally(() => {
      this.active.delete(work);
      const left = (this.held.get(endpoint) ?? 1) - 1;
      if (left === 0) this.held.delete(endpoint);
      else this.held.set(endpoint, left);
      if (this.backlogged.has(endpoint)) this.sweepSoon();
    });
  }

  /**
   * `resumed`: taken up from the schedule rather than just recorded here. Such a request may already
   * have reached the agency (sent before a crash or a lost lease, even if its SENT mark was not yet
   * written, or sent in a try that failed after delivery), so the agency is asked about it first.
   */
  private async handle(request: LeasedRequest, resumed: boolean): Promise<void> {
    const { log } = this.deps;
    const lease: Lease = { owner: this.options.instanceId, epoch: request.lease_epoch };
    try {
      const operation = this.operationOf(request);
      const route = this.deps.routes.byKey(request.agency_kind, request.endpoint_key);
      const connector = this.deps.connectors[request.agency_kind];
      const ctx = this.context(route);
      // Opened once per round: the finishing statement's audit digest uses the same call (see finish).
      const opened = openPayload(request.payload);
      const call = { ...opened, callbackUrl: this.callbackUrl(request, operation) };
      if (request.past_deadline) {
        await this.afterDeadline(request, opened, route, lease, () => operation.recall(request, call, connector, ctx));
        return;
      }
      // Only some operations have tickets to poll (inquiries); the others are answered in the exchange or by report.
      const poll = request.status === "AWAITING" && request.ticket !== null ? operation.poller?.(connector) : undefined;
      // Every submission is an attempt, quick retries included, so `attempts` is what the agency saw
      // and `maxAttempts` bounds it; each is recorded while the connector speaks, not before.
      const marks: Promise<void>[] = [];
      const round: Round = { submissions: 0, lookups: 0, polls: 0 };
      // After the first submission here, every further one is a resend too: the failed try may have been delivered.
      let resend = resumed;
      const submit = async () => {
        if (resend) {
          round.lookups++;
          const recalled = await operation.recall(request, call, connector, ctx);
          if (recalled) return recalled;
        }
        // The fence: nothing leaves unless this instance still holds the lease it was given, renewed here for the exchange.
        // Should this process then stall (or wait for a connection) past the send window, the transport refuses to write.
        const claimedAt = performance.now();
        if (!(await this.store.claimSubmission(request.id, lease, this.options.leaseMs))) {
          throw new SendWindowClosedError(`the lease on agency request ${request.id} was lost before it was sent`);
        }
        const sendBy = claimedAt + this.options.leaseMs * SEND_WINDOW;
        // The next try asks first even if this one seems not to have left: undici reports a request written only once its
        // whole body is, and a try cut off (timed out) in between may still reach the agency whole.
        resend = true;
        // SENT and the attempt are recorded when the request is on the wire (transport.ts), not before: one refused
        // before it left (the agency down) was seen by nobody, so it is no attempt.
        // A connector may send more than once in one exchange (a ticket, then its first poll): one submission all the same.
        let onWire = false;
        const sent = () => {
          if (onWire) return;
          onWire = true;
          round.submissions++;
          const mark = this.store.markSent(request.id, lease);
          mark.catch(() => undefined); // observed below; a failed write must not be an unhandled rejection meanwhile
          marks.push(mark);
        };
        return operation.exchange(request, call, connector, { ...ctx, transport: announcingSends(ctx.transport, sent, sendBy) });
      };
      const polled = (ticket: string) => {
        round.polls++;
        return poll!(ticket, call, ctx);
      };
      const startedAt = performance.now();
      let outcome: AgencyReply;
      try {
        outcome = poll
          ? await this.withQuickRetries(() => polled(request.ticket!), this.options.quickRetries)
          : await this.withQuickRetries(submit, Math.min(this.options.quickRetries, route.maxAttempts - request.attempts - 1));
      } catch (error) {
        await Promise.all(marks);
        if (error instanceof SendWindowClosedError) {
          await this.notSent(request, lease, round, error);
          return;
        }
        this.observed(route, "ERROR", startedAt);
        await this.onFailure(request, opened, route, error, round, lease);
        return;
      }
      this.observed(route, outcome.kind, startedAt);
      await Promise.all(marks);
      await this.apply(request, opened, route, outcome, round.lookups, lease);
    } catch (error) {
      // Database trouble: the lease runs out and this or another instance takes the request again.
      log.error({ err: error, requestId: request.id }, "recording an agency exchange failed; will resume after the lease");
    }
  }

  /**
   * A request past its deadline without a final answer. Most operations time it out. One whose agency may have
   * acted on it all the same (an order to freeze) marks its row unconfirmed and keeps asking the agency about it,
   * never submitting it again, with the same growing backoff, until the agency answers, says it never received
   * it, or its late answer arrives by callback.
   */
  private async afterDeadline(
    request: LeasedRequest,
    opened: CallRecord,
    route: ResolvedRoute,
    lease: Lease,
    recall: () => Promise<AgencyReply | undefined>,
  ): Promise<void> {
    const reason = timedOutReason(request);
    if (!(await this.operationOf(request).unconfirmed?.(request, reason))) {
      await this.finishUnanswered(request, opened, "TIMED_OUT", reason, lease);
      return;
    }
    let reply: AgencyReply | undefined;
    try {
      reply = await recall();
    } catch (error) {
      await this.lookUpLater(request, describeTry({ submissions: 0, lookups: 1, polls: 0 }, errorMessage(error)), lease);
      return;
    }
    if (reply === undefined) {
      const noRecord = `${reason}; asked after it, the agency has no record of it`;
      await this.finishUnanswered(request, opened, "TIMED_OUT", noRecord, lease, undefined, 1);
    } else if (reply.kind === "PENDING") {
      await this.lookUpLater(request, describeTry({ submissions: 0, lookups: 1, polls: 0 }, "the agency is still processing it"), lease);
    } else {
      await this.apply(request, opened, route, reply, 1, lease);
    }
  }

  /**
   * A submission the fence kept back: the lease was lost (another instance holds the request, and sends it), or its send
   * window closed before it was written. Then the lease still holds; the request goes back to the schedule due at once, so
   * whichever instance sweeps first asks the agency about it and sends it, rather than waiting out the lease.
   */
  private async notSent(request: LeasedRequest, lease: Lease, round: Round, error: SendWindowClosedError): Promise<void> {
    this.deps.log.warn({ requestId: request.id, ...round, error: error.message }, "agency request not sent: its lease ran short");
    const status: RescheduledStatus = request.ticket ? "AWAITING" : "QUEUED";
    await this.store.reschedule(request.id, { status, delayMs: 0, lookups: round.lookups, lease });
  }

  private async lookUpLater(request: LeasedRequest, failedTry: string, lease: Lease): Promise<void> {
    const operation = this.operationOf(request);
    const sinceDeadlineMs = (this.deps.clock?.() ?? new Date()).getTime() - request.deadline_at.getTime();
    if (operation.givenUp && sinceDeadlineMs >= (this.options.unconfirmedGiveUpMs ?? DEFAULT_UNCONFIRMED_GIVE_UP_MS)) {
      // Parked, not finished: no timer is set, the sweep never finds it due, and a late callback still settles it.
      const parked = await this.store.reschedule(request.id, {
        status: "AWAITING",
        delayMs: GIVEN_UP_DELAY_MS,
        lookups: 1,
        failedTry,
        lease,
      });
      const days = Math.floor(sinceDeadlineMs / 86_400_000);
      const reason = `no final answer ${days} days after the deadline; the agency was last asked ${failedTry}; lookups stopped`;
      if (parked !== undefined) await operation.givenUp(request, reason);
      return;
    }
    const delayMs = retryDelayMs(request.failed_rounds + 1, Math.random, this.backoff);
    const dueAt = performance.now() + delayMs;
    const scheduled = await this.store.reschedule(request.id, { status: "AWAITING", delayMs, lookups: 1, failedTry, lease });
    if (scheduled !== undefined) {
      this.rescheduled(request, "AWAITING");
      this.wakeWhenDue(request, scheduled, dueAt);
    }
  }

  /** Late answers come to /agency-callbacks/<AGENCY>, an agency's own reports on an operation to …<callbackPath> (e.g. …/measures). */
  private callbackUrl(request: LeasedRequest, operation: AgencyOperation): string {
    return `${this.options.callbackBaseUrl}/${request.agency_kind}${operation.callbackPath}`;
  }

  private operationOf(request: LeasedRequest): AgencyOperation {
    const operation = this.operations.get(request.operation);
    if (!operation) throw new Error(`no agency operation ${request.operation} registered`);
    return operation;
  }

  /**
   * `lease`: the lease a "come back later" is rescheduled under, none for an agency's callback. A final answer is the
   * agency's, recorded whoever holds the request now, as a callback's is: were it fenced too, an exchange that outlived
   * its lease would be answered to an instance that may no longer record it, the taker's own exchange could outlive its
   * lease likewise, and the request would pass from one to the other without end.
   */
  private async apply(
    request: LeasedRequest,
    opened: CallRecord,
    route: ResolvedRoute,
    outcome: AgencyReply,
    lookups = 0,
    lease?: Lease,
  ): Promise<void> {
    if (outcome.kind === "PENDING") {
      // The agency's "come back in N ms" counts from its reply, not from when the reschedule is written.
      const dueAt = performance.now() + outcome.pollAfterMs;
      const scheduled = await this.store.reschedule(request.id, {
        status: "AWAITING",
        ticket: outcome.ticket,
        delayMs: outcome.pollAfterMs,
        lookups,
        lease,
      });
      if (scheduled !== undefined) {
        this.rescheduled(request, "AWAITING");
        this.wakeWhenDue(request, scheduled, dueAt);
      }
    } else {
      await this.finish(request, opened, this.operationOf(request).settle(request, outcome), outcome.raw, lookups, undefined);
    }
    this.deps.log.info(
      { requestId: request.id, agency: route.kind, endpoint: route.endpointKey, outcome: outcome.kind },
      "agency exchange",
    );
  }

  /** A round that got no answer: FAILED if the reply was unusable or submissions ran out, else retried after a growing backoff. */
  private async onFailure(
    request: LeasedRequest,
    opened: CallRecord,
    route: ResolvedRoute,
    error: unknown,
    round: Round,
    lease: Lease,
  ): Promise<void> {
    const message = errorMessage(error);
    const raw = (error as { raw?: string }).raw;
    const transient = (error as { transient?: boolean }).transient === true;
    const attempts = request.attempts + round.submissions;
    this.deps.log.warn({ requestId: request.id, agency: route.kind, ...round, transient, error: message }, "agency exchange failed");
    if (!transient) {
      await this.finishUnanswered(request, opened, "FAILED", `unusable reply from the agency: ${message}`, lease, raw, round.lookups);
    } else if (attempts >= route.maxAttempts) {
      await this.finishUnanswered(request, opened, "FAILED", `gave up after ${attempts} attempts: ${message}`, lease, raw, round.lookups);
    } else {
      const status: RescheduledStatus = request.ticket ? "AWAITING" : "QUEUED";
      // Back off by failed rounds, whatever they tried: a round of lookups during an outage is as much a try as a submission.
      const delayMs = retryDelayMs(request.failed_rounds + 1, Math.random, this.backoff);
      const dueAt = performance.now() + delayMs;
      const scheduled = await this.store.reschedule(request.id, {
        status,
        delayMs,
        error: message,
        lookups: round.lookups,
        failedTry: describeTry(round, message),
        lease,
      });
      if (scheduled !== undefined) {
        this.rescheduled(request, status);
        this.wakeWhenDue(request, scheduled, dueAt);
      }
    }
  }

  /** Ends a request the agency never answered usefully; what that means (a measure it was to apply has failed) is the operation's. */
  private finishUnanswered(
    request: LeasedRequest,
    opened: CallRecord,
    status: FinalStatus,
    error: string,
    lease: Lease,
    raw?: string,
    lookups = 0,
  ): Promise<void> {
    const settlement = { status, error, change: this.operationOf(request).unanswered(request, error) };
    return this.finish(request, opened, settlement, raw, lookups, lease);
  }

  /** `call`: the request's payload as opened for its exchange, whose digest the audit row keeps. */
  private async finish(
    request: LeasedRequest,
    call: CallRecord,
    settlement: Settlement<unknown>,
    raw: string | undefined,
    lookups: number,
    lease: Lease | undefined,
  ): Promise<void> {
    const operation = this.operationOf(request);
    // The digest of what was sent, the debtor opened: a sealed payload differs each time it is sealed.
    const detail: FinishDetail = { raw, replyDigest: raw !== undefined ? sm3(raw) : undefined, lookups, lease };
    const audit: AuditEntry = {
      actorOrg: call.courtCode,
      actorOfficer: call.officer,
      action: "AGENCY_EXCHANGE",
      caseId: request.case_id,
      debtorId: request.debtor_id,
      subjectId: request.id,
      purpose: operation.purpose(request),
      sentDigest: sm3(canonicalJson(call)),
      replyDigest: detail.replyDigest,
      detail: {
        agency: request.agency_kind,
        endpoint: request.endpoint_key,
        status: settlement.status,
        ticket: request.ticket,
        error: settlement.error ?? null,
      },
    };
    await operation.finish(request, settlement, detail, audit);
    // A callback can finish a request that is waiting for its fallback poll; that wakeup is no longer needed.
    this.cancelWakeup(request.id);
  }

  /**
   * Takes a rescheduled request up again as soon as it falls due, instead of at
   * the next sweep: a poll the agency asked for in 250 ms would otherwise wait up
   * to a whole sweep interval more. The lease was given back, so another
   * instance (or the sweep) may take the request first, or a callback may
   * finish it; the claim then finds nothing and this does nothing. Sweeps still
   * find every due request, so a wakeup lost to a crash loses no work.
   */
  private wakeWhenDue(request: LeasedRequest, nextAttemptAt: string, dueAt: number): void {
    const { id } = request;
    const endpoint = endpointOf(request);
    this.cancelWakeup(id);
    const timer = setTimeout(
      () => {
        this.wakeups.delete(id);
        // Full: leave it to a sweep, which takes work only as room frees up.
        if (!this.hasRoom(endpoint)) {
          this.backlogged.add(endpoint);
          return;
        }
        this.track(
          endpoint,
          this.store.claimScheduled(id, nextAttemptAt, this.options.instanceId, this.options.leaseMs).then(
            (request) => (request ? this.traced(request, true) : undefined),
            (error: unknown) => this.deps.log.warn({ err: error, requestId: id }, "taking up a due agency request failed; a sweep will"),
          ),
        );
      },
      Math.max(0, dueAt - performance.now()),
    );
    timer.unref();
    this.wakeups.set(id, timer);
  }

  private cancelWakeup(id: string): void {
    const timer = this.wakeups.get(id);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.wakeups.delete(id);
  }

  private rescheduled(request: LeasedRequest, status: RescheduledStatus): void {
    this.operationOf(request).rescheduled?.(request, status);
  }

  private context(route: ResolvedRoute): ConnectorContext {
    return { transport: route.transport, secret: route.secret };
  }

  private withQuickRetries<T>(exchange: () => Promise<T>, retries: number): Promise<T> {
    return pRetry(exchange, {
      retries: Math.max(0, retries),
      minTimeout: this.options.quickRetryMinMs,
      factor: 2,
      randomize: true,
      shouldRetry: ({ error }) => (error as { transient?: boolean }).transient === true,
    });
  }
}
