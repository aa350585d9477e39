/**
 * GET /metrics in Prometheus's text format. The figures name agencies, partners and states, never a debtor; still,
 * in production a scrape must carry an operator's or administrator's token unless the operator opens the
 * endpoint to a private network (HUB_METRICS_OPEN).
 */
import type { Authenticate } from "../auth/authenticate.js";
import { bearerFrom } from "../auth/tokens.js";
import type { HttpRoute } from "../http/httpRoute.js";
import { sendJson } from "../http/sendJson.js";
import type { HubMetrics } from "./metrics.js";

export interface MetricsRouteOptions {
  /**
   * Whether a scrape needs no token.
   * @default true in development, false in production
   */
  open: boolean;
}

const SCRAPERS = new Set(["OPERATOR", "HUB_ADMIN"]);

export function metricsRoute(metrics: HubMetrics, authenticate: Authenticate, options: MetricsRouteOptions): HttpRoute {
  return {
    method: "GET",
    path: "/metrics",
    async handle(request, response) {
      if (!options.open) {
        const token = bearerFrom(request.headers.authorization);
        const principal = token ? await authenticate(token).catch(() => undefined) : undefined;
        if (!principal?.roles.some((role) => SCRAPERS.has(role))) {
          sendJson(response, 401, { code: "UNAUTHENTICATED", message: "an operator's or administrator's token is required" });
          return;
        }
      }
      const text = await metrics.scrape();
      response.writeHead(200, { "content-type": metrics.registry.contentType }).end(text);
    },
  };
}
