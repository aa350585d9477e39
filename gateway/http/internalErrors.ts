/**
 * No internal message reaches a client: an error that is neither a hub error nor one of GraphQL's own
 * refusals (a bug, a database's complaint, a JavaScript TypeError) is logged in full with a fresh
 * correlation id and answered as `INTERNAL_SERVER_ERROR`, "internal error", with only that id, which an
 * operator finds in the log.
 */
import { randomUUID } from "node:crypto";
import type { GraphQLFormattedError } from "graphql";
import type { Logger } from "../logger.js";
import { type ErrorFormatter, formatHubError } from "./graphqlErrors.js";

/**
 * Apollo Server marks what it cannot classify INTERNAL_SERVER_ERROR; graphql-ws marks nothing, so there an
 * execution error (one with a path) without a code is internal. Refusals before execution (syntax,
 * validation, variables) always carry their own code over HTTP and no path over WebSocket.
 */
function isInternal(formatted: GraphQLFormattedError): boolean {
  const code = formatted.extensions?.code;
  return code === "INTERNAL_SERVER_ERROR" || (code === undefined && formatted.path !== undefined);
}

/** The hub's error formatter for both edges: hub errors mapped (graphqlErrors.ts), internal ones concealed. */
export function concealingFormatter(log: Logger): ErrorFormatter {
  return (formatted, error) => {
    const mapped = formatHubError(formatted, error);
    if (!isInternal(mapped)) return mapped;
    const correlationId = randomUUID();
    log.error(
      { err: (error as { originalError?: unknown })?.originalError ?? error, correlationId, path: formatted.path },
      "internal error",
    );
    return {
      message: "internal error",
      ...(mapped.locations && { locations: mapped.locations }),
      ...(mapped.path && { path: mapped.path }),
      extensions: { code: "INTERNAL_SERVER_ERROR", correlationId },
    };
  };
}
