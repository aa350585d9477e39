import { isSpanContextValid, trace } from "@opentelemetry/api";
import { type DestinationStream, pino, type Logger } from "pino";
import { currentRequest } from "./telemetry/requestContext.js";

export type { Logger };

/**
 * Every line written while serving a request names it (`reqId`, as pino-http does; `requestId` in the hub's own
 * lines is an agency request's id), and the trace it belongs to when tracing is on.
 */
function requestFields(): Record<string, string> {
  const request = currentRequest();
  const span = trace.getActiveSpan()?.spanContext();
  return {
    ...(request && { reqId: request.requestId }),
    ...(span && isSpanContextValid(span) && { traceId: span.traceId, spanId: span.spanId }),
  };
}

/** `destination`: where lines go; default stdout. */
export function createLogger(level = process.env.LOG_LEVEL ?? "info", destination?: DestinationStream): Logger {
  return pino({ level, base: { service: "enforcement-linkage-hub" }, mixin: requestFields }, destination);
}
