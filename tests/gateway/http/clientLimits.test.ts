/**
 * What one client may take from the hub, over a real HTTP server: requests per token (a low limit set on
 * this hub: the next request is refused RATE_LIMITED, 429 with Retry-After over HTTP and a typed error
 * over WebSocket, while another token goes on; an agency's callbacks likewise, per agency), and time (a
 * client sending its headers or its body a byte at a time is cut off within the configured timeouts).
 */
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect, eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const RATE = { requests: 5, windowSeconds: 60 };
const TIMEOUTS = { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000 };
const PING = `query { __typename }`;

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ rateLimits: RATE, transportLimits: TIMEOUTS });
});
afterAll(() => t?.close());

async function post(token: string): Promise<Response> {
  return fetch(t.graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: PING }),
  });
}

describe("requests per token", () => {
  it("refuses the request over the limit with RATE_LIMITED, its figures and Retry-After; another token is unaffected", async () => {
    const first = await t.token("豫0225", ["CASE_OFFICER"], "officer-a");
    for (let request = 0; request < RATE.requests; request++) expect((await post(first)).status).toBe(200);
    const refused = await post(first);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(RATE.windowSeconds);
    const body = (await refused.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0].extensions).toEqual({
      code: "RATE_LIMITED",
      limit: "HUB_RATE_LIMIT_REQUESTS",
      requests: RATE.requests,
      windowSeconds: RATE.windowSeconds,
      retryAfterSeconds: retryAfter,
    });

    const other = await t.token("豫0225", ["CASE_OFFICER"], "officer-b");
    expect((await post(other)).status).toBe(200);
  });

  it("counts WebSocket subscribe messages with the token's HTTP requests", async () => {
    const token = await t.token("豫0225", ["CASE_OFFICER"], "officer-c");
    for (let request = 0; request < RATE.requests; request++) expect((await post(token)).status).toBe(200);
    const subscription = collect(
      t.ws(token),
      `subscription { inquiryUpdates(caseNumber: "（2024）豫0225执1号") { inquiryId } }`,
      "inquiryUpdates",
    );
    const [error] = await eventually(
      async () => subscription.errors,
      (errors) => errors.length > 0,
    );
    expect((error as { extensions?: Record<string, unknown> }[])[0].extensions).toMatchObject({
      code: "RATE_LIMITED",
      requests: RATE.requests,
    });
    subscription.stop();
  });
});

describe("callbacks per agency", () => {
  it("refuses an agency's callback over the limit with 429 and Retry-After before reading it; another agency goes on", async () => {
    const callback = (agency: string) =>
      fetch(`${t.hub.url}/agency-callbacks/${agency}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    // Unsigned: each is refused 401 on its merits, and counted all the same.
    for (let request = 0; request < RATE.requests; request++) expect((await callback("TAX")).status).toBe(401);
    const refused = await callback("TAX");
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(RATE.windowSeconds);
    expect(await refused.json()).toMatchObject({ code: "RATE_LIMITED", limit: "HUB_RATE_LIMIT_REQUESTS", retryAfterSeconds: retryAfter });
    expect((await callback("BANK")).status).toBe(401);
  });
});

/** Opens a raw connection to the hub, and resolves when the hub closes it, with what the hub sent and when. */
function slowClient(send: (socket: Socket) => NodeJS.Timeout): Promise<{ afterMs: number; received: string }> {
  const url = new URL(t.graphqlUrl);
  return new Promise((resolve) => {
    const started = performance.now();
    let received = "";
    const socket = connect(Number(url.port), url.hostname);
    let trickle: NodeJS.Timeout | undefined;
    socket.on("connect", () => (trickle = send(socket)));
    socket.on("data", (chunk) => (received += chunk.toString()));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearInterval(trickle);
      resolve({ afterMs: performance.now() - started, received });
    });
  });
}

/** Writes `text` one byte at a time, every 100 ms: never idle long, never finished within the limits. */
function trickle(socket: Socket, text: string): NodeJS.Timeout {
  let next = 0;
  return setInterval(() => {
    if (next < text.length && !socket.destroyed) socket.write(text[next++]);
  }, 100);
}

describe("slow clients", () => {
  it("closes a connection whose headers arrive a byte at a time, within the headers timeout", async () => {
    const closed = await slowClient((socket) => {
      socket.write("POST /graphql HTTP/1.1\r\nHost: hub\r\n");
      return trickle(socket, `X-Slow: ${"a".repeat(200)}\r\n\r\n`);
    });
    expect(closed.afterMs).toBeGreaterThanOrEqual(TIMEOUTS.headersTimeoutMs - 50);
    // The limit, plus at most Node's check interval (1 s here) and the test's own slack.
    expect(closed.afterMs).toBeLessThan(TIMEOUTS.headersTimeoutMs + 2_500);
    expect(closed.received).toMatch(/^HTTP\/1\.1 408/);
  });

  it("closes a connection whose body is trickled, within the request timeout", async () => {
    const body = JSON.stringify({ query: PING, padding: "x".repeat(300) });
    const closed = await slowClient((socket) => {
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
      );
      return trickle(socket, body);
    });
    expect(closed.afterMs).toBeGreaterThanOrEqual(TIMEOUTS.requestTimeoutMs - 50);
    expect(closed.afterMs).toBeLessThan(TIMEOUTS.requestTimeoutMs + 2_500);
  });
});
