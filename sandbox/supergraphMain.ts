/**
 * `npm run supergraph`: a court's case-management subgraph (SUPERGRAPH_COURT, default 豫0225, on port
 * SUPERGRAPH_COURT_PORT, 4201) and the federation gateway over it and the hub (SUPERGRAPH_HUB_URL, default the
 * `npm start` hub at http://127.0.0.1:4000/graphql) on SUPERGRAPH_PORT (4200). SUPERGRAPH_TOKEN (required) is the
 * bearer token the gateway composes with; callers bring their own. See docs/guide/supergraph.md.
 */
import { startCourtSubgraph } from "./courtSubgraph.js";
import { startSupergraph } from "./supergraph.js";

const token = process.env.SUPERGRAPH_TOKEN;
if (!token) {
  console.error("SUPERGRAPH_TOKEN is required: a token the hub accepts, e.g. from `npm run token -- --org HUB --role operator`");
  process.exit(2);
}
const court = await startCourtSubgraph({
  court: process.env.SUPERGRAPH_COURT || "豫0225",
  port: Number(process.env.SUPERGRAPH_COURT_PORT || 4201),
});
const supergraph = await startSupergraph({
  hubUrl: process.env.SUPERGRAPH_HUB_URL || "http://127.0.0.1:4000/graphql",
  courtUrl: court.url,
  introspectionToken: token,
  port: Number(process.env.SUPERGRAPH_PORT || 4200),
});
console.log(`court case-management subgraph ${court.url}`);
console.log(`supergraph gateway ${supergraph.url}`);

const stop = async () => {
  await supergraph.close();
  await court.close();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
