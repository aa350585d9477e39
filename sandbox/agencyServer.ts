/**
 * The machinery every sandbox agency shares: one HTTP server per agency, the
 * national (/national) and local (/local/{divisionPrefix}) channels, idempotent
 * replay of submissions, lookups of a submission by its key, injected latency
 * and faults, statistics and the
 * /_sandbox control routes. An agency module only declares its routes and the
 * shape of its error replies; everything a connector must survive
 * (slowness, 503s, lost replies, garbage, refused connections) happens here,
 * the same way for all of them.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AgencyKind } from "../connectors/connector.js";

export interface SandboxKnobs {
  /** Added before every agency reply. */
  latencyMs: number;
  /** Up to this much more, uniformly at random. */
  jitterMs: number;
  /** Share of requests answered 503 before anything is executed. */
  errorRate: number;
  /** Share of requests executed but never answered: the socket stays open until the client gives up. */
  timeoutRate: number;
  /** Share of requests executed but answered 200 with a body cut off half-way. */
  malformedRate: number;
  /** How long a ticket takes to be done (vehicle, tax), and a request for police assistance to be carried out. */
  processingMs: number;
  /** Drop every agency request's connection; the control routes keep answering. */
  down: boolean;
}

export const DEFAULT_KNOBS: Readonly<SandboxKnobs> = {
  latencyMs: 30,
  jitterMs: 20,
  errorRate: 0,
  timeoutRate: 0,
  malformedRate: 0,
  processingMs: 300,
  down: false,
};

const RATE_KNOBS = new Set(["errorRate", "timeoutRate", "malformedRate"]);

/** Apply a partial knob setting, all or nothing. Throws a RangeError naming the first bad knob. */
export function applyKnobs(target: SandboxKnobs, patch: unknown): void {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
    throw new RangeError("knobs must be a JSON object");
  }
  for (const [name, value] of Object.entries(patch)) {
    if (!(name in DEFAULT_KNOBS)) throw new RangeError(`unknown knob ${name}`);
    if (name === "down") {
      if (typeof value !== "boolean") throw new RangeError("down must be a boolean");
    } else if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (RATE_KNOBS.has(name) && value > 1)) {
      throw new RangeError(`${name} must be a number ${RATE_KNOBS.has(name) ? "between 0 and 1" : ">= 0"}`);
    }
  }
  Object.assign(target, patch);
}

export class SandboxStats {
  /** Requests carrying an idempotency key that would create a query, repeats included: what the agency received. */
  submissions = 0;
  /** Distinct keys actually executed. */
  executions = 0;
  /** Submissions whose key had been seen: answered from the stored original. */
  duplicateSubmissions = 0;
  polls = 0;
  /** Questions about an earlier submission's key (did it arrive, what was answered); they create nothing. */
  lookups = 0;
  /** Requests whose connection was dropped because the agency was down (knob `down`): every try made during an outage. */
  dropped = 0;
  /** Callbacks the receiver acknowledged with a 2xx. */
  callbacksSent = 0;
  /** Callbacks given up after every retry failed. */
  callbacksFailed = 0;
  /** Every callback delivery attempt, retries included. */
  callbackAttempts = 0;
  private readonly submissionsByKey = new Map<string, number>();
  private readonly executionsByKey = new Map<string, number>();
  private readonly lookupsByKey = new Map<string, number>();

  submissionsFor(idempotencyKey: string): number {
    return this.submissionsByKey.get(idempotencyKey) ?? 0;
  }

  /** Times the key was executed: 1 when every repeat was answered from the stored original. */
  executionsFor(idempotencyKey: string): number {
    return this.executionsByKey.get(idempotencyKey) ?? 0;
  }

  lookupsFor(idempotencyKey: string): number {
    return this.lookupsByKey.get(idempotencyKey) ?? 0;
  }

  recordLookup(idempotencyKey: string): void {
    this.lookups++;
    this.lookupsByKey.set(idempotencyKey, this.lookupsFor(idempotencyKey) + 1);
  }

