/**
 * Peer hubs as witnesses of each other's audit heads (capabilities/peering/auditHeadWitness.ts): Henan hands its
 * signed head to Anhui, which checks the SM2 signature with Henan's key from its peers file, keeps the head in its
 * own database and answers for it at GET /audit-heads/hub-henan; what Anhui holds then shows a tail deleted from
 * Henan's database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAudit } from "../../../gateway/audit/auditEvent.js";
import { parseSignedHead, signAuditHead, verifyAuditHead } from "../../../gateway/audit/auditHead.js";
import { verifyAgainstWitnesses } from "../../../gateway/audit/auditVerification.js";
import { sm2PrivateKey, sm2PublicKey } from "../../../gateway/signing/sm2.js";
import { generateSm2KeyPair } from "../../../gateway/signing/sm2Keys.js";
import { asSuperuser } from "../../support/auditTampering.js";
import { NOTE, startPeerHub } from "../../support/peerHubs.js";
import type { TestHub } from "../../support/testHub.js";

const HENAN = "hub-henan";
const ANHUI = "hub-anhui";
const henanKeys = generateSm2KeyPair();
const anhuiKeys = generateSm2KeyPair();
const henanPublicKey = sm2PublicKey(henanKeys.publicKeyPem);

let henan: TestHub;
let anhui: TestHub;

beforeAll(async () => {
  anhui = await startPeerHub(ANHUI, anhuiKeys, {
    hubId: HENAN,
    baseUrl: "http://127.0.0.1:1",
    publicKeyPem: henanKeys.publicKeyPem,
    provinces: ["41"],
    accepts: [NOTE],
  });
  henan = await startPeerHub(HENAN, henanKeys, {
    hubId: ANHUI,
    baseUrl: anhui.hub.url,
    publicKeyPem: anhuiKeys.publicKeyPem,
    provinces: ["34"],
    accepts: [NOTE],
  });
}, 180_000);

afterAll(async () => {
  await Promise.all([henan?.close(), anhui?.close()]);
});

const heldByAnhui = async () => {
  const response = await fetch(`${anhui.hub.url}/audit-heads/${HENAN}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { heads: unknown[] }).heads.map((head) => parseSignedHead(head)!);
};
const post = async (body: unknown) => {
  const response = await fetch(`${anhui.hub.url}/audit-heads`, { method: "POST", body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
};

async function henanRecords(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await appendAudit(henan.hub.db.sql, { actorOrg: "豫0225", action: "INQUIRY_REQUESTED", detail: { i } });
  await henan.hub.sealAudit();
}

describe("a peer hub as witness of the audit head", () => {
  it("receives the signed head, verifies it with the sender's key, keeps it and answers for it", async () => {
    await henanRecords(3);
    const witnessed = (await henan.hub.witnessAudit()) as { seq: number; hash: string };
    const [head] = await henan.hub.db.sql.query<{ seq: number; hash: string }>(`SELECT seq::int AS seq, hash FROM audit_chain_head`);
    expect(witnessed).toMatchObject(head);
    const held = await heldByAnhui();
    expect(held[0]).toMatchObject({ hubId: HENAN, seq: head.seq, hash: head.hash });
    // What Anhui answers verifies with Henan's key alone: anyone may check it.
    expect(verifyAuditHead(held[0], henanPublicKey)).toBe(true);
    const [stored] = await anhui.hub.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_head_witness WHERE hub_id = $1`, [
      HENAN,
    ]);
    expect(stored.n).toBeGreaterThanOrEqual(1);
  });

  it("refuses a head not signed with the peer's key, of an unknown hub, or a second head for a seq it holds", async () => {
    const forged = signAuditHead(
      { hubId: HENAN, seq: 999, hash: "f".repeat(64), at: new Date().toISOString() },
      sm2PrivateKey(anhuiKeys.privateKeyPem),
    );
    expect(await post(forged)).toMatchObject({ status: 403, body: { error: { code: "BAD_SIGNATURE" } } });
    const stranger = signAuditHead(
      { hubId: "hub-nowhere", seq: 1, hash: "f".repeat(64), at: new Date().toISOString() },
      sm2PrivateKey(henanKeys.privateKeyPem),
    );
    expect(await post(stranger)).toMatchObject({ status: 403, body: { error: { code: "UNKNOWN_PEER" } } });
    expect(await post({ seq: "x" })).toMatchObject({ status: 400, body: { error: { code: "MALFORMED" } } });

    const [first] = await heldByAnhui();
    const rewritten = signAuditHead(
      { hubId: HENAN, seq: first.seq, hash: "e".repeat(64), at: new Date().toISOString() },
      sm2PrivateKey(henanKeys.privateKeyPem),
    );
    expect(await post(rewritten)).toMatchObject({ status: 409, body: { error: { code: "FORKED_HEAD" } } });
    expect((await heldByAnhui()).find((head) => head.seq === first.seq)?.hash).toBe(first.hash);
    // Nothing of the refused heads was kept.
    expect((await heldByAnhui()).some((head) => head.seq === 999)).toBe(false);
    // The witness's rows are as fixed as the audit trail's.
    await expect(anhui.hub.db.sql.query(`DELETE FROM audit_head_witness`)).rejects.toThrow(/DELETE on audit_head_witness is refused/);
  });

  it("what the peer holds shows rows deleted from the tail of the sender's database", async () => {
    await henanRecords(2);
    const witnessed = (await henan.hub.witnessAudit()) as { seq: number };
    await asSuperuser(henan.hub.db.sql, async () => {
      await henan.hub.db.sql.query(`DELETE FROM audit_event WHERE seq > $1`, [witnessed.seq - 2]);
      await henan.hub.db.sql.query(
        `UPDATE audit_chain_head SET seq = $1, hash = (SELECT hash FROM audit_event WHERE seq = $1) WHERE id = 1`,
        [witnessed.seq - 2],
      );
    });
    const heads = (await heldByAnhui()).map((head) => ({ source: `peer ${anhui.hub.url}`, head }));
    const result = await verifyAgainstWitnesses(henan.hub.db.sql, { publicKey: henanPublicKey, hubId: HENAN, heads });
    expect(result.chain.ok).toBe(true);
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: "TAIL_DELETED",
        seq: witnessed.seq - 1,
        message: expect.stringContaining(`rows ${witnessed.seq - 1}…${witnessed.seq} were deleted`),
      }),
    ]);
  });
});
