/**
 * One log line per GraphQL operation with its outcome, in the manner of an
 * Apollo Server plugin: the exchanges with agencies are logged by the dispatcher
 * and recorded in the audit trail; this covers what clients asked.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import type { Caller } from "../auth/access.js";
import type { Logger } from "../logger.js";
import { formatHubError } from "./graphqlErrors.js";

export function auditPlugin(log: Logger): ApolloServerPlugin<{ caller: Caller }> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, operation, errors }) {
          log.debug(
            {
              org: contextValue.caller.principal?.org,
              officer: contextValue.caller.principal?.officer,
              operation: operation?.operation,
              operationName,
              errors: errors?.map((e) => formatHubError(e.toJSON(), e).extensions?.code ?? e.message),
              ms: Math.round(performance.now() - started),
            },
            "graphql operation",
          );
        },
      };
    },
  };
}
