/**
 * Retention of finished exchanges between two hubs (gateway/peering/exchangeRetention.ts), with the
 * hubs' clock moved instead of waiting: what is delivered or applied goes once past the retention
 * (180 days by default), what is not finished stays, a resend of a pruned message is still refused
 * rather than applied twice, and two pruners on one database delete each row once, in small batches.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../gateway/logger.js";
import { ExchangeRetention } from "../../../capabilities/peering/exchangeRetention.js";
import { signEnvelope } from "../../../capabilities/peering/peerEnvelope.js";
import { generateSm2KeyPair } from "../../../gateway/signing/sm2Keys.js";
import { sm2PrivateKey } from "../../../gateway/signing/sm2.js";
import { NOTE, REFUSED_NOTE, noteMessage, notesOf, outboxOf, sendNotes, startPeerHub } from "../../support/peerHubs.js";
import { eventually, type TestHub } from "../../support/testHub.js";

const HENAN = "hub-henan";
const ANHUI = "hub-anhui";
const DAY_MS = 24 * 60 * 60_000;
const WAIT_MS = 60_000;
const henanKeys = generateSm2KeyPair();
const anhuiKeys = generateSm2KeyPair();

let daysAhead = 0;
const clock = () => new Date(Date.now() + daysAhead * DAY_MS);
let henan: TestHub;
let anhui: TestHub;

beforeAll(async () => {
  anhui = await startPeerHub(
    ANHUI,
    anhuiKeys,
    { hubId: HENAN, baseUrl: "http://127.0.0.1:9", publicKeyPem: henanKeys.publicKeyPem, provinces: ["41"], accepts: [NOTE] },
    { clock },
  );
  henan = await startPeerHub(
    HENAN,
    henanKeys,
    { hubId: ANHUI, baseUrl: anhui.hub.url, publicKeyPem: anhuiKeys.publicKeyPem, provinces: ["34"], accepts: [NOTE] },
    { clock },
  );
}, 180_000);

afterAll(async () => {
  await Promise.all([henan?.close(), anhui?.close()]);
});

const inboxOf = (hub: TestHub, conversation: string) =>
  hub.hub.db.sql.query<{ id: string }>(`SELECT id::text AS id FROM peer_inbox WHERE conversation = $1`, [conversation]);

const prunedAudit = (hub: TestHub, action: string) =>
  hub.hub.db.sql.query<{ detail: { rows: number; retentionDays: number } }>(
    `SELECT detail FROM audit_event WHERE action = $1 ORDER BY seq`,
    [action],
  );

const allDelivered = (hub: TestHub, conversation: string, count: number) =>
  eventually(
    () => outboxOf(hub, conversation),
    (rows) => rows.length === count && rows.every((row) => row.status === "DELIVERED"),
    WAIT_MS,
  );

describe("retention of exchanges between hubs", { timeout: 180_000 }, () => {
  it("prunes delivered and applied messages once past the retention at the hub's clock, and keeps what is not finished", async () => {
    const texts = ["received", "accepted", "working", "completed", "closed"];
    await sendNotes(henan, "340102", "task-old", texts);
    await allDelivered(henan, "task-old", 5);
    await sendNotes(henan, "340102", "task-refused", [REFUSED_NOTE]);
    await eventually(
      () => outboxOf(henan, "task-refused"),
      (rows) => rows[0]?.status === "FAILED",
      WAIT_MS,
    );
    // A message that has not gone yet: delivery held while it is recorded.
    await henan.hub.peering!.stop();
    await sendNotes(henan, "340102", "task-pending", ["waiting"]);

    daysAhead = 179;
    expect(await henan.hub.exchangeRetention.runOnce()).toEqual({ outbox: 0, inbox: 0, replies: 0 });
    expect(await anhui.hub.exchangeRetention.runOnce()).toEqual({ outbox: 0, inbox: 0, replies: 0 });

    daysAhead = 181;
    expect(await henan.hub.exchangeRetention.runOnce()).toEqual({ outbox: 5, inbox: 0, replies: 0 });
    expect(await anhui.hub.exchangeRetention.runOnce()).toEqual({ outbox: 0, inbox: 5, replies: 0 });
    expect(await outboxOf(henan, "task-old")).toEqual([]);
    expect(await inboxOf(anhui, "task-old")).toEqual([]);
    expect((await outboxOf(henan, "task-refused")).map((row) => row.status)).toEqual(["FAILED"]);
    expect((await outboxOf(henan, "task-pending")).map((row) => row.status)).toEqual(["PENDING"]);
    // What the messages did stays; so does the audit trail, which says what went and under which policy.
    expect((await notesOf(anhui, "task-old")).map((note) => note.text)).toEqual(texts);
    expect(await prunedAudit(henan, "PEER_OUTBOX_PRUNED")).toEqual([{ detail: expect.objectContaining({ rows: 5, retentionDays: 180 }) }]);
    expect(await prunedAudit(anhui, "PEER_INBOX_PRUNED")).toEqual([{ detail: expect.objectContaining({ rows: 5, retentionDays: 180 }) }]);

    henan.hub.peering!.start();
    henan.hub.peering!.deliverNow();
    await allDelivered(henan, "task-pending", 1);
  });

  it("refuses a resend of a message applied and pruned since, instead of applying it again", async () => {
    const [first] = (await notesOf(anhui, "task-old")).filter((note) => note.sequence === 1);
    const resend = noteMessage(HENAN, ANHUI, { id: first.message_id, conversation: "task-old", sequence: 1, body: { text: first.text } });
    const response = await fetch(`${anhui.hub.url}/peer-messages`, {
      method: "POST",
      body: JSON.stringify(signEnvelope(resend, sm2PrivateKey(henanKeys.privateKeyPem))),
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: "OUT_OF_ORDER" } });
    expect(await notesOf(anhui, "task-old")).toHaveLength(5);
    expect(await inboxOf(anhui, "task-old")).toEqual([]);
  });

  it("lets two pruners on one database delete each row once, in batches of the size given", async () => {
    await sendNotes(henan, "340102", "task-many", ["1", "2", "3", "4", "5", "6", "7"]);
    await allDelivered(henan, "task-many", 7);
    const auditedBefore = (await prunedAudit(henan, "PEER_OUTBOX_PRUNED")).length;
    const log = createLogger("silent");
    const pruners = [0, 1].map(
      () =>
        new ExchangeRetention(
          { sql: henan.hub.db.sql, clock, log },
          { retentionDays: 180, replyRetentionDays: 365, batchSize: 2, intervalMs: 60_000 },
        ),
    );
    const results = await Promise.all(pruners.map((pruner) => pruner.runOnce()));
    // task-pending's message, delivered in the first test, is past the retention too.
    expect(results.reduce((sum, result) => sum + result.outbox, 0)).toBe(8);
    expect(await outboxOf(henan, "task-many")).toEqual([]);
    const batches = (await prunedAudit(henan, "PEER_OUTBOX_PRUNED")).slice(auditedBefore).map((row) => row.detail.rows);
    expect(batches.reduce((sum, rows) => sum + rows, 0)).toBe(8);
    expect(Math.max(...batches)).toBeLessThanOrEqual(2);
  });
});
