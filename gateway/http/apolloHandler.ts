/**
 * Hands a node:http request to Apollo Server, without a web framework: the hub's
 * one HTTP server also carries WebSocket subscriptions, health and agency
 * callbacks, and none of them needs more than this.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer, type BaseContext } from "@apollo/server";

/** The body as text; past `limitBytes` it rejects with `status: 413`, which the server answers in JSON (hubServer.ts). */
export async function readBody(request: IncomingMessage, limitBytes = 5 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw Object.assign(new Error("request body too large"), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export async function handleGraphQL<C extends BaseContext>(
  server: ApolloServer<C>,
  request: IncomingMessage,
  response: ServerResponse,
  context: () => Promise<C>,
  maxBodyBytes: number,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  const text = await readBody(request, maxBodyBytes);
  let body: unknown = text;
  if (text && (headers.get("content-type") ?? "").includes("json")) {
    try {
      body = JSON.parse(text);
    } catch {
      response.writeHead(400, { "content-type": "application/json; charset=utf-8" });
      response.end(JSON.stringify({ errors: [{ message: "request body is not valid JSON", extensions: { code: "BAD_REQUEST" } }] }));
      return;
    }
  }
  const url = new URL(request.url ?? "/", "http://hub");
  const result = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: request.method ?? "GET", headers, search: url.search, body },
    context,
  });
  const outHeaders: Record<string, string> = {};
  for (const [key, value] of result.headers) outHeaders[key] = value;
  response.writeHead(result.status ?? 200, outHeaders);
  if (result.body.kind === "complete") {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}