  recordSubmission(idempotencyKey: string, duplicate: boolean): void {
    this.submissions++;
    this.submissionsByKey.set(idempotencyKey, this.submissionsFor(idempotencyKey) + 1);
    if (duplicate) this.duplicateSubmissions++;
    else {
      this.executions++;
      this.executionsByKey.set(idempotencyKey, this.executionsFor(idempotencyKey) + 1);
    }
  }

  reset(): void {
    this.submissions = this.executions = this.duplicateSubmissions = this.polls = this.lookups = this.dropped = 0;
    this.callbacksSent = this.callbacksFailed = this.callbackAttempts = 0;
    this.submissionsByKey.clear();
    this.executionsByKey.clear();
    this.lookupsByKey.clear();
  }

  toJSON() {
    const { submissions, executions, duplicateSubmissions, polls, lookups, dropped, callbacksSent, callbacksFailed, callbackAttempts } =
      this;
    return {
      submissions,
      executions,
      duplicateSubmissions,
      polls,
      lookups,
      dropped,
      callbacksSent,
      callbacksFailed,
      callbackAttempts,
      submissionsByKey: Object.fromEntries(this.submissionsByKey),
    };
  }
}

/** 总对总 reaches every record of the agency; 点对点 reaches one court's local office. */
export type Channel = { scope: "national" } | { scope: "local"; divisionPrefix: string };

/** A local office holds only the records of its own division; the national channel reaches all. */
export function reachableOn(channel: Channel, divisionCode: string): boolean {
  return channel.scope === "national" || divisionCode.startsWith(channel.divisionPrefix);
}

export interface AgencyRequest {
  channel: Channel;
  method: string;
  /** Below the channel base, e.g. "/api/queries/VQ-1". */
  path: string;
  /** The route's ":name" segments, decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The exact bytes received, for signatures. */
  rawBody: Buffer;
  body: string;
}

export interface AgencyReply {
  status: number;
  contentType: string;
  body: string;
}

/** A request that creates a query: executed once per key, its reply stored and replayed. */
export interface Submission {
  idempotencyKey: string;
  execute(): AgencyReply | Promise<AgencyReply>;
}

/**
 * A question about an earlier submission: answered with the reply stored for
 * its key, exactly as the submission was answered, or with `unknown` when no
 * submission with that key ever arrived. Nothing is executed.
 */
export interface Lookup {
  lookupKey: string;
  unknown: AgencyReply;
  /**
   * For an agency that keeps its requests itself and answers where one stands now rather than
   * replaying its first reply (the bank): that answer, when it has the key.
   */
  known?: AgencyReply;
}

export interface Route {
  method: "GET" | "POST";
  /** Below the channel base; ":name" segments match one path segment. */
  path: string;
  /** Counted as a poll in the stats. */
  poll?: boolean;
  handle(request: AgencyRequest): AgencyReply | Submission | Lookup | Promise<AgencyReply | Submission | Lookup>;
}

export interface Agency {
  readonly routes: readonly Route[];
  /** A reply in the agency's own error shape, for failures the server detects or injects. */
  errorReply(status: number, message: string): AgencyReply;
  /** Forget every query and ticket and cancel pending work. */
  reset(): void;
  /** The agency's own control routes (`POST /_sandbox/<name>` with a JSON body), to change what it holds. */
  readonly sandboxControls?: Readonly<Record<string, (body: Record<string, unknown>) => AgencyReply>>;
}

/** What an agency may read and count while it runs. */
export interface AgencyEnvironment {
  /** Live: changes through /_sandbox/knobs are seen at once. */
  readonly knobs: SandboxKnobs;
  readonly stats: SandboxStats;
}

export interface RunningAgency<Kind extends string = AgencyKind> {
  kind: Kind;
  /** Server root, e.g. http://127.0.0.1:4101 */
  url: string;
  knobs: SandboxKnobs;
  stats: SandboxStats;
  /** Clear stats, stored answers and tickets, and restore the knobs the server started with. */
  reset(): void;
  close(): Promise<void>;
}

