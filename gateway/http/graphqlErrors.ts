/**
 * Where a hub error becomes what GraphQL clients read: its message stays the
 * message, its code and details become `extensions`, the same over HTTP (Apollo
 * Server's formatError) and over WebSocket (graphql-ws, whose results and
 * stream failures never pass through Apollo). graphql-js wraps whatever a
 * resolver, a subscription source or `_entities` throws, so the hub error is
 * found as the original error.
 */
import type { GraphQLError, ExecutionResult, FormattedExecutionResult, GraphQLFormattedError } from "graphql";
import { HubError } from "../errors.js";
import { connectionLost, databaseUnavailable } from "../persistence/connectionErrors.js";

/**
 * Found by `originalError`, not `instanceof GraphQLError`: graphql ships both a CommonJS and an ES module build, and
 * a bundler (vitest's among them) may give Apollo Server one and this file the other.
 */
function hubErrorIn(error: unknown): HubError<string> | undefined {
  if (error instanceof HubError) return error;
  const wrapped = (error as { originalError?: unknown } | null)?.originalError;
  if (wrapped) return hubErrorIn(wrapped);
  // A lost database connection met outside the hub's own SQL (Prisma's reads): typed, without the driver's words.
  return error && connectionLost(error) ? databaseUnavailable(error) : undefined;
}

/** Apollo Server's `formatError`, and the one mapping the WebSocket edge uses too. */
export function formatHubError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const hubError = hubErrorIn(error);
  if (!hubError) return formatted;
  // The HTTP status a refusal asks of Apollo Server (gateway/http/operationGuard.ts) is no client's business.
  const { http: _http, ...extensions } = formatted.extensions ?? {};
  return { ...formatted, message: hubError.message, extensions: { ...extensions, code: hubError.code, ...hubError.details } };
}

export type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** graphql-ws `onNext`: a result with errors is sent formatted; one without, as graphql-ws would send it. */
export function formatResultErrors(result: ExecutionResult, format: ErrorFormatter = formatHubError): FormattedExecutionResult | undefined {
  return result.errors ? { ...result, errors: formatErrors(result.errors, format) } : undefined;
}

/** graphql-ws `onError`: a subscription refused before its first event, or failed while streaming. */
export function formatErrors(errors: readonly GraphQLError[], format: ErrorFormatter = formatHubError): GraphQLFormattedError[] {
  return errors.map((error) => format(error.toJSON(), error));
}
