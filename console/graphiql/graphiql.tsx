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

// No default header: a token that is not one is refused, and the schema would not load.
const DEFAULT_QUERY = `# 执行联动枢纽 GraphQL. Put a token in Headers below: {"Authorization": "Bearer <token>"}
# (npm run -s token -- --org 豫02 --role supervisor). In development the schema loads without one.
{
  agencyStats(window: HOUR) { agencyKind channel answered failed pending health }
}
`;

createRoot(document.getElementById("graphiql")!).render(<GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} />);
