/**
 * Two hubs, each with its own database (Henan's and Anhui's), exchange
 * messages of a sample type (tests/support/peerHubs.ts) over HTTP through a
 * TCP proxy that the test cuts and restores.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signEnvelope, type PeerMessage } from "../../../capabilities/peering/peerEnvelope.js";
import { generateSm2KeyPair } from "../../../gateway/signing/sm2Keys.js";
import { sm2PrivateKey } from "../../../gateway/signing/sm2.js";
import { NOTE, REFUSED_NOTE, noteMessage, notesOf, outboxOf, sendNotes, startPeerHub } from "../../support/peerHubs.js";
import { startTcpProxy, type TcpProxy } from "../../support/tcpProxy.js";
import { eventually, type TestHub } from "../../support/testHub.js";

const NOT_ALLOWED = "SAMPLE_UNLISTED";
const HENAN = "hub-henan";
const ANHUI = "hub-anhui";
const henanKeys = generateSm2KeyPair();
const anhuiKeys = generateSm2KeyPair();

let henan: TestHub;
let anhui: TestHub;
let toAnhui: TcpProxy;
let toHenan: TcpProxy;

beforeAll(async () => {
  [toAnhui, toHenan] = await Promise.all([startTcpProxy(), startTcpProxy()]);
  henan = await startPeerHub(HENAN, henanKeys, {
    hubId: ANHUI,
    baseUrl: toAnhui.url,
    publicKeyPem: anhuiKeys.publicKeyPem,
    provinces: ["34"],
    accepts: [NOTE],
  });
  anhui = await startPeerHub(ANHUI, anhuiKeys, {
    hubId: HENAN,
    baseUrl: toHenan.url,
    publicKeyPem: henanKeys.publicKeyPem,
    provinces: ["41"],
    accepts: [NOTE],
  });
  toAnhui.target = { host: "127.0.0.1", port: anhui.hub.port };
  toHenan.target = { host: "127.0.0.1", port: henan.hub.port };
}, 180_000); // two hubs starting on a loaded machine

afterAll(async () => {
  await Promise.all([henan?.close(), anhui?.close()]);
  await Promise.all([toAnhui?.close(), toHenan?.close()]);
});

const refusals = (hub: TestHub, messageId: string) =>
  hub.hub.db.sql.query<{ actor_org: string; detail: { code: string; reason: string } }>(
    `SELECT actor_org, detail FROM audit_event WHERE action = 'PEER_MESSAGE_REFUSED' AND subject_id = $1`,
    [messageId],
  );

/** A message as Henan would sign it, posted straight to Anhui's endpoint. */
const henanMessage = (overrides: Partial<PeerMessage> = {}) => noteMessage(HENAN, ANHUI, overrides);

