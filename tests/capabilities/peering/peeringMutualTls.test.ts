/**
 * Mutual TLS between two hubs, each with its own database, with certificates
 * made by the openssl command line (tests/support/peerCertificates.ts): the hubs
 * exchange messages on their HTTPS peer ports through TCP proxies; a client
 * without a certificate the hubs' CA signed is turned away by TLS; a hub's
 * certificate carrying another hub's message is refused CERTIFICATE_MISMATCH;
 * the main port no longer takes peer messages; and a sender will not hand a
 * message to a server that is not the peer, losing nothing meanwhile.
 */
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signEnvelope, type PeerMessage } from "../../../capabilities/peering/peerEnvelope.js";
import { appendAudit } from "../../../gateway/audit/auditEvent.js";
import { generateSm2KeyPair } from "../../../gateway/signing/sm2Keys.js";
import { sm2PrivateKey } from "../../../gateway/signing/sm2.js";
import { makePeerCertificates, type HubCertificate, type PeerCertificates } from "../../support/peerCertificates.js";
import { NOTE, noteMessage, notesOf, outboxOf, sendNotes, startPeerHub } from "../../support/peerHubs.js";
import { startTcpProxy, type TcpProxy } from "../../support/tcpProxy.js";
import { eventually, type TestHub } from "../../support/testHub.js";

const HENAN = "hub-henan";
const ANHUI = "hub-anhui";
const HUBEI = "hub-hubei";
const henanKeys = generateSm2KeyPair();
const anhuiKeys = generateSm2KeyPair();
const WAIT_MS = 60_000;

let certificates: PeerCertificates;
/** Another CA's certificate with Henan's name: right CN, wrong issuer. */
let strangers: PeerCertificates;
let henan: TestHub;
let anhui: TestHub;
let toAnhui: TcpProxy;
let toHenan: TcpProxy;
/** Anhui's log lines, parsed. */
const anhuiLog: Record<string, any>[] = [];

const viaTls = (proxy: TcpProxy) => proxy.url.replace(/^http:/, "https:");
const portOf = (url: string) => Number(new URL(url).port);

beforeAll(async () => {
  certificates = makePeerCertificates([HENAN, ANHUI, HUBEI]);
  strangers = makePeerCertificates([HENAN]);
  [toAnhui, toHenan] = await Promise.all([startTcpProxy(), startTcpProxy()]);
  // Henan holds Anhui to the default pin (CN = hubId); Anhui pins Henan's certificate by its SHA-256 fingerprint.
  henan = await startPeerHub(
    HENAN,
    henanKeys,
    { hubId: ANHUI, baseUrl: viaTls(toAnhui), publicKeyPem: anhuiKeys.publicKeyPem, provinces: ["34"], accepts: [NOTE] },
    { tls: certificates.tlsFor(HENAN) },
  );
  const log = pino(
    { level: "info" },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split("\n")) if (line) anhuiLog.push(JSON.parse(line));
        done();
      },
    }),
  );
  anhui = await startPeerHub(
    ANHUI,
    anhuiKeys,
    {
      hubId: HENAN,
      baseUrl: viaTls(toHenan),
      publicKeyPem: henanKeys.publicKeyPem,
      provinces: ["41"],
      accepts: [NOTE],
      certificate: { sha256: certificates.hub(HENAN).sha256 },
    },
    { tls: certificates.tlsFor(ANHUI), log },
  );
  toAnhui.target = { host: "127.0.0.1", port: portOf(anhui.hub.peerUrl!) };
  toHenan.target = { host: "127.0.0.1", port: portOf(henan.hub.peerUrl!) };
}, 180_000);

afterAll(async () => {
  await Promise.all([henan?.close(), anhui?.close()]);
  await Promise.all([toAnhui?.close(), toHenan?.close()]);
  certificates?.remove();
  strangers?.remove();
});

/** A client of Anhui's peer port trusting the hubs' CA, presenting `certificate` (or none). */
function clientWith(certificate?: HubCertificate): Agent {
  return new Agent({ connect: { ca: certificates.caPem, ...(certificate && { cert: certificate.certPem, key: certificate.keyPem }) } });
}

async function post(url: string, message: PeerMessage, dispatcher?: Agent): Promise<{ status: number; body: string }> {
  const response = await fetch(`${url}/peer-messages`, {
    // @ts-expect-error undici's dispatcher option is not in the DOM fetch types
    dispatcher,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(signEnvelope(message, sm2PrivateKey(henanKeys.privateKeyPem))),
  });
  return { status: response.status, body: await response.text() };
}

const refusals = (hub: TestHub, messageId: string) =>
  hub.hub.db.sql.query<{ actor_org: string; detail: Record<string, any> }>(
    `SELECT actor_org, detail FROM audit_event WHERE action = 'PEER_MESSAGE_REFUSED' AND subject_id = $1`,
    [messageId],
  );