export interface AgencyServerOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  knobs?: Partial<SandboxKnobs>;
}

const MAX_BODY_BYTES = 1 << 20;

export function jsonReply(status: number, value: unknown): AgencyReply {
  return { status, contentType: "application/json; charset=utf-8", body: JSON.stringify(value) };
}

/** The request body as a JSON object, or undefined when it is anything else. */
export function jsonObjectOf(request: AgencyRequest): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(request.body);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A non-blank string value, trimmed, or undefined. */
export function textOf(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** `kind` is an agency's, or a list partner's code (sandbox/partners). */
export async function startAgencyServer<Kind extends string = AgencyKind>(
  kind: Kind,
  createAgency: (environment: AgencyEnvironment) => Agency,
  options: AgencyServerOptions = {},
): Promise<RunningAgency<Kind>> {
  const initialKnobs: SandboxKnobs = { ...DEFAULT_KNOBS };
  applyKnobs(initialKnobs, options.knobs ?? {});
  const knobs: SandboxKnobs = { ...initialKnobs };
  const stats = new SandboxStats();
  const agency = createAgency({ knobs, stats });
  const answers = new Map<string, Promise<AgencyReply>>();

  const reset = () => {
    stats.reset();
    answers.clear();
    agency.reset();
    Object.assign(knobs, initialKnobs);
  };

  const submit = (submission: Submission, executeAfter: Promise<void>): Promise<AgencyReply> => {
    const stored = answers.get(submission.idempotencyKey);
    stats.recordSubmission(submission.idempotencyKey, stored !== undefined);
    if (stored) return stored;
    const answer = executeAfter.then(() => submission.execute());
    answers.set(submission.idempotencyKey, answer);
    // A crashed execution must not poison its key: the retry executes afresh.
    answer.catch(() => answers.delete(submission.idempotencyKey));
    return answer;
  };

  const lookUp = (lookup: Lookup): Promise<AgencyReply> | AgencyReply => {
    stats.recordLookup(lookup.lookupKey);
    return lookup.known ?? answers.get(lookup.lookupKey) ?? lookup.unknown;
  };

  const serveAgency = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (knobs.down) {
      stats.dropped++;
      req.socket.destroy();
      return;
    }
    const rawBody = await readBody(req);
    const latency = sleep(knobs.latencyMs + Math.random() * knobs.jitterMs);
    if (rawBody === undefined || Math.random() < knobs.errorRate) {
      await latency;
      return send(
        res,
        rawBody === undefined
          ? agency.errorReply(413, "request body too large")
          : agency.errorReply(503, "service temporarily unavailable"),
      );
    }
    // A submission is received, and its key known to lookups, as soon as it arrives; it is executed once the
    // latency has passed. Otherwise a lookup could overtake a submission still in the latency and be told
    // "never received".
    const [reply] = await Promise.all([
      dispatch(agency, req, url, rawBody, { submit: (submission) => submit(submission, latency), lookUp }, stats),
      latency,
    ]);
    if (Math.random() < knobs.timeoutRate) return; // executed, but the answer is never sent
    if (Math.random() < knobs.malformedRate) {
      return send(res, { status: 200, contentType: reply.contentType, body: reply.body.slice(0, Math.floor(reply.body.length / 2)) });
    }
    send(res, reply);
  };

  const serveControl = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const rawBody = await readBody(req);
    if (path === "/_sandbox/stats" && req.method === "GET") return send(res, jsonReply(200, stats));
    if (path === "/_sandbox/knobs" && req.method === "GET") return send(res, jsonReply(200, knobs));
    if (path === "/_sandbox/knobs" && req.method === "PUT") {
      try {
        applyKnobs(knobs, JSON.parse(rawBody?.toString("utf8") ?? ""));
      } catch (error) {
        return send(res, jsonReply(400, { error: error instanceof Error ? error.message : String(error) }));
      }
      return send(res, jsonReply(200, knobs));
    }
    if (path === "/_sandbox/reset" && req.method === "POST") {
      reset();
      return send(res, jsonReply(200, { reset: true }));
    }
    const control = req.method === "POST" ? agency.sandboxControls?.[path.slice("/_sandbox/".length)] : undefined;
    const body = control && jsonObjectOf({ body: rawBody?.toString("utf8") ?? "" } as AgencyRequest);
    if (control) return send(res, body ? control(body) : jsonReply(400, { error: "body must be a JSON object" }));
    send(res, jsonReply(404, { error: `no control route ${req.method} ${path}` }));
  };

  const server = createServer((req, res) => {
    const served = (async () => {
      const url = new URL(req.url ?? "/", "http://sandbox");
      if (url.pathname.startsWith("/_sandbox/")) await serveControl(req, res, url.pathname);
      else await serveAgency(req, res, url);
    })();
    served.catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) send(res, agency.errorReply(500, `sandbox failure: ${String(error)}`));
    });
  });

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    kind,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    knobs,
    stats,
    reset,
    close: async () => {
      agency.reset();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Held (timed-out) and keep-alive sockets would otherwise keep close() waiting.
      server.closeAllConnections();
      await closed;
    },
  };
}

