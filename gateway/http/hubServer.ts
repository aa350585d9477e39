/**
 * The hub's single HTTP endpoint: GraphQL over HTTP and over WebSocket
 * (graphql-ws) on /graphql, /healthz, /livez and /readyz for load balancers and orchestrators, and the routes startup
 * hands it (hub.ts: agency callbacks, messages from peer hubs). It knows the
 * schema and its context only as what startup passes in.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { useServer } from "graphql-ws/use/ws";
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import { WebSocketServer } from "ws";
import type { Caller } from "../auth/access.js";
import type { Authenticate } from "../auth/authenticate.js";
import { bearerFrom } from "../auth/tokens.js";
import { HubError } from "../errors.js";
import type { Logger } from "../logger.js";
import { handleGraphQL } from "./apolloHandler.js";
import { auditPlugin } from "./auditPlugin.js";
import { formatErrors, formatResultErrors } from "./graphqlErrors.js";
import { graphiqlLandingPage } from "./graphiqlLandingPage.js";
import type { Readiness } from "./readiness.js";
import { routeMatches, type HttpRoute } from "./httpRoute.js";
import { concealingFormatter } from "./internalErrors.js";
import { type GuardOptions, guardSubscription, operationGuardPlugin } from "./operationGuard.js";
import { operationLimitRules, parseOptions } from "./operationLimits.js";
import { type RateLimits, requestRates } from "./requestRates.js";
import { sendJson } from "./sendJson.js";
import { observeRequest } from "../telemetry/httpTelemetry.js";
import { WebSocketOperations } from "../telemetry/webSocketOperations.js";

/** What one connection may send and how long it may take; each has an environment variable (docs/CONFIGURATION.md). */
export interface TransportLimits {
  /**
   * Largest HTTP request body and WebSocket message, in bytes; larger is answered 413 (HTTP) or closes the socket (1009).
   * @default 5242880 (5 MiB: a 3 MiB document, base64, with its task)
   */
  maxPayloadBytes: number;
  /**
   * How long a client may take to send a whole request (Node's `requestTimeout`), in milliseconds.
   * @default 30000
   */
  requestTimeoutMs: number;
  /**
   * How long a client may take to send a request's headers (Node's `headersTimeout`), in milliseconds.
   * @default 10000
   */
  headersTimeoutMs: number;
}

export const DEFAULT_TRANSPORT_LIMITS: TransportLimits = {
  maxPayloadBytes: 5 * 1024 * 1024,
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
};

/** The WebSocket close code for a refused or expired token (graphql-ws reserves 4400–4499 for such). */
export const WS_UNAUTHENTICATED = 4401;

function codeOf(errors: readonly GraphQLFormattedError[] | undefined): string | undefined {
  return errors?.length ? String(errors[0].extensions?.code ?? "INTERNAL_SERVER_ERROR") : undefined;
}

function refuseUnauthenticated(response: ServerResponse, error: HubError): void {
  refuseRequest(response, 401, error, { "www-authenticate": "Bearer" });
}

/** A GraphQL request refused before it is read, answered as GraphQL errors are, with its HTTP status. */
function refuseRequest(response: ServerResponse, status: number, error: HubError, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  response.end(JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code, ...error.details } }] }));
}

export interface HubServer {
  server: Server;
  setReady(ready: boolean): void;
  close(): Promise<void>;
}

