/**
 * The outbound rule when connecting (gateway/outbound/outboundAgent.ts), through the agency transport
 * (connectors/transport.ts) and the agent that list delivery and peer delivery use: a name that
 * resolves to a forbidden address is refused before any byte reaches the server listening there,
 * and a redirect is never followed.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AgencyProtocolError, TransientAgencyError } from "../../../connectors/agencyErrors.js";
import { createAgencyTransport } from "../../../connectors/transport.js";
import { guardedConnector, OutboundAddressRefused, outboundAgent } from "../../../gateway/outbound/outboundAgent.js";
import type { OutboundPolicy } from "../../../gateway/outbound/outboundPolicy.js";

const PRODUCTION: OutboundPolicy = { development: false, allow: [] };
const DEVELOPMENT: OutboundPolicy = { development: true, allow: [] };

interface Listening {
  server: Server;
  port: number;
  /** TCP connections accepted and bytes received, whatever the request. */
  seen: { connections: number; bytes: number };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(answer: (response: import("node:http").ServerResponse) => void): Promise<Listening> {
  const seen = { connections: 0, bytes: 0 };
  const server = createServer((request, response) => {
    request.resume();
    answer(response);
  });
  server.on("connection", (socket) => {
    seen.connections++;
    socket.on("data", (chunk: Buffer) => (seen.bytes += chunk.length));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

const transport = (baseUrl: string, policy: OutboundPolicy) =>
  createAgencyTransport({ baseUrl, requestTimeoutMs: 2_000 }, (timeout) => guardedConnector(policy, { timeout }));

describe("connecting to an agency", () => {
  it("refuses a name that resolves to loopback, without a byte reaching the server there", async () => {
    const agency = await listen((response) => response.end("{}"));
    const refused = transport(`http://localhost:${agency.port}/national`, PRODUCTION);
    const error = await refused.send("/inquiries", { body: "{}" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransientAgencyError);
    expect((error as Error).message).toMatch(/localhost \((127\.0\.0\.1|::1)\) is a loopback address/);
    expect(agency.seen).toEqual({ connections: 0, bytes: 0 });
    await refused.close();

    // The same server, allowed: the refusal above was the rule's, not a server that could not be reached.
    const allowed = transport(`http://localhost:${agency.port}/national`, { development: false, allow: ["localhost"] });
    expect((await allowed.send("/inquiries", { body: "{}" })).status).toBe(200);
    expect(agency.seen.connections).toBe(1);
    await allowed.close();
  });

  it("refuses an address given literally", async () => {
    const agency = await listen((response) => response.end("{}"));
    const refused = transport(`http://127.0.0.1:${agency.port}/national`, PRODUCTION);
    await expect(refused.send("/inquiries", { body: "{}" })).rejects.toThrow(/127\.0\.0\.1 is a loopback address/);
    expect(agency.seen.connections).toBe(0);
    await refused.close();
  });

  it("does not follow a redirect: the server it points at is never reached", async () => {
    const elsewhere = await listen((response) => response.end("{}"));
    const agency = await listen((response) => {
      response.writeHead(302, { location: `http://127.0.0.1:${elsewhere.port}/steal` });
      response.end();
    });
    const redirected = transport(`http://127.0.0.1:${agency.port}/national`, DEVELOPMENT);
    const error = await redirected.send("/inquiries", { body: "{}" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgencyProtocolError);
    expect((error as Error).message).toMatch(/answered a redirect \(HTTP 302\), which the hub does not follow/);
    expect(agency.seen.connections).toBe(1);
    expect(elsewhere.seen.connections).toBe(0);
    await redirected.close();
  });
});

describe("the agent of list and peer delivery", () => {
  it("refuses a name resolving to loopback before connecting", async () => {
    const partner = await listen((response) => response.end("{}"));
    const agent = outboundAgent(PRODUCTION);
    const error = await fetch(`http://localhost:${partner.port}/lists`, {
      method: "POST",
      body: "{}",
      redirect: "manual",
      // @ts-expect-error undici's dispatcher option is not in the DOM fetch types
      dispatcher: agent,
    }).catch((caught: unknown) => caught);
    expect((error as Error).cause).toBeInstanceOf(OutboundAddressRefused);
    expect(((error as Error).cause as OutboundAddressRefused).rule).toBe("LOOPBACK_ADDRESS");
    expect(partner.seen).toEqual({ connections: 0, bytes: 0 });
    await agent.close();
  });
});
