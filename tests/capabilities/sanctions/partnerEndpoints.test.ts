/**
 * Where list changes may be pushed (gateway/outbound/outboundPolicy.ts): in production a partner's
 * endpoint at a metadata service, on this machine or over plain HTTP is refused when it is registered,
 * BAD_USER_INPUT naming the field and the rule, and nothing is written; in development a partner
 * answering with a redirect gets its batch refused, and the server the redirect points at is never reached.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REGISTER_PARTNER, PARTNERS, listNewDebtor } from "../../support/sanctions.js";
import { eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const SECRET = "partner-shared-secret-of-at-least-32-bytes";

describe("a partner's endpoint in production", () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ production: true, outboundAllow: [] });
  });
  afterAll(() => t?.close());

  it.each([
    ["http://169.254.169.254/latest/meta-data/", "METADATA_ADDRESS"],
    ["https://127.0.0.1/lists", "LOOPBACK_ADDRESS"],
    ["https://[::1]:8443/lists", "LOOPBACK_ADDRESS"],
    ["https://10.20.30.40/lists", "PRIVATE_ADDRESS"],
    ["http://lists.partner.example.cn/", "HTTPS_REQUIRED"],
  ])("refuses %s (%s) and writes nothing", async (endpoint, rule) => {
    const admin = await t.token("HUB", ["HUB_ADMIN"]);
    const input = { code: "CIVIL_AVIATION", name: "民航局", lists: ["DISHONEST_DEBTOR"], fields: ["name"], mode: "PUSH" };
    const result = await t.gql(REGISTER_PARTNER, { input: { ...input, endpoint, signing: "HMAC_SM3", secret: SECRET } }, admin);
    expect(result.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "endpoint", rule });
    expect((await t.gql(PARTNERS, {}, admin)).data.sanctionPartners).toEqual([]);
  });
});

describe("a partner answering with a redirect", () => {
  let t: TestHub;
  const servers: Server[] = [];
  const hits = { partner: 0, elsewhere: 0 };
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("is not followed: the batch fails and the server it points at is never reached", async () => {
    const elsewhere = await listen((request, response) => {
      hits.elsewhere++;
      request.resume();
      response.end("{}");
    });
    const partner = await listen((request, response) => {
      hits.partner++;
      request.resume();
      response.writeHead(307, { location: `${elsewhere}/lists` });
      response.end();
    });
    const admin = await t.token("HUB", ["HUB_ADMIN"]);
    const input = { code: "RAILWAY", name: "铁路总公司", lists: ["DISHONEST_DEBTOR"], fields: ["name"], mode: "PUSH" };
    const registered = await t.gql(
      REGISTER_PARTNER,
      { input: { ...input, endpoint: partner, signing: "HMAC_SM3", secret: SECRET } },
      admin,
    );
    expect(registered.errors).toBeUndefined();
    await listNewDebtor(t, await t.token("豫0225", ["CASE_OFFICER"]));
    await eventually(
      async () => hits.partner,
      (count) => count >= 2,
    );
    expect(hits.elsewhere).toBe(0);
    const [lag] = (await t.gql(PARTNERS, {}, admin)).data.sanctionPartners;
    expect(lag).toMatchObject({ partner: { code: "RAILWAY" }, backlog: 1 });
  });
});
