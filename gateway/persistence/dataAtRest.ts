/**
 * Which stored values are sealed (dataCipher.ts), and the one routine that re-seals them: at start, right after
 * the migrations and under their lock, every value still in plain text (rows written before migration 0018,
 * which could not seal in SQL); in the background, every value sealed under a key version other than the one
 * that writes (a rotation). Rows go in batches, each one statement that changes a row only if it still holds
 * what was read, so live instances keep writing meanwhile (theirs are sealed under the new version already).
 * Once no value is left under a version, that key can be removed from the configuration.
 */
import type { Logger } from "../logger.js";
import { CoalescingWake } from "../workers/coalescingWake.js";
import type { Worker } from "../workers/worker.js";
import { type DataCipher, sealedPrefix } from "./dataCipher.js";
import type { Sql } from "./sql.js";

interface SealedColumn {
  table: string;
  /** The primary key, as text. */
  key: string;
  /** Where the sealed text is, as SQL, and how to write it back from the text parameter `$v`. */
  value: string;
  set: string;
  /** The column holding the lookup digest of the plain value. */
  digest?: string;
}

const text = (table: string, key: string, column: string, digest?: string): SealedColumn => ({
  table,
  key,
  value: column,
  set: `${column} = v.sealed`,
  digest,
});
// A JSON column holds its sealed text as a JSON string; a plain one shows its JSON text here.
const json = (table: string, key: string, column: string): SealedColumn => ({
  table,
  key,
  value: `${column} #>> '{}'`,
  set: `${column} = to_jsonb(v.sealed)`,
});
// One member of a JSON column, the rest staying readable to SQL (a request's court and action, a change's status).
const member = (table: string, key: string, column: string, name: string): SealedColumn => ({
  table,
  key,
  value: `${column} #>> '{${name}}'`,
  set: `${column} = jsonb_set(${column}, '{${name}}', to_jsonb(v.sealed))`,
});

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  text("debtor", "id::text", "id_number", "id_digest"),
  text("debtor", "id::text", "name"),
  text("debtor", "id::text", "original_id_number"),
  text("sanction_entry", "id::text", "id_number", "id_digest"),
  json("sanction_entry", "id::text", "published"),
  text("sanction_change", "seq::text", "id_number", "id_digest"),
  member("sanction_change", "seq::text", "record", "idNumber"),
  member("sanction_change", "seq::text", "record", "fields"),
  member("agency_request", "id::text", "payload", "debtor"),
  text("agency_request", "id::text", "raw_reply"),
  member("agency_request", "id::text", "findings", "identity"),
  member("agency_request", "id::text", "findings", "tax"),
  member("agency_request", "id::text", "findings", "credit"),
  member("agency_request", "id::text", "findings", "marriages"),
  text("sanction_partner", "code", "secret"),
  text("delegated_task", "id::text", "debtor_id_number"),
  text("delegated_task", "id::text", "debtor_name"),
  text("debtor_settlement", "id::text", "terms"),
  text("case_payment", "id::text", "note"),
  json("peer_outbox", "id::text", "body"),
  json("peer_inbox", "id::text", "body"),
];

export type Resealing = "plain" | "stale";

/** The sealed columns as recorded in data_at_rest_state: a release that seals another column scans again. */
const SEALED_COLUMN_LIST = SEALED_COLUMNS.map((column) => `${column.table}.${column.value}`).join(", ");

/**
 * At start, after the migrations and under their lock: seals what is still plain, but only when plain values can
 * have appeared since the last start's scan, that is when a migration ran (a table or column to seal may be new),
 * this release seals other columns, or the key set writes with another version (a changed key file is when an
 * operator changes how data is kept). Otherwise every sealed column would be read at every start for nothing.
 * Returns the values sealed, or undefined when the scan was not needed.
 */
export async function sealPlainAtStart(
  tx: Pick<Sql, "query">,
  cipher: DataCipher,
  migrated: readonly string[],
): Promise<number | undefined> {
  const [last] = await tx.query<{ sealed_columns: string; write_version: number }>(
    `SELECT sealed_columns, write_version FROM data_at_rest_state WHERE id = 1`,
  );
  if (migrated.length === 0 && last?.sealed_columns === SEALED_COLUMN_LIST && last.write_version === cipher.keys.write) return undefined;
  const changed = await reseal(tx, cipher, "plain");
  await tx.query(
    `INSERT INTO data_at_rest_state (id, sealed_columns, write_version) VALUES (1, $1, $2)
     ON CONFLICT (id) DO UPDATE SET sealed_columns = excluded.sealed_columns, write_version = excluded.write_version, scanned_at = now()`,
    [SEALED_COLUMN_LIST, cipher.keys.write],
  );
  return changed;
}

