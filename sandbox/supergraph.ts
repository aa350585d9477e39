/**
 * A federation gateway (Apollo Gateway) over the hub and a court's case-management subgraph
 * (courtSubgraph.ts): it composes their SDLs at start (IntrospectAndCompose) and plans each query across
 * both. The caller's Authorization header goes to every subgraph, so the hub authorises and audits each part
 * of a query as if it had been asked directly, and refuses through the gateway what it refuses anyway.
 */
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

interface GatewayContext {
  authorization?: string;
}

export interface Supergraph {
  url: string;
  close(): Promise<void>;
}

export interface SupergraphOptions {
  /** The hub's GraphQL endpoint. */
  hubUrl: string;
  /** The court case-management subgraph's endpoint. */
  courtUrl: string;
  /** The token composing asks both SDLs with: a production hub shows its schema only to a caller with one. */
  introspectionToken: string;
  /**
   * The gateway's port.
   * @default 0 (any free one)
   */
  port?: number;
  /**
   * The interface it listens on.
   * @default "127.0.0.1"
   */
  host?: string;
}

export async function startSupergraph(options: SupergraphOptions): Promise<Supergraph> {
  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({
      subgraphs: [
        { name: "hub", url: options.hubUrl },
        { name: "court-case-management", url: options.courtUrl },
      ],
      introspectionHeaders: { authorization: `Bearer ${options.introspectionToken}` },
    }),
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url,
        willSendRequest({ request, context }) {
          if (context.authorization) request.http?.headers.set("authorization", context.authorization);
        },
      }),
  });
  const server = new ApolloServer<GatewayContext>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: options.port ?? 0, host: options.host ?? "127.0.0.1" },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  return { url, close: () => server.stop() };
}
