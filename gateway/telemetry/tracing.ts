/**
 * OpenTelemetry traces, exported over OTLP/HTTP when an endpoint is configured (config.ts reads the standard
 * OTEL_EXPORTER_OTLP_* variables). The hub's code opens its spans through
 * @opentelemetry/api alone (HTTP requests, GraphQL operations, agency exchanges, database statements), which
 * costs nothing while no provider is registered; this file registers one for the process.
 */
import { trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, NodeTracerProvider } from "@opentelemetry/sdk-trace-node";

export interface TracingOptions {
  /** Where spans are sent, e.g. http://collector:4318/v1/traces. */
  endpoint: string;
  serviceName: string;
  instanceId: string;
  /**
   * How long spans are batched before export, in milliseconds.
   * @default 2000
   */
  exportDelayMs?: number;
}

export interface Tracing {
  /** Sends what is batched and unregisters the provider, so the process can register another. */
  shutdown(): Promise<void>;
}

export function startTracing(options: TracingOptions): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName, "service.instance.id": options.instanceId }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: options.endpoint }), { scheduledDelayMillis: options.exportDelayMs ?? 2000 }),
    ],
  });
  provider.register();
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
    },
  };
}
