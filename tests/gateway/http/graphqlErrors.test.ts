/**
 * The one mapping from a hub error to what GraphQL clients read, as graphql-js
 * hands it over: wrapped by a resolver (located, with a path), or by graphql-ws
 * when a subscription's stream fails.
 */
import { GraphQLError, locatedError } from "graphql";
import { describe, expect, it } from "vitest";
import { HubError, guardRefused, invalidField } from "../../../gateway/errors.js";
import { formatErrors, formatHubError, formatResultErrors } from "../../../gateway/http/graphqlErrors.js";

const fromResolver = (error: unknown) => locatedError(error, undefined, ["measure"]);

describe("graphqlErrors", () => {
  it("puts a hub error's code, then its details, in extensions and keeps its message", () => {
    const error = fromResolver(invalidField("amount", "must be positive"));
    expect(formatHubError(error.toJSON(), error)).toEqual({
      message: "amount: must be positive",
      path: ["measure"],
      extensions: { code: "BAD_USER_INPUT", field: "amount", reason: "must be positive" },
    });
  });

  it("passes a legal guard's own code and figures on, without its ok flag or reason", () => {
    const refusal = { ok: false, code: "OVER_SEIZURE", reason: "over by 100", overBy: "100.00" };
    const error = fromResolver(guardRefused(refusal));
    expect(formatHubError(error.toJSON(), error)).toMatchObject({
      message: "over by 100",
      extensions: { code: "OVER_SEIZURE", overBy: "100.00" },
    });
    expect(formatHubError(error.toJSON(), error).extensions).not.toHaveProperty("ok");
  });

  it("overrides the code Apollo Server gives an error it does not know, keeping its other extensions", () => {
    const error = fromResolver(new HubError("CASE_NOT_FOUND", "no case"));
    const apollo = { ...error.toJSON(), extensions: { code: "INTERNAL_SERVER_ERROR", stacktrace: ["at x"] } };
    expect(formatHubError(apollo, error).extensions).toEqual({ code: "CASE_NOT_FOUND", stacktrace: ["at x"] });
  });

  it("leaves any other error as formatted", () => {
    const plain = fromResolver(new Error("boom"));
    const graphql = new GraphQLError("Syntax Error", { extensions: { code: "GRAPHQL_PARSE_FAILED" } });
    expect(formatHubError(plain.toJSON(), plain)).toEqual(plain.toJSON());
    expect(formatHubError(graphql.toJSON(), graphql)).toEqual(graphql.toJSON());
  });

  it("formats a WebSocket result's errors, and leaves a result without errors to graphql-ws", () => {
    const error = fromResolver(new HubError("FORBIDDEN", "not your court", { reason: "COURT" }));
    expect(formatResultErrors({ data: null, errors: [error] })).toEqual({
      data: null,
      errors: [{ message: "not your court", path: ["measure"], extensions: { code: "FORBIDDEN", reason: "COURT" } }],
    });
    expect(formatResultErrors({ data: { measure: null } })).toBeUndefined();
  });

  it("formats a subscription stream's failure as graphql-ws wraps it", () => {
    const failed = new GraphQLError("no case", { originalError: new HubError("CASE_NOT_FOUND", "no case") });
    expect(formatErrors([failed])).toEqual([{ message: "no case", extensions: { code: "CASE_NOT_FOUND" } }]);
  });
});
