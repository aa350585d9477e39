/**
 * No internal message reaches a client: an error that is neither a hub error nor one of GraphQL's own
 * refusals is answered "internal error" with only a correlation id, and the full error is logged under it.
 */
import { Writable } from "node:stream";
import { GraphQLError, locatedError } from "graphql";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { HubError } from "../../../gateway/errors.js";
import { formatErrors } from "../../../gateway/http/graphqlErrors.js";
import { concealingFormatter } from "../../../gateway/http/internalErrors.js";

function capturingFormatter() {
  const lines: Record<string, any>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { format: concealingFormatter(pino({ level: "error" }, sink)), lines };
}

describe("concealingFormatter", () => {
  it("answers a resolver's own failure (Apollo's INTERNAL_SERVER_ERROR) with a correlation id, and logs the error under it", async () => {
    const { format, lines } = capturingFormatter();
    const error = locatedError(new Error('invalid byte sequence for encoding "UTF8": 0x00'), undefined, ["registerCase"]);
    const formatted = format({ ...error.toJSON(), extensions: { code: "INTERNAL_SERVER_ERROR" } }, error);
    expect(formatted).toEqual({
      message: "internal error",
      path: ["registerCase"],
      extensions: { code: "INTERNAL_SERVER_ERROR", correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
    await expect.poll(() => lines.length).toBe(1);
    expect(lines[0]).toMatchObject({
      correlationId: formatted.extensions!.correlationId,
      err: { message: expect.stringContaining("0x00") },
    });
  });

  it("over WebSocket, where graphql-ws marks nothing: an execution error without a code", () => {
    const { format } = capturingFormatter();
    const [formatted] = formatErrors([locatedError(new TypeError("Cannot read properties of undefined"), undefined, ["case"])], format);
    expect(formatted).toMatchObject({ message: "internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } });
  });

  it("leaves hub errors and GraphQL's own refusals as they are", () => {
    const { format, lines } = capturingFormatter();
    const refused = locatedError(new HubError("CASE_NOT_FOUND", "no case"), undefined, ["case"]);
    expect(format(refused.toJSON(), refused)).toMatchObject({ message: "no case", extensions: { code: "CASE_NOT_FOUND" } });
    const syntax = new GraphQLError("Syntax Error", { extensions: { code: "GRAPHQL_PARSE_FAILED" } });
    expect(format(syntax.toJSON(), syntax)).toEqual(syntax.toJSON());
    const coercion = new GraphQLError('Variable "$first" got invalid value "x"', { originalError: new TypeError("not an int") });
    expect(format(coercion.toJSON(), coercion)).toEqual(coercion.toJSON());
    expect(lines).toEqual([]);
  });
});
