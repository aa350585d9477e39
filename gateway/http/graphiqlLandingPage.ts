/**
 * What a browser gets on GET /graphql: the hub's own GraphiQL, bundled into console/dist (console/graphiql/), instead
 * of Apollo's default landing page, which loads Apollo Sandbox from the internet that a court's intranet cannot reach.
 * On in development, off in production unless HUB_GRAPHIQL=true; off, Apollo answers the GET as a GraphQL request (400).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { CONSOLE_DIST } from "./staticAssets.js";

export function graphiqlLandingPage(enabled: boolean, root = CONSOLE_DIST): ApolloServerPlugin {
  if (!enabled) return ApolloServerPluginLandingPageDisabled();
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          const html = await readFile(join(root, "graphiql", "index.html"), "utf8").catch(
            () => "<!doctype html><title>GraphiQL</title><p>GraphiQL is not built: run <code>npm run console:build</code>.</p>",
          );
          return { html };
        },
      };
    },
  };
}
