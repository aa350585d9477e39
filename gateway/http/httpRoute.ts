/**
 * A route the hub's HTTP server serves beside GraphQL and /healthz, handed to it at startup
 * (hub.ts): the server knows paths and methods, the capabilities behind them stay with startup.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export interface HttpRoute {
  method: string;
  /** The path served; one ending in "/" serves every path under it. */
  path: string;
  /**
   * Answers the request; a rejection is logged and answered with the error's `status` (default 500).
   * `path` is the request's, without its query; a body is read with at most `maxBodyBytes` (apolloHandler.ts, readBody).
   */
  handle(request: IncomingMessage, response: ServerResponse, path: string, maxBodyBytes: number): Promise<void>;
}

export function routeMatches(route: HttpRoute, method: string | undefined, path: string): boolean {
  if (method !== route.method) return false;
  return route.path.endsWith("/") ? path.startsWith(route.path) : path === route.path;
}
