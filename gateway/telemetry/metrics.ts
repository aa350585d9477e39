/**
 * The hub's Prometheus metrics (prom-client), one registry per hub so that several hubs in one process (tests)
 * keep their figures apart. Names follow Prometheus conventions: the unit in the name, `_total` on counters, and
 * labels drawn from bounded sets (root fields of the schema, agency kinds, partner codes, lifecycle states),
 * never from what a caller chooses. Figures that live in the database (queue depths, list lag) are read when
 * scraped, so every instance reports the same truth and nothing drifts across restarts.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { ExchangeObserver } from "../dispatch/exchangeObserver.js";
import type { Sql } from "../persistence/sql.js";
import { agencyRequestDepths, measureDepths, peerOutboxDepths, type QueueDepth } from "./queueGauges.js";

/** A push or pull list partner's delivery state, as the partner registry reports it. */
export interface PartnerDelivery {
  partner: string;
  backlog: number;
  dead: number;
  oldestUnacknowledged: Date | null;
}

export interface PoolUse {
  total: number;
  idle: number;
  waiting: number;
}

export interface MetricsSources {
  sql: Sql;
  partnerDeliveries(): Promise<PartnerDelivery[]>;
  poolUse(): PoolUse;
}

/** Agency answers take from milliseconds (an online query) to minutes (a bank's freeze): buckets span both. */
const EXCHANGE_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export class HubMetrics implements ExchangeObserver {
  readonly registry = new Registry();
  private readonly operations: Counter<"operation_type" | "field" | "code">;
  private readonly operationSeconds: Histogram<"operation_type">;
  private readonly exchanges: Counter<"agency" | "channel" | "outcome">;
  private readonly exchangeSeconds: Histogram<"agency" | "channel">;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.operations = new Counter({
      name: "hub_graphql_operations_total",
      help: "GraphQL operations answered, by type, root field and error code (OK when none).",
      labelNames: ["operation_type", "field", "code"],
      registers,
    });
    this.operationSeconds = new Histogram({
      name: "hub_graphql_operation_duration_seconds",
      help: "Time from receiving a GraphQL operation to sending its response.",
      labelNames: ["operation_type"],
      registers,
    });
    this.exchanges = new Counter({
      name: "hub_agency_exchanges_total",
      help: "Rounds of exchange with an agency, by agency, channel and outcome (the reply's kind, or ERROR).",
      labelNames: ["agency", "channel", "outcome"],
      registers,
    });
    this.exchangeSeconds = new Histogram({
      name: "hub_agency_exchange_duration_seconds",
      help: "Time one round of exchange with an agency took, retries within the round included.",
      labelNames: ["agency", "channel"],
      buckets: EXCHANGE_BUCKETS,
      registers,
    });
    queueGauges(registers, "agency_requests", "Agency requests in an open state", ["agency", "status"], () =>
      agencyRequestDepths(sources.sql),
    );
    queueGauges(registers, "measures", "Measures in an open state", ["kind", "status"], () => measureDepths(sources.sql));
    queueGauges(registers, "peer_outbox_messages", "Messages to peer hubs not yet acknowledged", ["peer", "status"], () =>
      peerOutboxDepths(sources.sql),
    );
    partnerGauges(registers, sources);
    new Gauge({
      name: "hub_db_pool_connections",
      help: "Database connections of the shared pool, by state (total, idle, waiting clients).",
      labelNames: ["state"],
      registers,
      collect() {
        const use = sources.poolUse();
        this.set({ state: "total" }, use.total);
        this.set({ state: "idle" }, use.idle);
        this.set({ state: "waiting" }, use.waiting);
      },
    });
  }

  operationAnswered(operationType: string, field: string, code: string, seconds: number): void {
    this.operations.inc({ operation_type: operationType, field, code });
    this.operationSeconds.observe({ operation_type: operationType }, seconds);
  }

  /** An operation over WebSocket: counted, not timed (a subscription's life is not a response time). */
  operationCounted(operationType: string, field: string, code: string): void {
    this.operations.inc({ operation_type: operationType, field, code });
  }

  exchanged(agency: string, channel: string, outcome: string, seconds: number): void {
    this.exchanges.inc({ agency, channel, outcome });
    this.exchangeSeconds.observe({ agency, channel }, seconds);
  }

  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}

/** A count and an oldest-age gauge per open state, filled from one query at each scrape. */
function queueGauges(registers: Registry[], name: string, help: string, labelNames: string[], read: () => Promise<QueueDepth[]>): void {
  // Registered after the count below: a registry serialises in order, and the count's collect fills this one.
  const age = new Gauge({ name: `hub_${name}_oldest_age_seconds`, help: `${help}: age of the oldest.`, labelNames, registers: [] });
  new Gauge({
    name: `hub_${name}`,
    help: `${help}.`,
    labelNames,
    registers,
    async collect() {
      const depths = await read();
      this.reset();
      age.reset();
      for (const depth of depths) {
        this.set(depth.labels, depth.count);
        age.set(depth.labels, depth.oldestAgeSeconds);
      }
    },
  });
  for (const registry of registers) registry.registerMetric(age);
}

function partnerGauges(registers: Registry[], sources: MetricsSources): void {
  const labelNames = ["partner"];
  // Registered after the backlog below, whose collect fills them (a registry serialises in order).
  const dead = new Gauge({ name: "hub_list_dead_letters", help: "List changes a partner refused for good.", labelNames, registers: [] });
  const lag = new Gauge({
    name: "hub_list_delivery_lag_seconds",
    help: "Age of the oldest list change a partner has not acknowledged (0 when up to date).",
    labelNames,
    registers: [],
  });
  new Gauge({
    name: "hub_list_delivery_backlog",
    help: "List changes a partner has not acknowledged yet.",
    labelNames,
    registers,
    async collect() {
      const deliveries = await sources.partnerDeliveries();
      const now = Date.now();
      for (const delivery of deliveries) {
        const labels = { partner: delivery.partner };
        this.set(labels, delivery.backlog);
        dead.set(labels, delivery.dead);
        lag.set(labels, delivery.oldestUnacknowledged ? (now - delivery.oldestUnacknowledged.getTime()) / 1000 : 0);
      }
    },
  });
  for (const registry of registers) {
    registry.registerMetric(dead);
    registry.registerMetric(lag);
  }
}
