/**
 * Sends recorded agency requests and records what comes back. A request is
 * always in the database before it is sent; this instance holds a lease on it
 * while it works, and any instance takes over an expired lease (a crash), so
 * nothing is lost and resends carry the same idempotency key. Before resending
 * a request that may already have reached the agency, the dispatcher asks the
 * agency about its key (the connector's recall) and submits only if the agency
 * never received it. Each request runs on its own, so a slow or failing agency
 * only delays its own parts.
 */
import pRetry from "p-retry";
import {
  AgencyProtocolError,
  canAssist,
  canControl,
  type AgencyConnector,
  type AgencyKind,
  type AssistanceOutcome,
  type ConnectorContext,
  type ConnectorOutcome,
  type ControlOutcome,
  type InquiryFindings,
} from "../../connectors/connector.js";
import { failedAssistance, settleAssistance, type AssistanceChange } from "../../capabilities/assistance/assistanceOutcome.js";
import type { AssistanceRequestStore } from "../../capabilities/assistance/policeAssistanceStore.js";
import type { AuditEntry } from "../audit/auditEvent.js";
import { sm3, canonicalJson } from "../audit/sm3.js";
import type { HubEvents } from "../events/hubEvents.js";
import { failedControl, settleControl, type MeasureChange } from "../../capabilities/measures/controlOutcome.js";
import type { Logger } from "../logger.js";
import type { AgencyRoutes, ResolvedRoute } from "../routing/agencyRoutes.js";
import type { AgencyRequestStore, FinalStatus, LeasedRequest } from "./agencyRequestStore.js";
import { retryDelayMs } from "./retryDelay.js";

export interface DispatcherOptions {
  instanceId: string;
  /** Must exceed the longest exchange including quick retries, or another instance may resend meanwhile. */
  leaseMs: number;
  /** How often to look for due work that no instance holds. */
  sweepIntervalMs: number;
  maxInFlight: number;
  /** Quick in-memory retries of one exchange (p-retry) before it is rescheduled durably. */
  quickRetries: number;
  quickRetryMinMs: number;
  /** Base URL agencies call back to, e.g. http://hub.example/agency-callbacks */
  callbackBaseUrl: string;
}

