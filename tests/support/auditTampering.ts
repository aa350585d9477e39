/**
 * Tampering as a database superuser would: the trigger that refuses UPDATE and DELETE on sealed audit rows
 * (migration 0017) is disabled for the statements and enabled again, as an administrator covering their tracks
 * would. What the trigger cannot stop, the witnessed heads must reveal.
 */
import type { Sql } from "../../gateway/persistence/database.js";

export async function asSuperuser<T>(sql: Pick<Sql, "query">, tamper: () => Promise<T>): Promise<T> {
  await sql.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_sealed`);
  try {
    return await tamper();
  } finally {
    await sql.query(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_sealed`);
  }
}
