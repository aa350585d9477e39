/**
 * What one GraphQL operation may cost, checked on the document before anything runs, the same over
 * HTTP and WebSocket: a refused operation is answered with a typed error naming the limit and its
 * value, and executes nothing. Depth, aliases, cost and directives are graphql-armor's validation
 * rules; tokens are graphql-js's own parser limit; mutation fields per request are counted here.
 */
import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import type { GraphQLArmorCallbackConfiguration } from "@escape.tech/graphql-armor-types";
import { GraphQLError, type ParseOptions, type ValidationContext, type ValidationRule } from "graphql";
import { HubError, type HubErrorCode } from "../errors.js";

/** Limits on one operation; each has an environment variable (docs/CONFIGURATION.md). */
export interface OperationLimits {
  /**
   * Lexical tokens in the document, counted while parsing so a huge document is dropped unread.
   * @default 2000
   */
  maxTokens: number;
  /**
   * Nested selections, fragments followed. The deepest query of the guides needs 8.
   * @default 12
   */
  maxDepth: number;
  /**
   * Aliases in the operation: what lets one request repeat an expensive or writing field.
   * @default 15
   */
  maxAliases: number;
  /**
   * graphql-armor's cost: 2 per object field, 1 per scalar, nested selections weighing 1.5 times more per level.
   * A case with all its inquiries, parts and assets costs about 21,000; a page of cases with their inquiries' parts, as a
   * command centre reads them, well over 50,000.
   * @default 200000
   */
  maxCost: number;
  /**
   * Directives in the operation.
   * @default 20
   */
  maxDirectives: number;
  /**
   * Top-level fields of one mutation: each may write and start agency requests.
   * @default 5
   */
  maxMutationFields: number;
  /**
   * `_entities` representations in one request (federation gateways batch them).
   * @default 100
   */
  maxEntityRepresentations: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxTokens: 2000,
  maxDepth: 12,
  maxAliases: 15,
  maxCost: 200_000,
  maxDirectives: 20,
  maxMutationFields: 5,
  maxEntityRepresentations: 100,
};

/** A refusal that reaches the client as `extensions.code` with the limit's value beside it. */
export function limitExceeded(code: HubErrorCode, what: string, limit: number): GraphQLError {
  const refusal = new HubError(code, `${what} exceeds the limit of ${limit}`, { limit });
  // 400 over HTTP also when a plugin throws it (gateway/http/operationGuard.ts); validation errors are 400 anyway.
  return new GraphQLError(refusal.message, { originalError: refusal, extensions: { http: { status: 400 } } });
}

/** The limits that can be judged on the document alone, as validation rules. */
export function operationLimitRules(limits: OperationLimits): ValidationRule[] {
  const reporting = (code: HubErrorCode, what: string, limit: number): GraphQLArmorCallbackConfiguration => ({
    propagateOnRejection: false,
    onReject: [(context) => context?.reportError(limitExceeded(code, what, limit))],
  });
  return [
    maxDepthRule({ n: limits.maxDepth, ...reporting("QUERY_TOO_DEEP", "the depth of the query", limits.maxDepth) }),
    maxAliasesRule({ n: limits.maxAliases, ...reporting("TOO_MANY_ALIASES", "the number of aliases", limits.maxAliases) }),
    costLimitRule({ maxCost: limits.maxCost, ...reporting("QUERY_TOO_COSTLY", "the cost of the query", limits.maxCost) }),
    maxDirectivesRule({
      n: limits.maxDirectives,
      ...reporting("TOO_MANY_DIRECTIVES", "the number of directives", limits.maxDirectives),
    }),
    maxMutationFieldsRule(limits.maxMutationFields),
  ];
}

function maxMutationFieldsRule(limit: number): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(operation) {
      if (operation.operation === "mutation" && operation.selectionSet.selections.length > limit) {
        context.reportError(limitExceeded("TOO_MANY_MUTATIONS", "the number of mutation fields in one request", limit));
      }
    },
  });
}

export const parseOptions = (limits: OperationLimits): ParseOptions => ({ maxTokens: limits.maxTokens });

/**
 * graphql-js stops parsing at `maxTokens` with a syntax error of its own; this names it for the client.
 * Its message ("Document contains more that N tokens") is the only sign, so it is matched here alone.
 */
export function tokenLimitRefusal(error: GraphQLError, limits: OperationLimits): GraphQLError | undefined {
  return /contains more th(?:an|at) \d+ tokens/.test(error.message)
    ? limitExceeded("QUERY_TOO_LONG", "the number of tokens in the document", limits.maxTokens)
    : undefined;
}
