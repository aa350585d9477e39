/**
 * The hub's single HTTP endpoint: GraphQL over HTTP and over WebSocket
 * (graphql-ws) on /graphql, agency callbacks on /agency-callbacks/<AGENCY>,
 * messages from peer hubs on /peer-messages (unless they must come over mutual
 * TLS, to peerServer.ts), and /healthz for load balancers.
 */
import { createServer, type Server } from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { useServer } from "graphql-ws/use/ws";
import type { GraphQLSchema } from "graphql";
import { WebSocketServer } from "ws";
import { AGENCY_KINDS, type AgencyKind } from "../../connectors/connector.js";
import { createLoaders, type HubContext, type HubServices } from "../../schema/context.js";
import type { Caller } from "../auth/access.js";
import type { TokenKeys } from "../auth/tokenKeys.js";
import { bearerFrom, verifyToken } from "../auth/tokens.js";
import type { Dispatcher } from "../dispatch/dispatcher.js";
import { HubError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { AssistanceReports } from "../../capabilities/assistance/assistanceReports.js";
import type { MeasureReports } from "../../capabilities/measures/measureReports.js";
import type { PeerMessaging } from "../../capabilities/peering/peerMessaging.js";
import { handleGraphQL, readBody } from "./apolloHandler.js";
import { auditPlugin } from "./auditPlugin.js";
import { formatErrors, formatHubError, formatResultErrors } from "./graphqlErrors.js";

export interface HubServer {
  server: Server;
  setReady(ready: boolean): void;
  close(): Promise<void>;
}

export async function createHubServer(deps: {
  schema: GraphQLSchema;
  services: HubServices;
  dispatcher: Dispatcher;
  measureReports: MeasureReports;
  assistanceReports: AssistanceReports;
  peering?: PeerMessaging;
  keys: TokenKeys;
  log: Logger;
}): Promise<HubServer> {
  const { schema, services, dispatcher, measureReports, assistanceReports, peering, keys, log } = deps;
  let ready = false;

  const callerFrom = async (authorization: string | undefined): Promise<Caller> => {
    try {
      const token = bearerFrom(authorization);
      return token ? { principal: await verifyToken(keys, token) } : {};
    } catch (error) {
      return { authError: error instanceof HubError ? error : new HubError("UNAUTHENTICATED", "token could not be read") };
    }
  };
  const contextFor = async (authorization: string | undefined): Promise<HubContext> => ({
    caller: await callerFrom(authorization),
    hub: services,
    loaders: createLoaders(services.prisma),
  });

  const server = createServer();
  const apollo = new ApolloServer<HubContext>({
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
      handleGraphQL(apollo, request, response, () => contextFor(request.headers.authorization)).catch(fail);
    } else if (path.startsWith("/agency-callbacks/") && request.method === "POST") {
      // /agency-callbacks/<AGENCY> carries late answers; …/measures, reports on measures; …/assistance, on police assistance.
      const [kind, topic] = path.slice("/agency-callbacks/".length).split("/") as [AgencyKind, string | undefined];
      const reports = { measures: measureReports, assistance: assistanceReports };
      if (!AGENCY_KINDS.includes(kind) || (topic !== undefined && !Object.hasOwn(reports, topic))) {
        response.writeHead(404).end();
        return;
      }
      const headers = request.headers as Record<string, string | undefined>;
      readBody(request)
        .then((body) =>
          topic ? reports[topic as keyof typeof reports].accept(kind, body, headers) : dispatcher.acceptCallback(kind, body, headers),
        )
        .then(() => response.writeHead(204).end())
        .catch((error: unknown) => {
          // A callback we cannot verify or decode is the agency's problem to resend correctly; say so.
          const refused = (error as { transient?: boolean }).transient === false;
          log.warn({ err: error, agency: kind }, "agency callback refused");
          response.writeHead(refused ? 401 : 500, { "content-type": "text/plain" }).end(refused ? String((error as Error).message) : "");
        });
    } else if (path === "/peer-messages" && request.method === "POST" && peering) {
      readBody(request)
        .then((body) => peering.accept(body))
        .then((reply) => response.writeHead(reply.status, { "content-type": "application/json" }).end(reply.body))
        .catch(fail);
    } else {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found; GraphQL is at /graphql");
    }
  });

  const wsServer = new WebSocketServer({ server, path: "/graphql" });
  const wsCleanup = useServer(
    {
      schema,
      context: async (ctx) => {
        const params = ctx.connectionParams as Record<string, unknown> | undefined;
        const authorization = (params?.authorization ?? params?.Authorization ?? ctx.extra.request.headers.authorization) as
          | string
          | undefined;
        return contextFor(authorization);
      },
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
