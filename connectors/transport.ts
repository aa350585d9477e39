/**
 * One HTTP transport per agency endpoint: its own undici connection pool and
 * timeouts, so a slow agency exhausts only its own sockets. Requests go through
 * the global fetch with an undici dispatcher, which nock can intercept in
 * connector unit tests (undici.request cannot be intercepted). Redirects are not followed: an endpoint is where
 * the operator said, and an answer cannot send the hub's signed requests elsewhere.
 *
 * A send can say when its request has been written whole to the agency's connection (`onSent`): undici calls its
 * handler's onRequestSent then, after connecting and writing headers and body. A request refused before that (the
 * connection refused, the connect timing out) never calls it, so the dispatcher neither marks it SENT nor counts it
 * as an attempt: the agency cannot have seen it.
 */
import { Agent, type buildConnector, type Dispatcher } from "undici";
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

export interface SendInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Called once, when the request has been written whole to the agency's connection. */
  onSent?: () => void;
}

export interface AgencyTransport {
  readonly baseUrl: string;
  send(path: string, init: SendInit): Promise<AgencyResponse>;
  close(): Promise<void>;
}

/** The transport, every send of it telling `onSent` when its request is on the wire (the dispatcher's SENT and attempts). */
export function announcingSends(transport: AgencyTransport, onSent: () => void): AgencyTransport {
  return { ...transport, send: (path, init) => transport.send(path, { ...init, onSent }), close: () => transport.close() };
}

/**
 * The pool as a dispatcher of one request that calls `onSent` from undici's onRequestSent. fetch hands its handler to
 * the pool's dispatch; the handler's own methods still run on it (its state lives in `this`).
 */
function sendingThrough(pool: Agent, onSent: () => void): Pick<Dispatcher, "dispatch"> {
  return {
    dispatch(options, handler) {
      const announcing = new Proxy(handler, {
        get(target, property) {
          if (property === "onRequestSent") {
            return () => {
              onSent();
              // onRequestSent is undici's older handler interface, which fetch's handler still speaks.
              return (target as { onRequestSent?: () => void }).onRequestSent?.();
            };
          }
          const value = Reflect.get(target, property, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      return pool.dispatch(options, announcing);
    },
  };
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
      let sent = false;
      const onSent = () => {
        if (sent) return;
        sent = true;
        init.onSent?.();
      };
      let response: Response;
      try {
        response = await fetch(url, {
          method: init.method ?? "POST",
          headers: init.headers,
          body: init.body,
          signal: AbortSignal.timeout(requestTimeoutMs),
          redirect: "manual",
          // @ts-expect-error undici's dispatcher option is not in the DOM fetch types
          dispatcher: init.onSent ? sendingThrough(dispatcher, onSent) : dispatcher,
        });
        // A reply proves the request arrived, also where nothing went through the pool (nock, in connector tests).
        onSent();
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
