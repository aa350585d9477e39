/** The hub's own GraphiQL, bundled so a browser on a court's intranet needs nothing from the internet. */
import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createRoot } from "react-dom/client";

const endpoint = new URL("/graphql", window.location.href);
const fetcher = createGraphiQLFetcher({
  url: endpoint.href,
  subscriptionUrl: endpoint.href.replace(/^http/, "ws"),
});

createRoot(document.getElementById("graphiql")!).render(
  <GraphiQL fetcher={fetcher} defaultHeaders={'{\n  "Authorization": "Bearer <token from npm run token>"\n}'} />,
);
