/**
 * One HTTP transport per agency endpoint: its own undici connection pool and
 * timeouts, so a slow agency exhausts only its own sockets. Requests go through
 * the global fetch with an undici dispatcher, which nock can intercept in
 * connector unit tests (undici.request cannot be intercepted). Redirects are not followed: an endpoint is where
 * the operator said, and an answer cannot send the hub's signed requests elsewhere.
 */
import { Agent, type buildConnector } from "undici";
import { AgencyProtocolError, TransientAgencyError } from "./agencyErrors.js";

export interface EndpointOptions {
  /** Base URL, e.g. http://127.0.0.1:4101/national */
  baseUrl: string;
  /** Concurrent sockets to this endpoint. */
  connections?: number;
  /** Abort a single HTTP exchange after this long. */
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
}

export interface AgencyResponse {
  status: number;
  headers: Headers;
  body: string;
}

export interface AgencyTransport {
  readonly baseUrl: string;
  send(path: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<AgencyResponse>;
  close(): Promise<void>;
}

/**
 * `connector`, given the connect timeout, opens the sockets: the hub's checks each address it connects to
 * (gateway/outbound/outboundAgent.ts).
 */
export function createAgencyTransport(
  options: EndpointOptions,
  connector?: (connectTimeoutMs: number) => buildConnector.connector,
): AgencyTransport {
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 3_000;
  const dispatcher = new Agent({
    connections: options.connections ?? 32,
    connectTimeout: connectTimeoutMs,
    ...(connector && { connect: connector(connectTimeoutMs) }),
    headersTimeout: requestTimeoutMs,
    bodyTimeout: requestTimeoutMs,
    keepAliveTimeout: 30_000,
  });
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  return {
    baseUrl,
    async send(path, init) {
      const url = baseUrl + path;
      let response: Response;
      try {
        response = await fetch(url, {
          method: init.method ?? "POST",
          headers: init.headers,
          body: init.body,
          signal: AbortSignal.timeout(requestTimeoutMs),
          redirect: "manual",
          // @ts-expect-error undici's dispatcher option is not in the DOM fetch types
          dispatcher,
        });
      } catch (error) {
        throw new TransientAgencyError(`${init.method ?? "POST"} ${url} failed: ${describeFetchError(error)}`);
      }
      let body: string;
      try {
        body = await response.text();
      } catch (error) {
        throw new TransientAgencyError(`reading reply from ${url} failed: ${describeFetchError(error)}`);
      }
      if (response.status >= 300 && response.status < 400) {
        throw new AgencyProtocolError(`${url} answered a redirect (HTTP ${response.status}), which the hub does not follow`, body);
      }
      if (response.status >= 500 || response.status === 429 || response.status === 408) {
        throw new TransientAgencyError(`${url} answered HTTP ${response.status}`, body);
      }
      return { status: response.status, headers: response.headers, body };
    },
    close: () => dispatcher.close(),
  };
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError" || error.name === "AbortError") return "timed out";
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