async function post(hub: TestHub, envelope: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${hub.hub.url}/peer-messages`, { method: "POST", body: JSON.stringify(envelope) });
  return { status: response.status, body: await response.json() };
}

/** States come slowly on a loaded machine: wait for them generously, never for time. */
const WAIT_MS = 60_000;

describe("messages between two hubs", { timeout: 180_000 }, () => {
  it("delivers a conversation in order, each message once, and answers a resend with the same acknowledgement", async () => {
    const ids = await sendNotes(henan, "340102", "task-1", ["received", "accepted", "completed"]);
    const sent = await eventually(
      () => outboxOf(henan, "task-1"),
      (rows) => rows.every((row) => row.status === "DELIVERED"),
      WAIT_MS,
    );
    expect(await notesOf(anhui, "task-1")).toEqual(
      ["received", "accepted", "completed"].map((text, i) => ({ message_id: ids[i], from_hub: HENAN, sequence: i + 1, text })),
    );

    // The same message again, signed afresh (as a resend after a lost acknowledgement would be): no second effect.
    const first = sent[0];
    const resend = henanMessage({ id: first.id, conversation: "task-1", sequence: 1, body: { text: "received" } });
    const receivedAgain = `SELECT 1 FROM audit_event WHERE action = 'PEER_MESSAGE_RECEIVED_AGAIN' AND subject_id = $1`;
    // Henan itself may have resent it already, had an acknowledgement been slow on a loaded machine.
    const repeatedBefore = (await anhui.hub.db.sql.query(receivedAgain, [first.id])).length;
    const again = await post(anhui, signEnvelope(resend, sm2PrivateKey(henanKeys.privateKeyPem)));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.acknowledgement);
    expect(await notesOf(anhui, "task-1")).toHaveLength(3);

    const trail = await anhui.hub.db.sql.query<{ subject_id: string }>(
      `SELECT subject_id FROM audit_event WHERE action = 'PEER_MESSAGE_RECEIVED' AND detail->>'conversation' = 'task-1'`,
    );
    expect(trail.map((row) => row.subject_id).sort()).toEqual([...ids].sort());
    const delivered = await henan.hub.db.sql.query<{ subject_id: string }>(
      `SELECT subject_id FROM audit_event WHERE action = 'PEER_MESSAGE_DELIVERED' AND detail->>'conversation' = 'task-1'`,
    );
    expect(delivered).toHaveLength(3);
    expect(await anhui.hub.db.sql.query(receivedAgain, [first.id])).toHaveLength(repeatedBefore + 1);

    // And the other way: Anhui answers on the same conversation.
    const [reply] = await sendNotes(anhui, "410225", "task-1", ["result"]);
    await eventually(
      () => notesOf(henan, "task-1"),
      (rows) => rows.length === 1,
      WAIT_MS,
    );
    expect((await notesOf(henan, "task-1"))[0]).toMatchObject({ message_id: reply, from_hub: ANHUI, text: "result" });
  });

  it("keeps messages recorded in a transaction that rolls back from ever leaving", async () => {
    await expect(
      henan.hub.db.sql.transaction(async (tx) => {
        await henan.hub.peering!.send(
          tx,
          { to: ANHUI, type: NOTE, conversation: "rolled-back", body: { text: "never" } },
          { actorOrg: "豫0225" },
        );
        throw new Error("the change that caused it failed");
      }),
    ).rejects.toThrow("the change that caused it failed");
    expect(await outboxOf(henan, "rolled-back")).toEqual([]);
  });

  it("refuses to send to a province no peer serves, with a typed error", async () => {
    await expect(
      henan.hub.db.sql.transaction((tx) =>
        henan.hub.peering!.send(tx, { divisionCode: "320102", type: NOTE, conversation: "nowhere", body: {} }, { actorOrg: "豫0225" }),
      ),
    ).rejects.toMatchObject({ code: "NO_ROUTE" });
  });

  it("loses and duplicates nothing when the link fails during an exchange, and keeps each conversation in order", async () => {
    // The link fails after Anhui has applied a message but before Henan hears back.
    toAnhui.swallowReplies();
    await sendNotes(henan, "340102", "task-2", ["t2-1", "t2-2", "t2-3"]);
    await sendNotes(henan, "340102", "task-3", ["t3-1", "t3-2"]);
    await eventually(
      () => notesOf(anhui, "task-2"),
      (rows) => rows.length === 1,
      WAIT_MS,
    );
    const waiting = await eventually(
      () => outboxOf(henan, "task-2"),
      (rows) => rows[0].attempts >= 2,
      WAIT_MS,
    );
    expect(waiting.map((row) => row.status)).toEqual(["PENDING", "PENDING", "PENDING"]);

    // Then the link is down altogether, while more of the conversation is recorded.
    toAnhui.cut();
    await sendNotes(henan, "340102", "task-2", ["t2-4", "t2-5"]);
    const before = toAnhui.broken;
    await eventually(
      async () => toAnhui.broken,
      (broken) => broken > before + 2,
      WAIT_MS,
    );
    expect((await outboxOf(henan, "task-2")).every((row) => row.status === "PENDING")).toBe(true);

    toAnhui.restore();
    await eventually(
      async () => [...(await outboxOf(henan, "task-2")), ...(await outboxOf(henan, "task-3"))],
      (rows) => rows.length === 7 && rows.every((row) => row.status === "DELIVERED"),
      WAIT_MS,
    );
    expect((await notesOf(anhui, "task-2")).map((row) => row.text)).toEqual(["t2-1", "t2-2", "t2-3", "t2-4", "t2-5"]);
    expect((await notesOf(anhui, "task-3")).map((row) => row.text)).toEqual(["t3-1", "t3-2"]);
    const [inbox] = await anhui.hub.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM peer_inbox WHERE conversation IN ('task-2', 'task-3')`,
    );
    expect(inbox.n).toBe(7);
  });

  it("refuses and logs a message whose signature does not verify", async () => {
    const forger = sm2PrivateKey(generateSm2KeyPair().privateKeyPem);
    const forged = henanMessage();
    const reply = await post(anhui, signEnvelope(forged, forger));
    expect(reply).toEqual({ status: 401, body: { error: { code: "BAD_SIGNATURE", message: expect.any(String) } } });

    // Henan's own signature, over a body changed on the way.
    const genuine = signEnvelope(henanMessage(), sm2PrivateKey(henanKeys.privateKeyPem));
    const tampered = { ...genuine, signed: { ...genuine.signed, body: { text: "changed" } } };
    expect((await post(anhui, tampered)).body.error.code).toBe("BAD_SIGNATURE");

    for (const id of [forged.id, genuine.signed.id]) {
      expect(await refusals(anhui, id)).toEqual([
        { actor_org: `hub:${HENAN}`, detail: expect.objectContaining({ code: "BAD_SIGNATURE" }) },
      ]);
    }
    expect(await anhui.hub.db.sql.query(`SELECT 1 FROM peer_inbox WHERE id = ANY($1::uuid[])`, [[forged.id, genuine.signed.id]])).toEqual(
      [],
    );
  });

  it("refuses and logs a message from a hub that is not a peer", async () => {
    const stranger = henanMessage({ from: "hub-elsewhere" });
    const reply = await post(anhui, signEnvelope(stranger, sm2PrivateKey(generateSm2KeyPair().privateKeyPem)));
    expect(reply).toEqual({ status: 401, body: { error: { code: "UNKNOWN_PEER", message: expect.any(String) } } });
    expect(await refusals(anhui, stranger.id)).toEqual([
      { actor_org: "hub:hub-elsewhere", detail: expect.objectContaining({ code: "UNKNOWN_PEER" }) },
    ]);
  });

  it("refuses and logs a replayed message whose time is outside the freshness window", async () => {
    const old = henanMessage({ sentAt: new Date(Date.now() - 10 * 60_000).toISOString() });
    const reply = await post(anhui, signEnvelope(old, sm2PrivateKey(henanKeys.privateKeyPem)));
    expect(reply).toEqual({ status: 401, body: { error: { code: "STALE_MESSAGE", message: expect.any(String) } } });
    expect(await refusals(anhui, old.id)).toHaveLength(1);
  });

  it("gives a message up when the peer may not send it or its handler rejects it, and the conversation goes on", async () => {
    const [unlisted] = await sendNotes(henan, "340102", "task-4", ["unlisted"], NOT_ALLOWED);
    const [rejected] = await sendNotes(henan, "340102", "task-4", [REFUSED_NOTE]);
    await sendNotes(henan, "340102", "task-4", ["after"]);
    const rows = await eventually(
      () => outboxOf(henan, "task-4"),
      (all) => all.length === 3 && all.every((row) => row.status !== "PENDING"),
      WAIT_MS,
    );
    expect(rows.map((row) => row.status)).toEqual(["FAILED", "FAILED", "DELIVERED"]);
    expect(rows[0].last_error).toContain("TYPE_NOT_ALLOWED");
    expect(rows[1].last_error).toContain("REJECTED");
    expect((await notesOf(anhui, "task-4")).map((row) => row.text)).toEqual(["after"]);
    expect((await refusals(anhui, unlisted))[0].detail.code).toBe("TYPE_NOT_ALLOWED");
    expect((await refusals(anhui, rejected))[0].detail.code).toBe("REJECTED");
    const failed = await henan.hub.db.sql.query(`SELECT 1 FROM audit_event WHERE action = 'PEER_MESSAGE_FAILED' AND subject_id = ANY($1)`, [
      [unlisted, rejected],
    ]);
    expect(failed).toHaveLength(2);
  });
});
