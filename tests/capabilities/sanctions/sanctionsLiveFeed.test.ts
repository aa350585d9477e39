/**
 * `subscription sanctionFeed(after)` over graphql-ws: a pull partner gets the changes after its
 * cursor (default: after the one it acknowledged), then each new change as it is made, in seq
 * order, cut to its profile: the same items as the sanctionFeed query. It ends with
 * PARTNER_INACTIVE when a supervisor deactivates the partner, refuses callers that are not an
 * active pull partner, and, with two hub instances on one PostgreSQL database, a change made on
 * one reaches a subscriber of the other through LISTEN/NOTIFY.
 */
import { WS_UNAUTHENTICATED } from "../../../gateway/http/hubServer.js";
import type { Client } from "graphql-ws";
import { generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIVE_FEED_POLL_MS } from "../../../capabilities/sanctions/delivery/liveFeed.js";
import { generateSm2KeyPair } from "../../../gateway/signing/sm2Keys.js";
import { startSandbox } from "../../../sandbox/index.js";
import { ACK_FEED, FEED, REMOVE, listNewDebtor, registerPartner, EARLY_REMOVAL } from "../../support/sanctions.js";
import { collect, type Stream } from "../../support/subscriptionStream.js";
import { createPostgresTestDatabase } from "../../support/testDatabase.js";
import { eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const LIVE = `subscription Live($after: String) { sanctionFeed(after: $after) { seq entryId list idNumber debtorSeq operation status
  fields } }`;
const DEACTIVATE = `mutation Deactivate($id: ID!, $reason: String!) { deactivatePartner(id: $id, reason: $reason) { active } }`;
const REACTIVATE = `mutation Reactivate($id: ID!) { reactivatePartner(id: $id) { active } }`;
const REGULATOR = {
  code: "MARKET_REGULATOR",
  mode: "PULL" as const,
  lists: ["DISHONEST_DEBTOR" as const],
  fields: ["name" as const, "obligation" as const],
};

const subscribe = (client: Client, after?: string): Stream => collect(client, LIVE, after === undefined ? {} : { after }, "sanctionFeed");

/** graphql-ws does not acknowledge a subscription: make changes until one made after subscribing has arrived. */
async function untilLive(stream: Stream, change: () => Promise<unknown>): Promise<void> {
  await eventually(
    async () => {
      await change();
      await new Promise((resolve) => setTimeout(resolve, 300));
      return stream.events.length;
    },
    (n) => n > 0,
  );
}

const seqOrder = (changes: { seq: string }[]) => changes.map((c) => BigInt(c.seq)).every((seq, i, all) => i === 0 || all[i - 1] < seq);

describe("on one hub", () => {
  let t: TestHub;
  let officer: string;
  let regulator: string;
  let supervisor: string;

  beforeAll(async () => {
    t = await startTestHub();
    officer = await t.token("豫0225", ["CASE_OFFICER"]);
    regulator = await t.token("MARKET_REGULATOR", ["AGENCY"]);
    supervisor = await t.token("豫", ["SUPERVISOR"]);
    await registerPartner(t, REGULATOR);
  }, 60_000);
  afterAll(() => t?.close());

  it(
    "replays from the cursor, then follows live changes, the same " + "items as the feed query and only the partner's lists and fields",
    async () => {
      const before = [await listNewDebtor(t, officer), await listNewDebtor(t, officer)];
      const stream = subscribe(t.ws(regulator), "0");
      await eventually(
        async () => stream.events,
        (changes) => before.every((b) => changes.some((c) => c.idNumber === b.debtor)),
      );

      const live = await listNewDebtor(t, officer);
      // Its consumption restriction (限制消费规定 art. 1 para. 2), made with it, is not on the regulator's lists.
      expect((await t.gql(REMOVE, { input: { entryId: live.entryId, ...EARLY_REMOVAL } }, officer)).errors).toBeUndefined();
      await eventually(
        async () => stream.events,
        (changes) => changes.some((c) => c.idNumber === live.debtor && c.operation === "REMOVE"),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));

      const feed = (await t.gql(FEED, { after: "0", first: 1000 }, regulator)).data.sanctionFeed.changes;
      expect(stream.errors).toEqual([]);
      expect(stream.events).toEqual(feed);
      expect(seqOrder(stream.events)).toBe(true);
      expect(stream.events.filter((c) => c.idNumber === live.debtor).map((c) => [c.operation, c.list, c.debtorSeq])).toEqual([
        ["LIST", "DISHONEST_DEBTOR", 1],
        ["REMOVE", "DISHONEST_DEBTOR", 3],
      ]);
      expect(stream.events.every((c) => Object.keys(c.fields).sort().join() === "name,obligation")).toBe(true);
      stream.stop();
    },
  );

  it("starts after the acknowledged cursor when given none", async () => {
    const page = (await t.gql(FEED, { first: 1000 }, regulator)).data.sanctionFeed;
    expect((await t.gql(ACK_FEED, { upTo: page.endCursor }, regulator)).errors).toBeUndefined();
    const next = await listNewDebtor(t, officer);
    const stream = subscribe(t.ws(regulator));
    await eventually(
      async () => stream.events,
      (changes) => changes.length > 0,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stream.events.map((c) => c.idNumber)).toEqual([next.debtor]);
    stream.stop();
  });

  it("ends with PARTNER_INACTIVE when the partner is deactivated, and is refused until reactivated", async () => {
    const stream = subscribe(t.ws(regulator));
    await untilLive(stream, () => listNewDebtor(t, officer));
    expect((await t.gql(DEACTIVATE, { id: "MARKET_REGULATOR", reason: "协议暂停" }, supervisor)).errors).toBeUndefined();
    await eventually(
      async () => stream.completed,
      (done) => done,
    );
    expect(stream.errors.map((e) => e.extensions?.code)).toEqual(["PARTNER_INACTIVE"]);

    const refused = subscribe(t.ws(regulator));
    await eventually(
      async () => refused.completed,
      (done) => done,
    );
    expect(refused.errors[0].extensions).toMatchObject({ code: "PARTNER_INACTIVE", inactiveReason: "协议暂停" });
    expect(refused.events).toEqual([]);
    expect((await t.gql(REACTIVATE, { id: "MARKET_REGULATOR" }, supervisor)).errors).toBeUndefined();
  });

  it("refuses callers that are not an active pull partner, and a bad cursor", async () => {
    await registerPartner(t, {
      code: "RAILWAY",
      lists: ["DISHONEST_DEBTOR"],
      fields: ["name"],
      endpoint: "http://127.0.0.1:9/batches",
      signing: "HMAC_SM3",
      secret: "railway-shared-secret-for-the-live-feed",
    });
    const cases: [string | undefined, string | undefined, Record<string, unknown>][] = [
      // No token at all: connection_init is refused and the connection closed (graphql-ws's 4403 Forbidden).
      [undefined, undefined, { code: 4403 }],
      [officer, undefined, { extensions: { code: "FORBIDDEN" } }],
      // An org the hub does not know is refused at connection_init: the connection is closed.
      [await t.token("CUSTOMS", ["AGENCY"]), undefined, { code: WS_UNAUTHENTICATED, reason: "UNKNOWN_ORG" }],
      [await t.token("RAILWAY", ["AGENCY"]), undefined, { extensions: { code: "FORBIDDEN", reason: "PUSH_PARTNER" } }],
      [regulator, "not-a-cursor", { extensions: { code: "BAD_USER_INPUT", field: "after" } }],
    ];
    for (const [token, after, expected] of cases) {
      const stream = subscribe(t.ws(token), after);
      await eventually(
        async () => stream.completed,
        (done) => done,
        5_000,
      );
      expect(stream.events).toEqual([]);
      expect(stream.errors[0]).toMatchObject(expected);
    }
  });
});

