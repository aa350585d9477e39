/**
 * Counts and times every GraphQL operation over HTTP, and opens its span. Labelled by the operation's type and
 * its first root field (bounded by the schema), never by the operation name a client chose.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { SpanStatusCode, trace } from "@opentelemetry/api";
import { Kind, type OperationDefinitionNode } from "graphql";
import type { HubMetrics } from "./metrics.js";

const tracer = trace.getTracer("enforcement-linkage-hub");

/** The operation's first root field, the label both transports count it by. */
export function rootField(operation: OperationDefinitionNode | undefined): string {
  const first = operation?.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
  return first?.kind === Kind.FIELD ? first.name.value : "unknown";
}

export function telemetryPlugin<C extends object>(metrics: HubMetrics): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const startedAt = performance.now();
      const span = tracer.startSpan("graphql");
      let operationType = "unknown";
      let field = "unknown";
      return {
        async didResolveOperation({ operation }) {
          operationType = operation?.operation ?? "unknown";
          field = rootField(operation);
          span.updateName(`graphql ${operationType} ${field}`);
          span.setAttributes({ "graphql.operation.type": operationType, "graphql.field": field });
        },
        async willSendResponse({ response }) {
          const body = response.body.kind === "single" ? response.body.singleResult : response.body.initialResult;
          const code = String(body.errors?.[0]?.extensions?.code ?? "OK");
          metrics.operationAnswered(operationType, field, code, (performance.now() - startedAt) / 1000);
          if (code !== "OK") span.setStatus({ code: SpanStatusCode.ERROR, message: code });
          span.end();
        },
      };
    },
  };
}