/**
 * Seals what is still plain (`plain`), or re-seals under the writing key what another version sealed (`stale`,
 * which includes plain); returns the values changed.
 */
export async function reseal(sql: Pick<Sql, "query">, cipher: DataCipher, which: Resealing, batchSize = 500): Promise<number> {
  const keep = which === "plain" ? sealedPrefix() : sealedPrefix(cipher.keys.write);
  let changed = 0;
  for (const column of SEALED_COLUMNS) {
    let after = "";
    for (;;) {
      const rows = await sql.query<{ k: string; v: string }>(
        `SELECT ${column.key} AS k, ${column.value} AS v FROM ${column.table}
          WHERE ${column.value} IS NOT NULL AND ${column.value} NOT LIKE $1 || '%' AND ${column.key} > $2
          ORDER BY ${column.key} LIMIT $3`,
        [keep, after, batchSize],
      );
      if (rows.length === 0) break;
      const updates = rows.map(({ k, v }) => {
        const plain = cipher.openOrPlain(v);
        return { k, old: v, sealed: cipher.seal(plain), digest: column.digest ? cipher.lookup(plain) : null };
      });
      const [{ count }] = await sql.query<{ count: number }>(
        `WITH changed AS (
           UPDATE ${column.table} SET ${column.set}${column.digest ? `, ${column.digest} = v.digest` : ""}
             FROM jsonb_to_recordset($1::jsonb) AS v(k text, old text, sealed text, digest text)
            WHERE ${column.key} = v.k AND ${column.value} = v.old RETURNING 1)
         SELECT count(*)::int AS count FROM changed`,
        [JSON.stringify(updates)],
      );
      changed += count;
      after = rows[rows.length - 1].k;
      if (rows.length < batchSize) break;
    }
  }
  // The push outbox keeps only the digest of each change's debtor; rows from before 0018 held the number.
  await sql.query(
    `UPDATE sanction_delivery d SET id_digest = c.id_digest FROM sanction_change c
      WHERE c.seq = d.change_seq AND c.id_digest IS NOT NULL AND d.id_digest <> c.id_digest`,
  );
  return changed;
}

/** The key versions stored values are sealed under, with how many values each: what a rotation still has to do. */
export async function sealedVersions(sql: Pick<Sql, "query">): Promise<Map<number, number>> {
  const versions = new Map<number, number>();
  for (const column of SEALED_COLUMNS) {
    const rows = await sql.query<{ version: number; count: number }>(
      `SELECT substring(${column.value} from '^sm4gcm:(\\d+):')::int AS version, count(*)::int AS count
         FROM ${column.table} WHERE ${column.value} LIKE 'sm4gcm:%' GROUP BY 1`,
    );
    for (const { version, count } of rows) versions.set(version, (versions.get(version) ?? 0) + count);
  }
  return versions;
}

/** Re-seals, in the background, values another key version sealed, once at start and then on `intervalMs`. */
export class DataKeyRotation implements Worker {
  private readonly loop: CoalescingWake;

  constructor(
    private readonly deps: { sql: Sql; cipher: () => DataCipher; log: Logger },
    private readonly options: { intervalMs: number; batchSize: number } = { intervalMs: 60 * 60_000, batchSize: 500 },
  ) {
    this.loop = new CoalescingWake(
      () => this.runOnce(),
      (error) => this.deps.log.error({ err: error }, "re-sealing data under the current key failed; will retry"),
    );
  }

  async runOnce(): Promise<number> {
    const cipher = this.deps.cipher();
    const changed = await reseal(this.deps.sql, cipher, "stale", this.options.batchSize);
    if (changed > 0) this.deps.log.info({ changed, keyVersion: cipher.keys.write }, "re-sealed stored data under the current key");
    return changed;
  }

  start(): void {
    this.loop.start(this.options.intervalMs);
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
