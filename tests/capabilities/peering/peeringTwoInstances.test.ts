/**
 * Two instances of the Henan hub share one PostgreSQL database and both
 * sweep its outbox for the Anhui hub. Each records messages of the same
 * conversations in turn and both sweep at once; Anhui still applies every
 * message once, and each conversation in the order it was recorded.
 *
 * Several instances need a database server they can share, so this file always
 * runs on PostgreSQL (a fresh database on DATABASE_URL's server, or on the
 * local server every dev and CI machine of this project runs).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSm2KeyPair } from "../../../gateway/signing/sm2Keys.js";
import type { PeerConfig } from "../../../capabilities/peering/peerRegistry.js";
import { NOTE, notesOf, outboxOf, sendNotes, startPeerHub } from "../../support/peerHubs.js";
import { createPostgresTestDatabase, type TestDatabase } from "../../support/testDatabase.js";
import { eventually, type TestHub } from "../../support/testHub.js";

const CONVERSATIONS = ["task-a", "task-b", "task-c", "task-d"];
const PER_CONVERSATION = 12;

const henanKeys = generateSm2KeyPair();
const anhuiKeys = generateSm2KeyPair();
let henanDatabase: TestDatabase;
let henan: TestHub[];
let anhui: TestHub;

beforeAll(async () => {
  anhui = await startPeerHub("hub-anhui", anhuiKeys, {
    hubId: "hub-henan",
    baseUrl: "http://127.0.0.1:9", // Anhui does not write back in this test
    publicKeyPem: henanKeys.publicKeyPem,
    provinces: ["41"],
    accepts: [NOTE],
  });
  const toAnhui: PeerConfig = {
    hubId: "hub-anhui",
    baseUrl: anhui.hub.url,
    publicKeyPem: anhuiKeys.publicKeyPem,
    provinces: ["34"],
    accepts: [],
  };
  henanDatabase = await createPostgresTestDatabase();
  henan = [];
  for (let i = 0; i < 2; i++) henan.push(await startPeerHub("hub-henan", henanKeys, toAnhui, { database: henanDatabase }));
}, 180_000); // three hubs starting on a loaded machine

afterAll(async () => {
  await Promise.all([...(henan ?? []).map((hub) => hub.close()), anhui?.close()]);
  await henanDatabase?.drop();
});

describe("two instances of a hub delivering one outbox", () => {
  it("deliver every message once, each conversation in order", async () => {
    // Instances take turns recording, so both hold messages of every conversation.
    await Promise.all(
      henan.map(async (instance, i) => {
        for (let n = i; n < PER_CONVERSATION; n += 2) {
          for (const conversation of CONVERSATIONS) await sendNotes(instance, "340102", conversation, [`${conversation}-${n}`]);
        }
      }),
    );
    for (const conversation of CONVERSATIONS) {
      await eventually(
        () => outboxOf(henan[0], conversation),
        (rows) => rows.length === PER_CONVERSATION && rows.every((row) => row.status === "DELIVERED"),
        90_000,
      );
      const recorded = (await outboxOf(henan[0], conversation)).map((row) => row.id);
      const applied = await notesOf(anhui, conversation);
      expect(applied.map((row) => row.message_id)).toEqual(recorded);
      expect(applied.map((row) => row.sequence)).toEqual(recorded.map((_, i) => i + 1));
    }
  }, 180_000); // a loaded machine delivers slowly; the test waits for states, never for time
});
