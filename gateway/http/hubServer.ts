/**
 * The hub's single HTTP endpoint: GraphQL over HTTP and over WebSocket
 * (graphql-ws) on /graphql, /healthz for load balancers, and the routes startup
 * hands it (hub.ts: agency callbacks, messages from peer hubs). It knows the
 * schema and its context only as what startup passes in.
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { useServer } from "graphql-ws/use/ws";
import type { GraphQLSchema } from "graphql";
import { WebSocketServer } from "ws";
import type { Caller } from "../auth/access.js";
import type { Authenticate } from "../auth/authenticate.js";
import { bearerFrom } from "../auth/tokens.js";
import { HubError } from "../errors.js";
import type { Logger } from "../logger.js";
import { handleGraphQL } from "./apolloHandler.js";
import { auditPlugin } from "./auditPlugin.js";
import { formatErrors, formatHubError, formatResultErrors } from "./graphqlErrors.js";
import { routeMatches, type HttpRoute } from "./httpRoute.js";

/** The WebSocket close code for a refused or expired token (graphql-ws reserves 4400–4499 for such). */
export const WS_UNAUTHENTICATED = 4401;

function refuseUnauthenticated(response: ServerResponse, error: HubError): void {
  response.writeHead(401, { "content-type": "application/json; charset=utf-8", "www-authenticate": "Bearer" });
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
  /** Served in this order, after /healthz and /graphql; any other path is answered 404. */
  routes: readonly HttpRoute[];
  authenticate: Authenticate;
  log: Logger;
}): Promise<HubServer> {
  const { schema, context, routes, authenticate, log } = deps;
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

  const server = createServer();
  const apollo = new ApolloServer<C>({
    schema,
    // A federated subgraph would otherwise trace every request for a gateway that may not ask (and say so on stdout).
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer: server }), ApolloServerPluginInlineTraceDisabled(), auditPlugin(log)],
    includeStacktraceInErrorResponses: false,
    formatError: formatHubError,
    // The hub stops its workers, the database and this server in one order (RunningHub.close); Apollo's own signal handler would race it.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  server.on("request", (request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    const fail = (error: unknown) => {
      log.error({ err: error, path }, "request failed");
      if (!response.headersSent) response.writeHead((error as { status?: number }).status ?? 500, { "content-type": "text/plain" });
      response.end();
    };
    if (path === "/healthz") {
      response.writeHead(ready ? 200 : 503, { "content-type": "application/json" });
      response.end(JSON.stringify({ status: ready ? "ok" : "starting" }));
    } else if (path === "/graphql") {
      callerFrom(request.headers.authorization)
        .then((caller) =>
          // A token presented and refused stops the request here, whatever it asks: no operation runs on a bad token.
          caller.authError
            ? refuseUnauthenticated(response, caller.authError)
            : handleGraphQL(apollo, request, response, async () => context(caller)),
        )
        .catch(fail);
    } else {
      const route = routes.find((candidate) => routeMatches(candidate, request.method, path));
      if (route) route.handle(request, response, path).catch(fail);
      else response.writeHead(404, { "content-type": "text/plain" }).end("not found; GraphQL is at /graphql");
    }
  });

  const wsServer = new WebSocketServer({ server, path: "/graphql" });
  const wsCleanup = useServer(
    {
      schema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams as Record<string, unknown> | undefined;
        const authorization = (params?.authorization ?? params?.Authorization ?? ctx.extra.request.headers.authorization) as
          | string
          | undefined;
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
      context: (ctx) => context(connections.get(ctx)?.caller ?? {}),
      onNext: (_ctx, _id, _payload, _args, result) => formatResultErrors(result),
      onError: (_ctx, _id, _payload, errors) => formatErrors(errors),
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