describe("two hub instances on one PostgreSQL database", () => {
  let a: TestHub;
  let b: TestHub;
  let closeSandbox: () => Promise<void>;

  beforeAll(async () => {
    const database = await createPostgresTestDatabase();
    const sanctionKey = generateSm2KeyPair();
    const sandbox = await startSandbox({ hubPublicKeyPem: sanctionKey.publicKeyPem });
    closeSandbox = () => sandbox.close();
    const keys = await generateKeyPair("EdDSA");
    a = await startTestHub({ database, sandbox, keys, sanctionKey });
    b = await startTestHub({ database, sandbox, keys, sanctionKey });
    await registerPartner(a, REGULATOR);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await closeSandbox?.();
  });

  it("a change made on one instance reaches a subscriber of the other at once (NOTIFY), not at the next poll", async () => {
    const officer = await a.token("豫0225", ["CASE_OFFICER"]);
    const stream = subscribe(b.ws(await b.token("MARKET_REGULATOR", ["AGENCY"])), "0");
    // Changes made on A after subscribing on B.
    await untilLive(stream, () => listNewDebtor(a, officer));
    const timings: number[] = [];
    for (let i = 0; i < 3; i++) {
      const made = Date.now();
      const { debtor } = await listNewDebtor(a, officer);
      await eventually(
        async () => stream.events.some((c) => c.idNumber === debtor),
        (arrived) => arrived,
        LIVE_FEED_POLL_MS * 3,
      );
      timings.push(Date.now() - made);
    }
    expect(stream.errors).toEqual([]);
    expect(seqOrder(stream.events)).toBe(true);
    // A poll would take up to LIVE_FEED_POLL_MS per change; by NOTIFY the three arrive well within one.
    expect(timings.reduce((sum, ms) => sum + ms, 0)).toBeLessThan(LIVE_FEED_POLL_MS);
    stream.stop();
  });
});
