/**
 * The push cursors of one partner, batch by batch: a removal made while the partner's snapshot is still
 * under way overtakes the snapshot together with its debtor's snapshot entry, so the debtor's order holds;
 * the snapshot later repeats that entry (a repeat the partner drops by debtorSeq), and the main cursor
 * skips the removal it already carried. The rows are written in SQL, plain: each debtor's lookup digest is
 * its letter, which is all the store orders and matches by.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { DeliveryStore } from "../../../../capabilities/sanctions/delivery/deliveryStore.js";
import type { SanctionPartner } from "../../../../capabilities/sanctions/partners/sanctionPartner.js";
import { openDatabase, type Database } from "../../../../gateway/persistence/database.js";
import { createTestDatabase, type TestDatabase } from "../../../support/testDatabase.js";

const AVIATION: SanctionPartner = {
  code: "CIVIL_AVIATION",
  name: "民航局",
  lists: ["DISHONEST_DEBTOR"],
  fields: ["name"],
  mode: "PUSH",
  endpoint: "https://aviation.example.cn/lists",
  signing: "HMAC_SM3",
  secret: "aviation-shared-secret-for-the-tests-01",
  publicKey: null,
};

let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase({ databaseUrl: testDb.url });
  // Debtors A, B and C listed (changes 1, 2, 3) before the partner is registered.
  await db.sql.query(
    `WITH entries AS (
       INSERT INTO sanction_entry (id, list, case_id, debtor_id, id_number, id_digest, court_code, status, decision_number, starts_on,
                                   published, created_by)
       SELECT gen_random_uuid(), 'DISHONEST_DEBTOR', gen_random_uuid(), gen_random_uuid(), d, d, '豫0225', 'LISTED', '决定' || d,
              '2026-01-01', '{}'::jsonb, 'test'
         FROM unnest(ARRAY['A', 'B', 'C']) d
       RETURNING id, id_number)
     INSERT INTO sanction_change (seq, entry_id, id_number, id_digest, debtor_seq, list, operation, record)
     SELECT ascii(id_number) - 64, id, id_number, id_number, 1, 'DISHONEST_DEBTOR', 'LIST',
            jsonb_build_object('entryId', id, 'idNumber', id_number, 'status', 'LISTED', 'fields', '{}'::jsonb)
       FROM entries`,
  );
}, 120_000);

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

async function deliver(store: DeliveryStore, batch: number, limit: number): Promise<string[]> {
  const batchId = `00000000-0000-4000-8000-${String(batch).padStart(12, "0")}`;
  const rows = await store.claim(AVIATION, batchId, "me", 60_000, limit);
  if (rows.length > 0) await store.acknowledge(AVIATION.code, batchId, "sent", "reply");
  return rows.map((row) => `${row.record.idNumber}${row.debtor_seq}`);
}

it("sends a removal made during the snapshot ahead of it, with its debtor's snapshot entry, and never twice from the log", async () => {
  const store = new DeliveryStore(db.sql);
  await db.sql.transaction((tx) => DeliveryStore.open(tx, AVIATION.code, true));
  // C's entry is removed after the snapshot's cut (change 4).
  await db.sql.query(
    `INSERT INTO sanction_change (seq, entry_id, id_number, id_digest, debtor_seq, list, operation, record)
     SELECT 4, entry_id, 'C', 'C', 2, 'DISHONEST_DEBTOR', 'REMOVE', jsonb_set(record, '{status}', '"REMOVED"')
       FROM sanction_change WHERE seq = 3`,
  );

  expect(await deliver(store, 1, 2)).toEqual(["C1", "C2"]);
  expect(await deliver(store, 2, 2)).toEqual(["A1", "B1"]);
  // The snapshot's last page repeats C's listing: the partner, holding C2, drops it by its debtorSeq.
  expect(await deliver(store, 3, 2)).toEqual(["C1"]);
  expect(await deliver(store, 4, 2)).toEqual([]);

  const [cursor] = await db.sql.query<{ seq: string; removal_seq: string; snapshot_cut: string | null }>(
    `SELECT seq::text, removal_seq::text, snapshot_cut::text FROM sanction_push_cursor WHERE partner_code = $1`,
    [AVIATION.code],
  );
  expect(cursor).toEqual({ seq: "4", removal_seq: "4", snapshot_cut: null });
});
