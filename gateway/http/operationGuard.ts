/**
 * The checks on a validated operation that need its variables or its caller, run before execution over
 * HTTP (an Apollo Server plugin) and WebSocket (graphql-ws `onSubscribe`, which also parses and validates
 * with the same limits): text no database can store, `_entities` batches and types, subscriptions sent
 * where they cannot be served, and, in production, the schema kept from callers without a token.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  specifiedRules,
  validate,
  valueFromASTUntyped,
  visit,
} from "graphql";
import type { InputViolation } from "../../domain/input/inputViolation.js";
import { checkStorable } from "../../domain/input/textPolicy.js";
import type { Caller } from "../auth/access.js";
import { HubError, invalidField } from "../errors.js";
import { limitExceeded, type OperationLimits, operationLimitRules, parseOptions, tokenLimitRefusal } from "./operationLimits.js";

export interface GuardOptions {
  limits: OperationLimits;
  /** NODE_ENV=production: introspection, the SDL and field suggestions only for callers with a valid token. */
  production: boolean;
}

/** Fields that reveal the schema: introspection and the federation SDL. */
const SCHEMA_FIELDS = new Set(["__schema", "__type", "_service"]);

/** A refused request is the client's error: 400 over HTTP (Apollo Server would answer an error thrown by a plugin 500). */
const refusal = (error: HubError) => new GraphQLError(error.message, { originalError: error, extensions: { http: { status: 400 } } });

export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | undefined,
  caller: Caller,
  options: GuardOptions,
): GraphQLError | undefined {
  if (options.production && !caller.principal && revealsSchema(document)) {
    return refusal(
      caller.authError ?? new HubError("UNAUTHENTICATED", "the schema is shown only with a valid token", { reason: "TOKEN_MISSING" }),
    );
  }
  for (const [name, value] of Object.entries(variables ?? {})) {
    // Fields of an input object are named as the field rules name them (`debtors[0].name`, not `input.debtors[0].name`).
    const bad = unstorableText(value, value && typeof value === "object" && !Array.isArray(value) ? "" : name);
    if (bad) return refusal(unstorable(bad));
  }
  let literal: Unstorable | undefined;
  visit(operation, {
    StringValue(node) {
      literal ??= unstorableText(node.value, "query");
    },
  });
  if (literal) return refusal(unstorable(literal));
  return checkEntities(schema, operation, variables, options.limits);
}

function revealsSchema(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (SCHEMA_FIELDS.has(node.name.value)) found = true;
    },
  });
  return found;
}

type Unstorable = { path: string; violation: InputViolation };

const unstorable = ({ path, violation }: Unstorable) =>
  new HubError("BAD_USER_INPUT", `${path}: ${violation.reason}`, { field: path, rule: violation.rule, reason: violation.reason });

/** The first string no field may hold (domain/input/textPolicy.ts, checkStorable), with where it is and why. */
function unstorableText(value: unknown, path: string): Unstorable | undefined {
  if (typeof value === "string") {
    const violation = checkStorable(value);
    return violation ? { path, violation } : undefined;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = unstorableText(item, `${path}[${index}]`);
      if (found) return found;
    }
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = unstorableText(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

function checkEntities(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | undefined,
  limits: OperationLimits,
): GraphQLError | undefined {
  const entityType = schema.getType("_Entity");
  const entityNames = new Set(entityType && "getTypes" in entityType ? entityType.getTypes().map((type) => type.name) : []);
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.name.value !== "_entities") continue;
    const argument = selection.arguments?.find((candidate) => candidate.name.value === "representations");
    const representations = argument ? valueFromASTUntyped(argument.value, variables as Record<string, unknown>) : [];
    const list: unknown[] = Array.isArray(representations) ? representations : [representations];
    if (list.length > limits.maxEntityRepresentations) {
      return limitExceeded("TOO_MANY_REPRESENTATIONS", "the number of _entities representations", limits.maxEntityRepresentations);
    }
    for (const [index, representation] of list.entries()) {
      const typename = (representation as { __typename?: unknown } | null)?.__typename;
      const type = typeof typename === "string" ? schema.getType(typename) : undefined;
      if (!type || !isObjectType(type) || !entityNames.has(type.name)) {
        return refusal(
          invalidField(`representations[${index}].__typename`, `not an entity type of this schema: ${JSON.stringify(typename)}`),
        );
      }
    }
  }
  return undefined;
}

/** Field suggestions ("Did you mean …?") spell out the schema; in production only callers with a token get them. */
function withoutSuggestions(errors: readonly GraphQLError[], caller: Caller, options: GuardOptions): readonly GraphQLError[] {
  if (!options.production || caller.principal) return errors;
  for (const error of errors) error.message = error.message.replace(/ ?Did you mean .*\?/, "");
  return errors;
}

/** Over HTTP: after Apollo Server has parsed and validated (with the same limits), before it executes. */
export function operationGuardPlugin<C extends { caller: Caller }>(schema: GraphQLSchema, options: GuardOptions): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, contextValue }) {
          if (operation?.operation === "subscription") {
            throw refusal(new HubError("BAD_REQUEST", "subscriptions are served over WebSocket (graphql-ws) on /graphql"));
          }
          const refused = operation && checkOperation(schema, document, operation, request.variables, contextValue.caller, options);
          if (refused) throw refused;
        },
        async didEncounterErrors({ errors, contextValue }) {
          withoutSuggestions(errors, contextValue.caller, options);
          // Apollo Server wraps parse errors in its own before any hook sees them: the refusal is put inside.
          for (const error of errors) {
            const tokens = tokenLimitRefusal(error, options.limits);
            if (tokens) Object.assign(error, { originalError: tokens.originalError, message: tokens.message });
          }
        },
      };
    },
  };
}

/**
 * Over WebSocket: graphql-ws `onSubscribe`, parsing and validating with the limits itself. Returns the
 * errors to send, or what to execute (graphql-ws adds the context).
 */
export function guardSubscription(
  schema: GraphQLSchema,
  payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
  caller: Caller,
  options: GuardOptions,
):
  | readonly GraphQLError[]
  | { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: Record<string, unknown> } {
  let document: DocumentNode;
  try {
    document = parse(payload.query, parseOptions(options.limits));
  } catch (error) {
    const syntax = error as GraphQLError;
    return [tokenLimitRefusal(syntax, options.limits) ?? syntax];
  }
  const errors = validate(schema, document, [...specifiedRules, ...operationLimitRules(options.limits)]);
  if (errors.length > 0) return withoutSuggestions(errors, caller, options);
  const operation = getOperationAST(document, payload.operationName);
  if (!operation) return [new GraphQLError("Unable to identify operation")];
  const refused = checkOperation(schema, document, operation, payload.variables ?? undefined, caller, options);
  if (refused) return [refused];
  return { schema, document, operationName: payload.operationName, variableValues: payload.variables ?? undefined };
}
