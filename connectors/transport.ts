/**
 * One HTTP transport per agency endpoint: its own undici connection pool and
 * timeouts, so a slow agency exhausts only its own sockets. Requests go through
 * undici's own `request` on that pool (`undiciExchange`): it costs the hub less than half the CPU of the global fetch
 * on the same pool (docs/BENCHMARKS.md, client CPU per agency exchange). nock intercepts fetch, not undici's
 * `request`, so connector unit tests give the transport a fetch exchange of their own (`exchange`); everything around
 * the exchange (what a status means, when a request counts as sent) is the same. Redirects are not followed: an
 * endpoint is where the operator said, and an answer cannot send the hub's signed requests elsewhere.
 *
 * A send can say when its request has been written whole to the agency's connection (`onSent`): undici calls its
 * handler's onRequestSent then, after connecting and writing headers and body. A request refused before that (the
 * connection refused, the connect timing out) never calls it, so the dispatcher neither marks it SENT nor counts it
 * as an attempt: the agency cannot have seen it.
 *
 * A send can also say until when it may be written (`sendBy`, on the performance.now() clock): undici calls its handler's
 * onConnect when the request has a socket, and writes it in the same turn, so a request whose window has closed by then
 * (it waited for a connection, or the process stalled) is aborted there, before any byte leaves, with a
 * SendWindowClosedError. The dispatcher's lease sets the window (gateway/dispatch/dispatcher.ts).
 */
import { Agent, request, type buildConnector, type Dispatcher } from "undici";
import { AgencyProtocolError, SendWindowClosedError, TransientAgencyError } from "./agencyErrors.js";

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
  body: string;
}

/**
 * One HTTP exchange through `dispatcher` (the endpoint's pool, or it wrapped to report the request sent): the reply's
 * status and whole body, or a rejection when none came. Redirects must not be followed.
 */
export type HttpExchange = (
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string; timeoutMs: number; dispatcher: Pick<Dispatcher, "dispatch"> },
) => Promise<AgencyResponse>;

/** The hub's exchange: undici's `request`, which follows no redirect unless told to. */
export const undiciExchange: HttpExchange = async (url, init) => {
  const response = await request(url, {
    method: init.method as Dispatcher.HttpMethod,
    headers: init.headers,
    body: init.body,
    signal: AbortSignal.timeout(init.timeoutMs),
    dispatcher: init.dispatcher as Dispatcher,
  });
  return { status: response.statusCode, body: await response.body.text() };
};

export interface SendInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Called once, when the request has been written whole to the agency's connection. */
  onSent?: () => void;
  /** performance.now() after which the request must not be written any more. */
  sendBy?: number;
}

export interface AgencyTransport {
  readonly baseUrl: string;
  send(path: string, init: SendInit): Promise<AgencyResponse>;
  close(): Promise<void>;
}

/**
 * The transport, every send of it telling `onSent` when its request is on the wire (the dispatcher's SENT and attempts) and
 * written only until `sendBy`.
 */
export function announcingSends(transport: AgencyTransport, onSent: () => void, sendBy?: number): AgencyTransport {
  return { ...transport, send: (path, init) => transport.send(path, { ...init, onSent, sendBy }), close: () => transport.close() };
}

/**
 * The pool as a dispatcher of one request that calls `onSent` from undici's onRequestSent, and `tooLate` from its
 * onConnect, aborting the request before it is written when that says so. The exchange (undici's request, or fetch in
 * connector tests) hands its handler, made for this one request, to the pool's dispatch; the two methods are replaced on
 * the handler itself, so they and the rest still run on it (its state lives in `this`), at no cost to the other calls.
 */
function sendingThrough(pool: Agent, onSent: () => void, tooLate: () => Error | undefined): Pick<Dispatcher, "dispatch"> {
  return {
    dispatch(options, handler) {
      // onConnect and onRequestSent are undici's older handler interface, which the handlers of request and fetch still speak.
      const legacy = handler as { onConnect?: (abort: (error: Error) => void) => void; onRequestSent?: () => void };
      const { onConnect, onRequestSent } = legacy;
      legacy.onConnect = function (this: unknown, abort) {
        const closed = tooLate();
        if (closed) return abort(closed);
        return onConnect?.call(this, abort);
      };
      legacy.onRequestSent = function (this: unknown) {
        onSent();
        return onRequestSent?.call(this);
      };
      return pool.dispatch(options, handler);
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
  exchange: HttpExchange = undiciExchange,
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
      let closed: SendWindowClosedError | undefined;
      const tooLate = () => {
        if (init.sendBy !== undefined && performance.now() > init.sendBy) {
          closed = new SendWindowClosedError(`${init.method ?? "POST"} ${url} not sent: its window closed while it waited to be written`);
        }
        return closed;
      };
      const onSent = () => {
        if (sent) return;
        sent = true;
        init.onSent?.();
      };
      let response: AgencyResponse;
      try {
        response = await exchange(url, {
          method: init.method ?? "POST",
          headers: init.headers,
          body: init.body,
          timeoutMs: requestTimeoutMs,
          dispatcher: init.onSent || init.sendBy !== undefined ? sendingThrough(dispatcher, onSent, tooLate) : dispatcher,
        });
        // A reply proves the request arrived, also where nothing went through the pool (nock, in connector tests).
        onSent();
      } catch (error) {
        if (closed) throw closed;
        throw new TransientAgencyError(`${init.method ?? "POST"} ${url} failed: ${describeFetchError(error)}`);
      }
      const { body } = response;
      if (response.status >= 300 && response.status < 400) {
        throw new AgencyProtocolError(`${url} answered a redirect (HTTP ${response.status}), which the hub does not follow`, body);
      }
      if (response.status >= 500 || response.status === 429 || response.status === 408) {
        throw new TransientAgencyError(`${url} answered HTTP ${response.status}`, body);
      }
      return response;
    },
    close: () => dispatcher.close(),
  };
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError" || error.name === "AbortError") return "timed out";
    // fetch wraps the network's error in its cause; undici's request rejects with it.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? (error as { code?: string }).code ?? error.message;
  }
  return String(error);
}
