/**
 * The baseline the hub is measured against: the same five connectors, over
 * the same kind of transports (one undici pool per endpoint, same options),
 * called straight from the benchmark process in parallel, with no database,
 * no GraphQL and no dispatcher. Each agency is driven as the dispatcher
 * drives it: inquire(); then, while the answer is PENDING, poll() after the
 * connector's pollAfterMs — except that an agency that calls back (tax) is
 * answered by its callback, received here by a small HTTP server and decoded
 * by the connector's own acceptCallback, exactly as the hub receives it. The
 * tax connector's 15 s fallback poll stays armed but never fires when the
 * callback arrives.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { AgencyConnector, AgencyKind, ConnectorOutcome, InquiryCall } from "../../connectors/connector.js";
import { connectors } from "../../connectors/registry.js";
import { AgencyRoutes, type AgencyRoutesConfig } from "../../gateway/routing/agencyRoutes.js";

export interface DirectResult {
  totalMs: number;
  /** Milliseconds from the start to each agency's final answer. */
  byAgency: Partial<Record<AgencyKind, number>>;
  outcomes: Partial<Record<AgencyKind, ConnectorOutcome["kind"]>>;
}

type Delivery = { outcome: ConnectorOutcome } | { error: unknown };

export class DirectClient {
  private readonly routes: AgencyRoutes;
  private server?: Server;
  private callbackBase = "";
  /** Callbacks that arrived before anyone waited for them (an agency may call back before its 202 arrives). */
  private readonly early = new Map<string, Delivery>();
  private readonly waiting = new Map<string, (delivery: Delivery) => void>();

  constructor(agencies: AgencyRoutesConfig) {
    // The sandbox agencies are on this machine: the development rule.
    this.routes = new AgencyRoutes(agencies, { development: true, allow: [] });
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const kind = (request.url ?? "").split("/").pop() as AgencyKind;
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        try {
          const connector = connectors[kind];
          const route = this.routes.anyEndpoint(kind);
          const delivery = connector.acceptCallback!(Buffer.concat(chunks).toString("utf8"), request.headers as Record<string, string>, {
            transport: route.transport,
            secret: route.secret,
          });
          this.deliver(delivery.idempotencyKey, { outcome: delivery.outcome });
          response.writeHead(204).end();
        } catch {
          response.writeHead(401).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.callbackBase = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/agency-callbacks`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.routes.close();
  }

  /** One inquiry at every national agency, as the hub would make it; resolves when all have answered. */
  async inquire(base: Omit<InquiryCall, "idempotencyKey" | "callbackUrl">, divisionCode: string): Promise<DirectResult> {
    const kinds = this.routes.nationalKinds();
    const started = performance.now();
    const byAgency: DirectResult["byAgency"] = {};
    const outcomes: DirectResult["outcomes"] = {};
    await Promise.all(
      kinds.map(async (kind) => {
        const outcome = await this.ask(kind, base, divisionCode);
        byAgency[kind] = performance.now() - started;
        outcomes[kind] = outcome.kind;
      }),
    );
    return { totalMs: performance.now() - started, byAgency, outcomes };
  }

  private async ask(
    kind: AgencyKind,
    base: Omit<InquiryCall, "idempotencyKey" | "callbackUrl">,
    divisionCode: string,
  ): Promise<ConnectorOutcome> {
    const connector: AgencyConnector = connectors[kind];
    const route = this.routes.resolve(kind, "NATIONAL", divisionCode);
    const ctx = { transport: route.transport, secret: route.secret };
    const call: InquiryCall = { ...base, idempotencyKey: randomUUID(), callbackUrl: `${this.callbackBase}/${kind}` };
    let outcome = await connector.inquire(call, ctx);
    while (outcome.kind === "PENDING") {
      const { ticket, pollAfterMs } = outcome;
      if (connector.acceptCallback) {
        const delivered = await this.callbackOrTimeout(call.idempotencyKey, pollAfterMs);
        if (delivered && "error" in delivered) throw delivered.error;
        outcome = delivered ? delivered.outcome : await connector.poll!(ticket, call, ctx);
      } else {
        await new Promise((resolve) => setTimeout(resolve, pollAfterMs));
        outcome = await connector.poll!(ticket, call, ctx);
      }
    }
    return outcome;
  }

  private deliver(key: string, delivery: Delivery): void {
    const waiter = this.waiting.get(key);
    if (waiter) {
      this.waiting.delete(key);
      waiter(delivery);
    } else {
      this.early.set(key, delivery);
    }
  }

  /** The callback for `key`, or undefined once `timeoutMs` has passed without one. */
  private callbackOrTimeout(key: string, timeoutMs: number): Promise<Delivery | undefined> {
    const early = this.early.get(key);
    if (early) {
      this.early.delete(key);
      return Promise.resolve(early);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        resolve(undefined);
      }, timeoutMs);
      this.waiting.set(key, (delivery) => {
        clearTimeout(timer);
        resolve(delivery);
      });
    });
  }
}
