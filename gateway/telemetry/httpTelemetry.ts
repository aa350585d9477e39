/**
 * Wraps the handling of one HTTP request: it gets a request id (the client's `x-request-id` when it is a plain
 * token), answered in the same header and named in every log line written meanwhile, and a server span.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { requestIdFrom, runInRequest } from "./requestContext.js";

const tracer = trace.getTracer("enforcement-linkage-hub");

export function observeRequest(request: IncomingMessage, response: ServerResponse, handle: () => void): void {
  const requestId = requestIdFrom(request.headers["x-request-id"]);
  response.setHeader("x-request-id", requestId);
  const path = (request.url ?? "/").split("?")[0];
  // Span names stay few (the path's first segment); the whole path is an attribute.
  const name = `${request.method} /${path.split("/")[1] ?? ""}`;
  runInRequest({ requestId }, () =>
    tracer.startActiveSpan(
      name,
      { kind: SpanKind.SERVER, attributes: { "http.request.method": request.method ?? "", "url.path": path, "hub.request_id": requestId } },
      (span) => {
        response.once("close", () => {
          span.setAttribute("http.response.status_code", response.statusCode);
          if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        });
        handle();
      },
    ),
  );
}
