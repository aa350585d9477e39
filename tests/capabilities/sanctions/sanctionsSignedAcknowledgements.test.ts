/**
 * Push batches count as delivered only on a signed acknowledgement from the partner itself
 * (gateway/delivery/batchAcknowledgement.ts): one forged or unsigned is refused, audited, the batch
 * sent again and at last dead-lettered; a supervisor's replay then goes through. An SM2 partner
 * registered before acknowledgements were signed (no public key) is sent nothing until registered
 * again with its key; its changes wait meanwhile and nothing is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPartner, type RunningPartner } from "../../../sandbox/partners/partnerAgency.js";
import { DEAD_LETTERS, PARTNERS, REPLAY, listNewDebtor, registerPartner } from "../../support/sanctions.js";
import { eventually, startTestHub, type TestHub } from "../../support/testHub.js";

let t: TestHub;
let railway: RunningPartner;
let aviation: RunningPartner;
let officer: string;
let supervisor: string;
const RAILWAY = { code: "RAILWAY", lists: ["DISHONEST_DEBTOR" as const], fields: ["name" as const, "expiresOn" as const] };

beforeAll(async () => {
  t = await startTestHub({ sanctionDelivery: { sweepIntervalMs: 50, maxBackoffMs: 200, requestTimeoutMs: 1_000, maxAttempts: 2 } });
  officer = await t.token("豫0225", ["CASE_OFFICER"]);
  supervisor = await t.token("豫", ["SUPERVISOR"]);
  railway = await startPartner("RAILWAY", { publicKeyPem: t.sanctionKey.publicKeyPem });
  aviation = await startPartner("CIVIL_AVIATION", { secret: "aviation-shared-secret-for-the-tests-01" });
  await registerPartner(t, { ...RAILWAY, endpoint: railway.endpoint, publicKey: railway.receiver.key.publicKeyPem });
  await registerPartner(t, {
    code: "CIVIL_AVIATION",
    lists: ["DISHONEST_DEBTOR"],
    fields: ["name"],
    endpoint: aviation.endpoint,
    signing: "HMAC_SM3",
    secret: "aviation-shared-secret-for-the-tests-01",
  });
}, 60_000);

afterAll(async () => {
  await t?.close();
  await railway?.close();
  await aviation?.close();
});

const lagOf = async (code: string) =>
  (await t.gql(PARTNERS, {}, supervisor)).data.sanctionPartners.find((p: any) => p.partner.code === code);
const refusals = (partner: string) =>
  t.hub.db.sql.query<{ subject_id: string; sent_digest: string; reply_digest: string; detail: { refusal: string } }>(
    `SELECT subject_id, sent_digest, reply_digest, detail FROM audit_event WHERE action = 'SANCTION_BATCH_ACK_REFUSED' AND
      detail->>'partner' = $1 ORDER BY id`,
    [partner],
  );

describe("signed acknowledgements", () => {
  it("a real partner's signed acknowledgements are accepted (SM2 with its own key, HMAC-SM3 with the secret)", async () => {
    const debtor = (await listNewDebtor(t, officer)).debtor;
    await eventually(
      async () => [railway.receiver.entriesOf(debtor).length, aviation.receiver.entriesOf(debtor).length],
      ([r, a]) => r === 1 && a === 1,
    );
    await eventually(
      () => lagOf("RAILWAY"),
      (lag) => lag.backlog === 0,
    );
    await eventually(
      () => lagOf("CIVIL_AVIATION"),
      (lag) => lag.backlog === 0,
    );
    expect(await refusals("RAILWAY")).toEqual([]);
    expect(await refusals("CIVIL_AVIATION")).toEqual([]);
  });

  it(
    "an acknowledgement signed with another key is refused and " + "audited; the batch is sent again, dead-lettered, and replayed",
    async () => {
      railway.receiver.acknowledgements = "FORGED";
      const batchesBefore = railway.receiver.batches;
      (await listNewDebtor(t, officer)).debtor;
      const dead = await eventually(
        () => t.gql(DEAD_LETTERS, { partner: "RAILWAY" }, supervisor),
        (r) => r.data?.sanctionDeadLetters.length > 0,
      );
      const letter = dead.data.sanctionDeadLetters[0];
      expect(letter).toMatchObject({ partner: "RAILWAY", changes: 1, attempts: 2 });
      expect(letter.lastError).toContain("SM2 signature does not verify");
      // The partner received it twice (sent again after the first refusal), and the hub still counts it as not delivered.
      expect(railway.receiver.batches - batchesBefore).toBe(2);
      expect(await lagOf("RAILWAY")).toMatchObject({ backlog: 1, dead: 1 });
      const audited = await refusals("RAILWAY");
      expect(audited).toHaveLength(2);
      // Each attempt is a batch of its own (a new id); the last is the one dead-lettered.
      expect(audited.at(-1)!.subject_id).toBe(letter.batchId);
      expect(audited.every((row) => /^[0-9a-f]{64}$/.test(row.sent_digest) && /^[0-9a-f]{64}$/.test(row.reply_digest))).toBe(true);
      expect(audited[0].detail.refusal).toContain("does not verify");

      railway.receiver.acknowledgements = "SIGNED";
      expect((await t.gql(REPLAY, { batchId: letter.batchId }, supervisor)).data.replaySanctionBatch).toBe(1);
      await eventually(
        () => lagOf("RAILWAY"),
        (lag) => lag.backlog === 0,
      );
    },
  );

  it("an unsigned acknowledgement from an HMAC-SM3 partner is refused the same way", async () => {
    aviation.receiver.acknowledgements = "UNSIGNED";
    (await listNewDebtor(t, officer)).debtor;
    const dead = await eventually(
      () => t.gql(DEAD_LETTERS, { partner: "CIVIL_AVIATION" }, supervisor),
      (r) => r.data?.sanctionDeadLetters.length > 0,
    );
    expect(dead.data.sanctionDeadLetters[0].lastError).toContain("not signed");
    expect((await refusals("CIVIL_AVIATION")).map((row) => row.detail.refusal)).toEqual([
      "the acknowledgement is not signed",
      "the acknowledgement is not signed",
    ]);
    aviation.receiver.acknowledgements = "SIGNED";
    await t.gql(REPLAY, { batchId: dead.data.sanctionDeadLetters[0].batchId }, supervisor);
    await eventually(
      () => lagOf("CIVIL_AVIATION"),
      (lag) => lag.backlog === 0,
    );
  });
});

describe("an SM2 partner registered without a public key (before acknowledgements were signed)", () => {
  it("is sent nothing while its changes wait; registered again with its key, it receives them all", async () => {
    // What the migration leaves of a partner registered before: no key to check its acknowledgements with.
    await t.hub.db.sql.query(`UPDATE sanction_partner SET public_key = NULL WHERE code = 'RAILWAY'`);
    const batchesBefore = railway.receiver.batches;
    const debtors = [(await listNewDebtor(t, officer)).debtor, (await listNewDebtor(t, officer)).debtor];
    // The HMAC partner, which can sign, gets them meanwhile: the sweep runs, and passes RAILWAY by.
    await eventually(
      async () => debtors.every((d) => aviation.receiver.entriesOf(d).length === 1),
      (done) => done,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(railway.receiver.batches).toBe(batchesBefore);
    const waiting = await lagOf("RAILWAY");
    expect(waiting).toMatchObject({ backlog: 2, dead: 0, partner: { publicKey: null, active: true } });

    await registerPartner(t, { ...RAILWAY, endpoint: railway.endpoint, publicKey: railway.receiver.key.publicKeyPem });
    await eventually(
      async () => debtors.every((d) => railway.receiver.entriesOf(d).length === 1),
      (done) => done,
    );
    await eventually(
      () => lagOf("RAILWAY"),
      (lag) => lag.backlog === 0,
    );
    expect(railway.receiver.violations).toEqual([]);
  });
});

describe("registering a partner's keys and secrets", () => {
  const REGISTER = `mutation Partner($input: SanctionPartnerInput!) {
    registerSanctionPartner(input: $input) { partner { code signerId } } }`;
  const register = async (input: Record<string, unknown>) =>
    t.gql(
      REGISTER,
      {
        input: {
          code: "CUSTOMS",
          name: "海关",
          lists: ["DISHONEST_DEBTOR"],
          fields: ["name"],
          mode: "PUSH",
          endpoint: aviation.endpoint,
          ...input,
        },
      },
      await t.token("HUB", ["HUB_ADMIN"]),
    );

  it("refuses a weak shared secret, naming the rule, and registers nothing", async () => {
    const weak: [string, RegExp][] = [
      ["short-secret", /at least 32 bytes/],
      ["a".repeat(40), /at least 8 different characters/],
      ["abcdefgh".repeat(5), /one short pattern repeated/],
    ];
    for (const [secret, rule] of weak) {
      const result = await register({ signing: "HMAC_SM3", secret });
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "secret",
        reason: expect.stringMatching(rule),
      });
    }
    const [{ n }] = await t.hub.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM sanction_partner WHERE code = 'CUSTOMS'`);
    expect(n).toBe(0);
  });

  it("keeps the SM2 signer ID agreed with a partner, and refuses one for an HMAC partner", async () => {
    const agreed = await register({ signing: "SM2", publicKey: railway.receiver.key.publicKeyPem, signerId: "CUSTOMS-CN" });
    expect(agreed.errors).toBeUndefined();
    expect(agreed.data.registerSanctionPartner.partner).toEqual({ code: "CUSTOMS", signerId: "CUSTOMS-CN" });
    const hmac = await register({ signing: "HMAC_SM3", secret: "aviation-shared-secret-for-the-tests-01", signerId: "CUSTOMS-CN" });
    expect(hmac.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "signerId" });
  });
});
