/**
 * The hub vacuums the push outbox itself (autovacuum may be off, and PGlite has none): once this
 * instance has removed enough rows, a run cleans the table, so that the next rows reuse the space
 * of the removed ones instead of growing the table; below the threshold it leaves the table alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OutboxVacuum } from "../../../../capabilities/sanctions/delivery/outboxVacuum.js";
import { createLogger } from "../../../../gateway/logger.js";
import { openDatabase, type Database } from "../../../../gateway/persistence/database.js";
import { createTestDatabase, type TestDatabase } from "../../../support/testDatabase.js";

let database: TestDatabase;
let db: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  db = await openDatabase({ databaseUrl: database.url, poolSize: 2 });
});

afterAll(async () => {
  await db?.close();
  await database?.drop();
});

const tablePages = async () =>
  (
    await db.sql.query<{ pages: number }>(
      `SELECT (pg_relation_size('sanction_delivery') / current_setting('block_size')::int)::int AS pages`,
    )
  )[0].pages;

describe("OutboxVacuum", () => {
  it("leaves the outbox alone until enough rows were removed, then vacuums it", async () => {
    let removed = 0;
    const vacuum = new OutboxVacuum(
      { sql: db.sql, log: createLogger("silent"), removedRows: () => removed },
      { intervalMs: 60_000, minDeadRows: 1_000 },
    );
    const deliver = (from: number) =>
      db.sql.query(
        `INSERT INTO sanction_delivery (partner_code, change_seq, id_digest, priority, status)
         SELECT 'RAILWAY', g, 'ID' || g, 1, 'PENDING' FROM generate_series($1::int, $1::int + 1999) g`,
        [from],
      );
    await deliver(1);
    removed = (await db.sql.query(`DELETE FROM sanction_delivery WHERE change_seq <= 999 RETURNING 1`)).length;
    expect(await vacuum.runOnce()).toBe(0);
    // Not vacuumed: the next rows cannot use the removed ones' space, and the table grows.
    const before = await tablePages();
    await deliver(2001);
    const grown = await tablePages();
    expect(grown).toBeGreaterThan(before);

    removed += (await db.sql.query(`DELETE FROM sanction_delivery RETURNING 1`)).length;
    expect(await vacuum.runOnce()).toBe(4_000);
    await deliver(4001);
    expect(await tablePages()).toBe(grown);
    // Counted from the last vacuum: nothing more removed, nothing more to do.
    expect(await vacuum.runOnce()).toBe(0);
  });
});
