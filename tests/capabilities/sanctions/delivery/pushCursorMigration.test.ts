/**
 * Migration 0022 on a database left by the per-partner outbox: each push partner gets cursors at the end of
 * the log, its waiting outbox rows stay as held-back rows (their old leases dropped) and go out first, in
 * seq order, while its dead rows stay dead and keep their debtor's later changes back. The database is one
 * migration 0018 has sealed (the outbox keyed by lookup digests); each debtor's digest here is its letter.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { DeliveryStore } from "../../../../capabilities/sanctions/delivery/deliveryStore.js";
import type { SanctionPartner } from "../../../../capabilities/sanctions/partners/sanctionPartner.js";
import { applyMigrations } from "../../../../gateway/persistence/migrate.js";
import { openDatabase, type Database } from "../../../../gateway/persistence/database.js";
import { createTestDatabase, type TestDatabase } from "../../../support/testDatabase.js";

const RAILWAY: SanctionPartner = {
  code: "RAILWAY",
  name: "国铁集团",
  lists: ["DISHONEST_DEBTOR"],
  fields: ["name"],
  mode: "PUSH",
  endpoint: "https://railway.example.cn/lists",
  signing: "HMAC_SM3",
  secret: "railway-shared-secret-for-the-tests-0001",
  publicKey: null,
};
const OLD_BATCH = "00000000-0000-4000-8000-00000000000a";
const DEAD_BATCH = "00000000-0000-4000-8000-00000000000b";

let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase({ databaseUrl: testDb.url });
  // The database as the release before 0022 left it.
  await db.sql.query(`DROP TABLE sanction_push_cursor`);
  await db.sql.query(`DROP INDEX sanction_change_operation_seq_idx`);
  await db.sql.query(`DELETE FROM hub_schema_migration WHERE name = '0022_push_cursors'`);
  await db.sql.query(
    `INSERT INTO sanction_partner (code, name, lists, fields, mode, endpoint, signing, secret)
     VALUES ('RAILWAY', '国铁集团', '{DISHONEST_DEBTOR}', '{name}', 'PUSH', 'https://railway.example.cn/lists', 'HMAC_SM3', 'railway-secret'),
            ('CREDIT', '信用平台', '{DISHONEST_DEBTOR}', '{name}', 'PULL', NULL, 'SM2', NULL)`,
  );
  // Debtor A: change 1 acknowledged, 2 waiting (leased by an instance of the old release); B: 3 dead; C: 4 waiting.
  await db.sql.query(
    `INSERT INTO sanction_change (seq, entry_id, id_number, id_digest, debtor_seq, list, operation, record)
     SELECT g, gen_random_uuid(), d, d, n, 'DISHONEST_DEBTOR', 'LIST',
            jsonb_build_object('idNumber', d, 'status', 'LISTED', 'fields', '{}'::jsonb)
       FROM (VALUES (1, 'A', 1), (2, 'A', 2), (3, 'B', 1), (4, 'C', 1)) v(g, d, n)`,
  );
  await db.sql.query(
    `INSERT INTO sanction_delivery (partner_code, change_seq, id_digest, priority, status, lease_owner, lease_until, batch_id, attempts)
     VALUES ('RAILWAY', 2, 'A', 1, 'PENDING', 'old-instance', now() + interval '1 hour', $1::uuid, 0),
            ('RAILWAY', 3, 'B', 1, 'DEAD', NULL, NULL, $2::uuid, 5),
            ('RAILWAY', 4, 'C', 1, 'PENDING', NULL, NULL, NULL, 0)`,
    [OLD_BATCH, DEAD_BATCH],
  );
  expect(await applyMigrations(db)).toEqual(["0022_push_cursors"]);
}, 120_000);

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

it("starts each push partner's cursors at the end of the log and keeps its outbox rows, without their old leases", async () => {
  expect(await db.sql.query(`SELECT partner_code, seq::int, removal_seq::int, batch_seqs::text[] FROM sanction_push_cursor`)).toEqual([
    { partner_code: "RAILWAY", seq: 4, removal_seq: 4, batch_seqs: [] },
  ]);
  expect(
    await db.sql.query(
      `SELECT change_seq::int, status, lease_owner, batch_id::text AS batch_id FROM sanction_delivery ORDER BY change_seq`,
    ),
  ).toEqual([
    { change_seq: 2, status: "PENDING", lease_owner: null, batch_id: null },
    { change_seq: 3, status: "DEAD", lease_owner: null, batch_id: DEAD_BATCH },
    { change_seq: 4, status: "PENDING", lease_owner: null, batch_id: null },
  ]);
});

it("sends the waiting rows first, then the log after the cursor, holding back what follows a dead change", async () => {
  const store = new DeliveryStore(db.sql);
  await db.sql.query(
    `INSERT INTO sanction_change (seq, entry_id, id_number, id_digest, debtor_seq, list, operation, record)
     SELECT g, gen_random_uuid(), d, d, n, 'DISHONEST_DEBTOR', 'CORRECT',
            jsonb_build_object('idNumber', d, 'status', 'LISTED', 'fields', '{}'::jsonb)
       FROM (VALUES (5, 'A', 3), (6, 'B', 2)) v(g, d, n)`,
  );
  const first = "00000000-0000-4000-8000-000000000001";
  expect((await store.claim(RAILWAY, first, "me", 60_000, 100)).map((row) => row.seq)).toEqual(["2", "4"]);
  // One batch is out per partner: nothing more until it is acknowledged.
  expect(await store.claim(RAILWAY, "00000000-0000-4000-8000-000000000002", "other", 60_000, 100)).toEqual([]);
  await store.acknowledge(RAILWAY.code, first, "sent", "reply");

  const second = "00000000-0000-4000-8000-000000000003";
  expect((await store.claim(RAILWAY, second, "me", 60_000, 100)).map((row) => row.seq)).toEqual(["5"]);
  await store.acknowledge(RAILWAY.code, second, "sent", "reply");
  expect(await db.sql.query(`SELECT change_seq::int, status FROM sanction_delivery ORDER BY change_seq`)).toEqual([
    { change_seq: 3, status: "DEAD" },
    { change_seq: 6, status: "PENDING" },
  ]);
  expect(await store.claim(RAILWAY, "00000000-0000-4000-8000-000000000004", "me", 60_000, 100)).toEqual([]);
});