export async function createHubServer<C extends { caller: Caller }>(deps: {
  schema: GraphQLSchema;
  /** What every resolver receives, for one request or subscription of this caller. */
  context: (caller: Caller) => C;
  /** Served in this order, after /healthz, /livez, /readyz and /graphql; any other path is answered 404. */
  routes: readonly HttpRoute[];
  /** What /readyz reports (readiness.ts). */
  readiness: () => Promise<Readiness>;
  authenticate: Authenticate;
  log: Logger;
  /** What one operation may cost, and whether the schema is kept from callers without a token. */
  guard: GuardOptions;
  transport: TransportLimits;
  /** Further Apollo plugins (telemetry), run after the hub's own. */
  plugins?: ApolloServerPlugin<C>[];
  /** Counts each WebSocket operation by type, root field and code (webSocketOperations.ts); HTTP ones count in `plugins`. */
  countOperation?: (operationType: string, field: string, code: string) => void;
  /** Requests per token (requestRates.ts). */
  rates: RateLimits;
  /** GET /graphql in a browser serves the bundled GraphiQL (graphiqlLandingPage.ts); default off. */
  graphiql?: boolean;
}): Promise<HubServer> {
  const { schema, context, routes, authenticate, readiness, log, guard, transport } = deps;
  const countRequest = requestRates(deps.rates);
  const wsOperations = new WebSocketOperations(deps.countOperation ?? (() => {}));
  const formatError = concealingFormatter(log);
  let ready = false;

  const callerFrom = async (authorization: string | undefined): Promise<Caller> => {
    try {
      const token = bearerFrom(authorization);
      return token ? { principal: await authenticate(token) } : {};
    } catch (error) {
      return { authError: error instanceof HubError ? error : new HubError("UNAUTHENTICATED", "token could not be read") };
    }
  };
  /** Each WebSocket connection's caller, authenticated once at connection_init. */
  const connections = new WeakMap<object, { caller: Caller; expiry?: NodeJS.Timeout }>();

  const server = createServer({
    requestTimeout: transport.requestTimeoutMs,
    headersTimeout: transport.headersTimeoutMs,
    // Node looks for connections over those limits only this often (30 s by default), which a slow client would have too.
    connectionsCheckingInterval: Math.min(1_000, transport.headersTimeoutMs, transport.requestTimeoutMs),
  });
  const apollo = new ApolloServer<C>({
    schema,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      // A federated subgraph would otherwise trace every request for a gateway that may not ask (and say so on stdout).
      ApolloServerPluginInlineTraceDisabled(),
      auditPlugin(log),
      operationGuardPlugin<C>(schema, guard),
      ...(deps.plugins ?? []),
      graphiqlLandingPage(deps.graphiql ?? false),
    ],
    validationRules: operationLimitRules(guard.limits),
    parseOptions: parseOptions(guard.limits),
    // Decided per caller by the guard: in production only with a valid token (Apollo's own switch is for everyone).
    introspection: true,
    // One operation per request: a batch would multiply every limit above.
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    formatError,
    // The hub stops its workers, the database and this server in one order (RunningHub.close); Apollo's own signal handler would race it.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  const serve = (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? "/").split("?")[0];
    const fail = (error: unknown) => {
      const status = (error as { status?: number }).status ?? 500;
      if (status === 413) {
        sendJson(response, 413, {
          code: "PAYLOAD_TOO_LARGE",
          message: `the request body exceeds the limit of ${transport.maxPayloadBytes} bytes`,
          limit: transport.maxPayloadBytes,
        });
        return;
      }
      const correlationId = randomUUID();
      log.error({ err: error, path, correlationId }, "request failed");
      sendJson(response, status, {
        code: status < 500 ? "BAD_REQUEST" : "INTERNAL_SERVER_ERROR",
        message: "request failed",
        correlationId,
      });
    };
    if (path === "/healthz") {
      response.writeHead(ready ? 200 : 503, { "content-type": "application/json" });
      response.end(JSON.stringify({ status: ready ? "ok" : "starting" }));
    } else if (path === "/livez") {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "alive", pid: process.pid }));
    } else if (path === "/readyz") {
      readiness()
        .then((report) => {
          response.writeHead(report.ready ? 200 : 503, { "content-type": "application/json" });
          response.end(JSON.stringify({ status: report.ready ? "ready" : "not ready", checks: report.checks }));
        })
        .catch(fail);
    } else if (path === "/graphql") {
      callerFrom(request.headers.authorization)
        .then(async (caller) => {
          // A token presented and refused stops the request here, whatever it asks: no operation runs on a bad token.
          if (caller.authError) return refuseUnauthenticated(response, caller.authError);
          const limited = await countRequest(caller, request.socket.remoteAddress);
          if (limited) return refuseRequest(response, 429, limited, { "retry-after": String(limited.details.retryAfterSeconds) });
          return handleGraphQL(apollo, request, response, async () => context(caller), transport.maxPayloadBytes);
        })
        .catch(fail);
    } else {
      const route = routes.find((candidate) => routeMatches(candidate, request.method, path));
      if (route) route.handle(request, response, path, transport.maxPayloadBytes).catch(fail);
      else sendJson(response, 404, { code: "NOT_FOUND", message: "not found; GraphQL is at /graphql" });
    }
  };
  server.on("request", (request, response) => observeRequest(request, response, () => serve(request, response)));

  const wsServer = new WebSocketServer({ server, path: "/graphql", maxPayload: transport.maxPayloadBytes });
  const wsCleanup = useServer(
    {
      schema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams as Record<string, unknown> | undefined;
        const authorization = (params?.authorization ?? params?.Authorization ?? ctx.extra.request.headers.authorization) as
          | string
          | undefined;
        // A connection that names no token in connection_init is closed (4403) before it can subscribe to anything.
        if (authorization === undefined) return false;
        const caller = await callerFrom(authorization);
        if (caller.authError) {
          ctx.extra.socket.close(WS_UNAUTHENTICATED, String(caller.authError.details.reason ?? "UNAUTHENTICATED"));
          return false;
        }
        const expiresAt = caller.principal?.expiresAt;
        // Subscriptions may not outlive the token that opened them.
        const expiry =
          expiresAt === undefined
            ? undefined
            : setTimeout(() => ctx.extra.socket.close(WS_UNAUTHENTICATED, "TOKEN_EXPIRED"), Math.max(0, expiresAt - Date.now()));
        expiry?.unref();
        connections.set(ctx, { caller, expiry });
        return true;
      },
      onClose: (ctx) => clearTimeout(connections.get(ctx)?.expiry),
      onSubscribe: async (ctx, id, payload) => {
        const caller = connections.get(ctx)?.caller ?? {};
        const limited = await countRequest(caller, ctx.extra.request.socket.remoteAddress);
        if (limited) return [new GraphQLError(limited.message, { originalError: limited })];
        const guarded = guardSubscription(schema, payload, caller, guard);
        if (!("document" in guarded)) return guarded;
        wsOperations.accepted(ctx, id, guarded.document, guarded.operationName);
        return { ...guarded, contextValue: context(caller) };
      },
      onNext: (ctx, id, _payload, _args, result) => {
        const formatted = formatResultErrors(result, formatError);
        wsOperations.event(ctx, id, codeOf(formatted?.errors));
        return formatted;
      },
      onError: (ctx, id, _payload, errors) => {
        const formatted = formatErrors(errors, formatError);
        wsOperations.ended(ctx, id, codeOf(formatted) ?? "INTERNAL_SERVER_ERROR");
        return formatted;
      },
      onComplete: (ctx, id) => wsOperations.ended(ctx, id, undefined),
    },
    wsServer,
  );

  return {
    server,
    setReady(value) {
      ready = value;
    },
    async close() {
      ready = false;
      await wsCleanup.dispose();
      wsServer.close();
      await apollo.stop();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
