/**
 * Sends recorded agency requests and records what comes back. A request is
 * always in the database before it is sent; this instance holds a lease on it
 * while it works, and any instance takes over an expired lease (a crash), so
 * nothing is lost and resends carry the same idempotency key. Each request runs
 * on its own, so a slow or failing agency only delays its own parts.
 */
import pRetry from "p-retry";
import type {
  AgencyConnector,
  AgencyKind,
  ConnectorContext,
  ConnectorOutcome,
  InquiryCall,
  InquiryFindings,
} from "../../connectors/connector.js";
import type { AuditEntry } from "../audit/auditEvent.js";
import { sm3, canonicalJson } from "../audit/sm3.js";
import type { HubEvents } from "../events/hubEvents.js";
import type { Logger } from "../logger.js";
import type { AgencyRoutes, ResolvedRoute } from "../routing/agencyRoutes.js";
import { AgencyRequestStore, type FinalStatus, type LeasedRequest } from "./agencyRequestStore.js";
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
  private sweeper?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    private readonly deps: {
      store: AgencyRequestStore;
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
    await Promise.allSettled([...this.active]);
  }

  /** Sends requests this instance has just recorded under its own lease. */
  dispatch(requests: LeasedRequest[]): void {
    for (const request of requests) this.track(this.handle(request));
  }

  /** Looks for due work nobody holds. Public so tests and the scheduler can force a pass. */
  async sweep(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    try {
      const room = this.options.maxInFlight - this.active.size;
      if (room <= 0) return 0;
      const due = await this.store.claimDue(this.options.instanceId, this.options.leaseMs, room);
      this.dispatch(due);
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
    const delivery = connector.acceptCallback(body, headers, this.context(this.deps.routes.anyEndpoint(kind)));
    const request = await this.store.findLeaseable(delivery.idempotencyKey);
    // Unknown, another agency's, or already finished: acknowledge and do nothing, so the agency stops retrying.
    if (!request || request.agency_kind !== kind || !["QUEUED", "SENT", "AWAITING"].includes(request.status)) return;
    await this.apply(request, this.deps.routes.byKey(kind, request.endpoint_key), delivery.outcome);
  }

  private track(work: Promise<void>): void {
    this.active.add(work);
    void work.finally(() => this.active.delete(work));
  }

  private async handle(request: LeasedRequest): Promise<void> {
    const { log } = this.deps;
    try {
      if (request.past_deadline) {
        await this.finish(request, "TIMED_OUT", { error: "no final answer from the agency before its deadline" });
        return;
      }
      const route = this.deps.routes.byKey(request.agency_kind, request.endpoint_key);
      const connector = this.deps.connectors[request.agency_kind];
      const call: InquiryCall = {
        ...request.payload,
        callbackUrl: `${this.options.callbackBaseUrl}/${request.agency_kind}`,
      };
      const ctx = this.context(route);
      const polling = request.status === "AWAITING" && request.ticket !== null && connector.poll !== undefined;
      let outcome: ConnectorOutcome;
      try {
        if (polling) {
          outcome = await this.withQuickRetries(() => connector.poll!(request.ticket!, call, ctx));
        } else {
          const marked = this.store.markSent(request.id, this.options.instanceId);
          outcome = await this.withQuickRetries(() => connector.inquire(call, ctx));
          await marked;
        }
      } catch (error) {
        await this.onFailure(request, route, error);
        return;
      }
      await this.apply(request, route, outcome);
    } catch (error) {
      // Database trouble: the lease runs out and this or another instance takes the request again.
      log.error({ err: error, requestId: request.id }, "recording an agency exchange failed; will resume after the lease");
    }
  }

  private async apply(request: LeasedRequest, route: ResolvedRoute, outcome: ConnectorOutcome): Promise<void> {
    if (outcome.kind === "ANSWERED") {
      await this.finish(request, "ANSWERED", { raw: outcome.raw, findings: outcome.findings });
    } else if (outcome.kind === "REFUSED") {
      await this.finish(request, "REFUSED", { raw: outcome.raw, error: `refused by the agency: ${outcome.reason}` });
    } else {
      await this.store.reschedule(request.id, { status: "AWAITING", ticket: outcome.ticket, delayMs: outcome.pollAfterMs });
      this.publish(request, "AWAITING", null);
    }
    this.deps.log.info(
      { requestId: request.id, agency: route.kind, endpoint: route.endpointKey, outcome: outcome.kind },
      "agency exchange",
    );
  }

  private async onFailure(request: LeasedRequest, route: ResolvedRoute, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const raw = (error as { raw?: string }).raw;
    const transient = (error as { transient?: boolean }).transient === true;
    const attempts = request.attempts + 1;
    this.deps.log.warn({ requestId: request.id, agency: route.kind, attempts, transient, error: message }, "agency exchange failed");
    if (!transient) {
      await this.finish(request, "FAILED", { raw, error: `unusable reply from the agency: ${message}` });
    } else if (attempts >= route.maxAttempts) {
      await this.finish(request, "FAILED", { raw, error: `gave up after ${attempts} attempts: ${message}` });
    } else {
      const status = request.ticket ? "AWAITING" : "QUEUED";
      await this.store.reschedule(request.id, { status, delayMs: retryDelayMs(attempts), error: message });
      this.publish(request, status, null);
    }
  }

  private async finish(
    request: LeasedRequest,
    status: FinalStatus,
    detail: { raw?: string; findings?: InquiryFindings; error?: string },
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
      purpose: call.purpose,
      sentDigest: sm3(canonicalJson(call)),
      replyDigest,
      detail: { agency: request.agency_kind, endpoint: request.endpoint_key, status, ticket: request.ticket, error: detail.error ?? null },
    };
    const result = await this.store.finish(request.id, { status, findings: detail.findings, raw: detail.raw, replyDigest, error: detail.error }, audit);
    if (result.finished) this.publish(request, status, result.openParts);
  }

  private publish(request: LeasedRequest, status: string, openParts: number | null): void {
    if (!request.inquiry_id) return;
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

  private withQuickRetries(exchange: () => Promise<ConnectorOutcome>): Promise<ConnectorOutcome> {
    return pRetry(exchange, {
      retries: this.options.quickRetries,
      minTimeout: this.options.quickRetryMinMs,
      factor: 2,
      randomize: true,
      shouldRetry: ({ error }) => (error as { transient?: boolean }).transient === true,
    });
  }
}