describe("mutual TLS between hubs", { timeout: 180_000 }, () => {
  it("carries a conversation both ways on the peer ports, each hub presenting its own certificate", async () => {
    const ids = await sendNotes(henan, "340102", "tls-1", ["received", "accepted"]);
    await eventually(
      () => outboxOf(henan, "tls-1"),
      (rows) => rows.length === 2 && rows.every((row) => row.status === "DELIVERED"),
      WAIT_MS,
    );
    expect(await notesOf(anhui, "tls-1")).toEqual(
      ids.map((id, i) => ({ message_id: id, from_hub: HENAN, sequence: i + 1, text: ["received", "accepted"][i] })),
    );

    const [reply] = await sendNotes(anhui, "410225", "tls-1", ["result"]);
    await eventually(
      () => notesOf(henan, "tls-1"),
      (rows) => rows.length === 1,
      WAIT_MS,
    );
    expect((await notesOf(henan, "tls-1"))[0]).toMatchObject({ message_id: reply, from_hub: ANHUI, text: "result" });
  });

  it("hands the signed audit head to the peer over its peer port, and only there", async () => {
    await appendAudit(henan.hub.db.sql, { actorOrg: "豫0225", action: "INQUIRY_REQUESTED", detail: { over: "tls" } });
    await henan.hub.sealAudit();
    const head = (await henan.hub.witnessAudit()) as { seq: number; hash: string };
    const response = await fetch(`${anhui.hub.url}/audit-heads/${HENAN}`);
    const { heads } = (await response.json()) as { heads: { seq: number; hash: string }[] };
    expect(heads[0]).toMatchObject({ seq: head.seq, hash: head.hash });
    // Around TLS, on the main port, no head is taken.
    const around = await fetch(`${anhui.hub.url}/audit-heads`, { method: "POST", body: JSON.stringify(head) });
    expect(around.status).toBe(404);
  });

  it("turns away, at the TLS layer, a client with no certificate or one the hubs' CA did not sign", async () => {
    const refusedBefore = anhuiLog.filter((line) => line.msg === "peer connection refused by TLS").length;
    for (const client of [clientWith(), clientWith(strangers.hub(HENAN))]) {
      const message = noteMessage(HENAN, ANHUI);
      await expect(post(anhui.hub.peerUrl!, message, client)).rejects.toThrow("fetch failed");
      await client.close();
      // The message was never read: no refusal on record, no note.
      expect(await refusals(anhui, message.id)).toEqual([]);
      expect(await notesOf(anhui, message.conversation)).toEqual([]);
    }
    await eventually(
      async () => anhuiLog.filter((line) => line.msg === "peer connection refused by TLS").length,
      (count) => count >= refusedBefore + 2,
      WAIT_MS,
    );
  });

  it("refuses, as CERTIFICATE_MISMATCH, a message in Henan's name on a connection with Hubei's certificate, and logs it", async () => {
    const message = noteMessage(HENAN, ANHUI);
    const hubei = clientWith(certificates.hub(HUBEI));
    const refused = await post(anhui.hub.peerUrl!, message, hubei);
    await hubei.close();
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: "CERTIFICATE_MISMATCH" } });
    expect(await notesOf(anhui, message.conversation)).toEqual([]);

    const [audited] = await refusals(anhui, message.id);
    expect(audited.actor_org).toBe(`hub:${HENAN}`);
    expect(audited.detail).toMatchObject({ code: "CERTIFICATE_MISMATCH", certificate: { commonName: HUBEI } });
    expect(anhuiLog).toContainEqual(
      expect.objectContaining({
        msg: "peer message refused",
        code: "CERTIFICATE_MISMATCH",
        messageId: message.id,
        certificate: expect.objectContaining({ commonName: HUBEI }),
      }),
    );

    // The same message on Henan's own certificate (pinned by fingerprint) is taken.
    const henanClient = clientWith(certificates.hub(HENAN));
    const taken = await post(anhui.hub.peerUrl!, message, henanClient);
    await henanClient.close();
    expect(taken.status).toBe(200);
    expect(await notesOf(anhui, message.conversation)).toHaveLength(1);
  });

  it("answers 404 on the main port's peer path, so no message goes around TLS", async () => {
    const message = noteMessage(HENAN, ANHUI);
    expect((await post(anhui.hub.url, message)).status).toBe(404);
    expect(await notesOf(anhui, message.conversation)).toEqual([]);
  });

  it("does not hand a message to a server that is not the peer, and delivers it once the link reaches the peer again", async () => {
    // An impostor on the link with a certificate the CA did sign, for 127.0.0.1, but Hubei's.
    let reached = 0;
    const hubei = certificates.hub(HUBEI);
    const impostor: Server = createServer(
      { cert: hubei.certPem, key: hubei.keyPem, ca: certificates.caPem, requestCert: true },
      (_request, response) => {
        reached++;
        response.writeHead(500).end();
      },
    );
    await new Promise<void>((resolve) => impostor.listen(0, "127.0.0.1", resolve));
    toAnhui.target = { host: "127.0.0.1", port: (impostor.address() as AddressInfo).port };
    toAnhui.cut(); // drops the connection kept alive to Anhui
    toAnhui.restore();
    try {
      await sendNotes(henan, "340102", "tls-impostor", ["sealed"]);
      // A first attempt may still go out on a connection that was kept alive and just broken.
      const [waiting] = await eventually(
        () => outboxOf(henan, "tls-impostor"),
        (rows) => rows.length === 1 && (rows[0].last_error ?? "").includes(`certificate (CN ${HUBEI}`),
        WAIT_MS,
      );
      expect(waiting.status).toBe("PENDING");
      expect(waiting.last_error).toContain(`is not the one of ${ANHUI}`);
      expect(reached).toBe(0);
    } finally {
      toAnhui.target = { host: "127.0.0.1", port: portOf(anhui.hub.peerUrl!) };
      impostor.closeAllConnections();
      await new Promise<void>((resolve) => impostor.close(() => resolve()));
    }
    await eventually(
      () => outboxOf(henan, "tls-impostor"),
      (rows) => rows[0].status === "DELIVERED",
      WAIT_MS,
    );
    expect(await notesOf(anhui, "tls-impostor")).toMatchObject([{ text: "sealed" }]);
  });
});