export class Dispatcher {
  private readonly store: AgencyRequestStore;
  private readonly active = new Set<Promise<void>>();
  /** Requests this instance gave back to the schedule, by id: a timer to take each up again when it falls due. */
  private readonly wakeups = new Map<string, NodeJS.Timeout>();
  private sweeper?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    private readonly deps: {
      store: AgencyRequestStore;
      /** Ends requests for police assistance; inquiries and controls end in `store`. */
      assistance: AssistanceRequestStore;
      routes: AgencyRoutes;
      connectors: Record<AgencyKind, AgencyConnector>;
      events: HubEvents;
      log: Logger;
    },
    private readonly options: DispatcherOptions,
  ) {
    this.store = deps.store;
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

  /** Sends requests this instance has just recorded under its own lease. */
  dispatch(requests: LeasedRequest[]): void {
    for (const request of requests) this.track(this.handle(request, false));
  }

  /** Looks for due work nobody holds. Public so tests and the scheduler can force a pass. */
  async sweep(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    try {
      const room = this.options.maxInFlight - this.active.size;
      if (room <= 0) return 0;
      const due = await this.store.claimDue(this.options.instanceId, this.options.leaseMs, room);
      for (const request of due) this.track(this.handle(request, true));
      return due.length;
    } catch (error) {
      this.deps.log.error({ err: error }, "sweep for due agency requests failed");
      return 0;
    } finally {
      this.sweeping = false;
    }
  }

  /** An agency's callback, verified and decoded by its connector; safe to receive more than once. */
  async acceptCallback(kind: AgencyKind, body: string, headers: Record<string, string | undefined>): Promise<void> {
    const connector = this.deps.connectors[kind];
    if (!connector?.acceptCallback) throw new Error(`agency ${kind} does not call back`);
    await this.settle(kind, connector.acceptCallback(body, headers, this.context(this.deps.routes.anyEndpoint(kind))));
  }

  /** A late answer, already verified and decoded by the agency's connector; safe to receive more than once. */
  async settle(kind: AgencyKind, delivery: { idempotencyKey: string; outcome: ConnectorOutcome | ControlOutcome }): Promise<void> {
    const request = await this.store.findLeaseable(delivery.idempotencyKey);
    // Unknown, another agency's, or already finished: acknowledge and do nothing, so the agency stops retrying.
    if (!request || request.agency_kind !== kind || !["QUEUED", "SENT", "AWAITING"].includes(request.status)) return;
    await this.apply(request, this.deps.routes.byKey(kind, request.endpoint_key), delivery.outcome);
  }

  private track(work: Promise<void>): void {
    this.active.add(work);
    void work.finally(() => this.active.delete(work));
  }

  /**
   * `resumed`: taken up from the schedule rather than just recorded here. Such a request may already
   * have reached the agency (sent before a crash or a lost lease, even if its SENT mark was not yet
   * written, or sent in a try that failed after delivery), so the agency is asked about it first.
   */
  private async handle(request: LeasedRequest, resumed: boolean): Promise<void> {
    const { log } = this.deps;
    try {
      if (request.past_deadline) {
        await this.finishUnanswered(request, "TIMED_OUT", "no final answer from the agency before its deadline");
        return;
      }
      const route = this.deps.routes.byKey(request.agency_kind, request.endpoint_key);
      const connector = this.deps.connectors[request.agency_kind];
      const ctx = this.context(route);
      // Only inquiries have tickets to poll; control requests are answered in the exchange or by report.
      const inquiryCall = request.operation === "INQUIRY" ? { ...request.payload, callbackUrl: this.callbackUrl(request) } : undefined;
      const polling = inquiryCall !== undefined && request.status === "AWAITING" && request.ticket !== null && connector.poll !== undefined;
      // Every submission is an attempt, quick retries included, so `attempts` is what the agency saw
      // and `maxAttempts` bounds it; each is recorded while the connector speaks, not before.
      const marks: Promise<void>[] = [];
      // After the first submission here, every further one is a resend too: the failed try may have been delivered.
      let resend = resumed;
      const submit = async () => {
        if (resend) {
          const recalled = await this.recall(request, connector, ctx);
          if (recalled) return recalled;
        }
        resend = true;
        const mark = this.store.markSent(request.id, this.options.instanceId);
        mark.catch(() => undefined); // observed below; a failed write must not be an unhandled rejection meanwhile
        marks.push(mark);
        return this.exchange(request, connector, ctx);
      };
      let outcome: ConnectorOutcome | ControlOutcome | AssistanceOutcome;
      try {
        outcome = polling
          ? await this.withQuickRetries(() => connector.poll!(request.ticket!, inquiryCall, ctx), this.options.quickRetries)
          : await this.withQuickRetries(submit, Math.min(this.options.quickRetries, route.maxAttempts - request.attempts - 1));
      } catch (error) {
        await Promise.all(marks);
        // A failed poll counts as one more try towards the backoff and the limit, as a failed submission does.
        await this.onFailure(request, route, error, request.attempts + Math.max(1, marks.length));
        return;
      }
      await Promise.all(marks);
      await this.apply(request, route, outcome);
    } catch (error) {
      // Database trouble: the lease runs out and this or another instance takes the request again.
      log.error({ err: error, requestId: request.id }, "recording an agency exchange failed; will resume after the lease");
    }
  }

  /** One submission: an inquiry, a control of a measure, or a request for assistance, in the connector's own protocol. */
  private exchange(
    request: LeasedRequest,
    connector: AgencyConnector,
    ctx: ConnectorContext,
  ): Promise<ConnectorOutcome | ControlOutcome | AssistanceOutcome> {
    const callbackUrl = this.callbackUrl(request);
    if (request.operation === "INQUIRY") return connector.inquire({ ...request.payload, callbackUrl }, ctx);
    if (request.operation === "ASSISTANCE") {
      if (!canAssist(connector)) throw new AgencyProtocolError(`${request.agency_kind} no longer assists`);
      return connector.assist({ ...request.payload, callbackUrl }, ctx);
    }
    if (!canControl(connector)) throw new AgencyProtocolError(`${request.agency_kind} no longer carries out measures`);
    return connector.control({ ...request.payload, callbackUrl }, ctx);
  }

  /** The agency's reply to an earlier submission of this request, or undefined if it never received one (or cannot say). */
  private async recall(
    request: LeasedRequest,
    connector: AgencyConnector,
    ctx: ConnectorContext,
  ): Promise<ConnectorOutcome | ControlOutcome | AssistanceOutcome | undefined> {
    const callbackUrl = this.callbackUrl(request);
    if (request.operation === "INQUIRY") return connector.recall?.({ ...request.payload, callbackUrl }, ctx);
    if (request.operation === "ASSISTANCE")
      return canAssist(connector) ? connector.recallAssistance?.({ ...request.payload, callbackUrl }, ctx) : undefined;
    return canControl(connector) ? connector.recallControl?.({ ...request.payload, callbackUrl }, ctx) : undefined;
  }

  /** Late answers come to /agency-callbacks/<AGENCY>; an agency's own reports on measures to …/measures, on assistance to …/assistance. */
  private callbackUrl(request: LeasedRequest): string {
    const base = `${this.options.callbackBaseUrl}/${request.agency_kind}`;
    return request.operation === "CONTROL" ? `${base}/measures` : request.operation === "ASSISTANCE" ? `${base}/assistance` : base;
  }

  private async apply(
    request: LeasedRequest,
    route: ResolvedRoute,
    outcome: ConnectorOutcome | ControlOutcome | AssistanceOutcome,
  ): Promise<void> {
    if (outcome.kind === "PENDING") {
      // The agency's "come back in N ms" counts from its reply, not from when the reschedule is written.
      const dueAt = performance.now() + outcome.pollAfterMs;
      const scheduled = await this.store.reschedule(request.id, {
        status: "AWAITING",
        ticket: outcome.ticket,
        delayMs: outcome.pollAfterMs,
      });
      if (scheduled !== undefined) {
        this.publish(request, "AWAITING", null);
        this.wakeWhenDue(request.id, scheduled, dueAt);
      }
    } else if (request.operation === "ASSISTANCE") {
      const settled = settleAssistance(outcome as AssistanceOutcome);
      await this.finish(request, settled.requestStatus, { raw: outcome.raw, error: settled.error }, settled.change);
    } else if (request.operation === "CONTROL") {
      const settled = settleControl(request.payload.action, outcome as Exclude<ControlOutcome, { kind: "PENDING" }>);
      await this.finish(request, settled.requestStatus, { raw: outcome.raw, error: settled.error }, settled.change);
    } else {
      const answer = outcome as Exclude<ConnectorOutcome, { kind: "PENDING" }>;
      await (answer.kind === "ANSWERED"
        ? this.finish(request, "ANSWERED", { raw: answer.raw, findings: answer.findings })
        : this.finish(request, "REFUSED", { raw: answer.raw, error: `refused by the agency: ${answer.reason}` }));
    }
    this.deps.log.info(
      { requestId: request.id, agency: route.kind, endpoint: route.endpointKey, outcome: outcome.kind },
      "agency exchange",
    );
  }

  private async onFailure(request: LeasedRequest, route: ResolvedRoute, error: unknown, attempts: number): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const raw = (error as { raw?: string }).raw;
    const transient = (error as { transient?: boolean }).transient === true;
    this.deps.log.warn({ requestId: request.id, agency: route.kind, attempts, transient, error: message }, "agency exchange failed");
    if (!transient) {
      await this.finishUnanswered(request, "FAILED", `unusable reply from the agency: ${message}`, raw);
    } else if (attempts >= route.maxAttempts) {
      await this.finishUnanswered(request, "FAILED", `gave up after ${attempts} attempts: ${message}`, raw);
    } else {
      const status = request.ticket ? "AWAITING" : "QUEUED";
      // Back off by durable rounds, not submissions: each round already made up to quickRetries + 1 of them.
      const delayMs = retryDelayMs(Math.ceil(attempts / (this.options.quickRetries + 1)));
      const dueAt = performance.now() + delayMs;
      const scheduled = await this.store.reschedule(request.id, { status, delayMs, error: message });
      if (scheduled !== undefined) {
        this.publish(request, status, null);
        this.wakeWhenDue(request.id, scheduled, dueAt);
      }
    }
  }

  /** Ends a request the agency never answered usefully; a measure it was to apply has then failed. */
  private finishUnanswered(request: LeasedRequest, status: "FAILED" | "TIMED_OUT", error: string, raw?: string): Promise<void> {
    const change =
      request.operation === "CONTROL"
        ? failedControl(request.payload.action, error)
        : request.operation === "ASSISTANCE"
          ? failedAssistance(error)
          : {};
    return this.finish(request, status, { raw, error }, change);
  }

  private async finish(
    request: LeasedRequest,
    status: FinalStatus,
    detail: { raw?: string; findings?: InquiryFindings; error?: string },
    change: MeasureChange | AssistanceChange = {},
  ): Promise<void> {
    const call = request.payload;
    const replyDigest = detail.raw !== undefined ? sm3(detail.raw) : undefined;
    const audit: AuditEntry = {
      actorOrg: call.courtCode,
      actorOfficer: call.officer,
      action: "AGENCY_EXCHANGE",
      caseId: request.case_id,
      debtorId: request.debtor_id,
      subjectId: request.id,
      purpose: purposeOf(request),
      sentDigest: sm3(canonicalJson(call)),
      replyDigest,
      detail: { agency: request.agency_kind, endpoint: request.endpoint_key, status, ticket: request.ticket, error: detail.error ?? null },
    };
    if (request.operation === "ASSISTANCE") {
      await this.deps.assistance.finish(
        request,
        { status, raw: detail.raw, replyDigest, error: detail.error },
        audit,
        change as AssistanceChange,
      );
      this.cancelWakeup(request.id);
      return;
    }
    const result = await this.store.finish(
      request.id,
      { status, findings: detail.findings, raw: detail.raw, replyDigest, error: detail.error },
      audit,
      change as MeasureChange,
    );
    // A callback can finish a request that is waiting for its fallback poll; that wakeup is no longer needed.
    this.cancelWakeup(request.id);
    if (!result.finished) return;
    if (request.operation === "CONTROL" && result.measureStatus) {
      this.deps.events.publish("MEASURE", {
        caseId: request.case_id,
        courtCode: request.payload.courtCode,
        measureId: request.measure_id,
        status: result.measureStatus,
        warningDays: null,
      });
    }
    this.publish(request, status, result.openParts);
  }

  /**
   * Takes a rescheduled request up again as soon as it falls due, instead of at
   * the next sweep: a poll the agency asked for in 250 ms would otherwise wait up
   * to a whole sweep interval more. The lease was given back, so another
   * instance (or the sweep) may take the request first, or a callback may
   * finish it; the claim then finds nothing and this does nothing. Sweeps still
   * find every due request, so a wakeup lost to a crash loses no work.
   */
  private wakeWhenDue(id: string, nextAttemptAt: string, dueAt: number): void {
    this.cancelWakeup(id);
    const timer = setTimeout(
      () => {
        this.wakeups.delete(id);
        // Full: leave it to a sweep, which takes work only as room frees up.
        if (this.active.size >= this.options.maxInFlight) return;
        this.track(
          this.store.claimScheduled(id, nextAttemptAt, this.options.instanceId, this.options.leaseMs).then(
            (request) => (request ? this.handle(request, true) : undefined),
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

  private publish(request: LeasedRequest, status: string, openParts: number | null): void {
    if (request.operation !== "INQUIRY") return;
    this.deps.events.publish("INQUIRY_PART", {
      caseId: request.case_id,
      courtCode: request.payload.courtCode,
      inquiryId: request.inquiry_id,
      partId: request.id,
      agencyKind: request.agency_kind,
      status,
      openParts,
    });
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

/** What the audit row of an exchange says it was for. */
function purposeOf(request: LeasedRequest): string {
  switch (request.operation) {
    case "INQUIRY":
      return request.payload.purpose;
    case "CONTROL":
      return `${request.payload.action} ${request.payload.measureKind} ${request.payload.assetIdentifier}`;
    case "ASSISTANCE":
      return `POLICE ${request.payload.kind}`;
  }
}