async function dispatch(
  agency: Agency,
  req: IncomingMessage,
  url: URL,
  rawBody: Buffer,
  keyed: { submit(submission: Submission): Promise<AgencyReply>; lookUp(lookup: Lookup): Promise<AgencyReply> | AgencyReply },
  stats: SandboxStats,
): Promise<AgencyReply> {
  const located = channelOf(url.pathname);
  if (!located) return agency.errorReply(404, `no such endpoint ${url.pathname}`);
  let matched: { route: Route; params: Record<string, string> } | undefined;
  let pathMatched = false;
  for (const route of agency.routes) {
    const params = matchPath(route.path, located.path);
    if (params === null) return agency.errorReply(400, "path is not valid percent-encoding");
    if (!params) continue;
    pathMatched = true;
    if (route.method === req.method) {
      matched = { route, params };
      break;
    }
  }
  if (!matched) {
    return pathMatched
      ? agency.errorReply(405, `method ${req.method} not allowed on ${located.path}`)
      : agency.errorReply(404, `no such endpoint ${url.pathname}`);
  }
  if (matched.route.poll) stats.polls++;
  const outcome = await matched.route.handle({
    channel: located.channel,
    method: req.method ?? "GET",
    path: located.path,
    params: matched.params,
    query: url.searchParams,
    headers: req.headers,
    rawBody,
    body: rawBody.toString("utf8"),
  });
  if ("idempotencyKey" in outcome) return keyed.submit(outcome);
  return "lookupKey" in outcome ? keyed.lookUp(outcome) : outcome;
}

function channelOf(pathname: string): { channel: Channel; path: string } | undefined {
  const national = /^\/national(\/.*)$/.exec(pathname);
  if (national) return { channel: { scope: "national" }, path: national[1] };
  const local = /^\/local\/(\d{2,6})(\/.*)$/.exec(pathname);
  if (local) return { channel: { scope: "local", divisionPrefix: local[1] }, path: local[2] };
  return undefined;
}

/** Captured params when `path` fits `pattern`, undefined when it does not, null when a segment cannot be decoded. */
function matchPath(pattern: string, path: string): Record<string, string> | undefined | null {
  const expected = pattern.split("/");
  const actual = path.split("/");
  if (expected.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < expected.length; i++) {
    if (expected[i].startsWith(":")) {
      if (actual[i] === "") return undefined;
      try {
        params[expected[i].slice(1)] = decodeURIComponent(actual[i]);
      } catch {
        return null;
      }
    } else if (expected[i] !== actual[i]) {
      return undefined;
    }
  }
  return params;
}

/** The body, or undefined when it exceeds the limit (the rest is drained, not buffered). */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, reply: AgencyReply): void {
  if (res.destroyed) return;
  res.writeHead(reply.status, {
    "content-type": reply.contentType,
    "content-length": Buffer.byteLength(reply.body),
  });
  res.end(reply.body);
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
