/**
 * Applies prisma/migrations/<name>/migration.sql in order, once each. The hub
 * does this itself at start instead of shelling out to `prisma migrate deploy`
 * because PGlite lives inside this process: a second process (the CLI) must
 * never open the same PGlite folder. On PostgreSQL an advisory lock makes
 * concurrently starting instances apply each migration exactly once.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Sql } from "./sql.js";

const migrationsDir = fileURLToPath(new URL("../../prisma/migrations/", import.meta.url));
const LOCK_KEY = 4_102_250; // arbitrary, constant: serialises migrating instances

const migrationNames = (): string[] =>
  readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

/**
 * Migrations this code needs that the database has not recorded (readiness): another instance of a newer
 * release may have migrated further, never less, so only missing ones count.
 */
export async function pendingMigrations(sql: Pick<Sql, "query">): Promise<string[]> {
  const done = new Set((await sql.query<{ name: string }>("SELECT name FROM hub_schema_migration")).map((row) => row.name));
  return migrationNames().filter((name) => !done.has(name));
}

/** `afterMigrations`: what must follow the migrations under their lock, before any instance serves (dataAtRest.ts). */
export async function applyMigrations(
  db: { sql: Pick<Sql, "transaction"> },
  afterMigrations?: (tx: Pick<Sql, "query">, applied: readonly string[]) => Promise<unknown>,
): Promise<string[]> {
  const names = migrationNames();
  return db.sql.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
    // Only when missing: a hub role without CREATE (kept from changing the audit trail, docs/guide/audit.md) then
    // starts on a database its owner migrated, where IF NOT EXISTS would still ask for the privilege.
    const [{ present }] = await tx.query<{ present: boolean }>(`SELECT to_regclass('hub_schema_migration') IS NOT NULL AS present`);
    if (!present)
      await tx.query(`CREATE TABLE hub_schema_migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await tx.query<{ name: string }>("SELECT name FROM hub_schema_migration")).map((row) => row.name));
    const applied: string[] = [];
    for (const name of names.filter((n) => !done.has(n))) {
      for (const statement of splitStatements(readFileSync(`${migrationsDir}${name}/migration.sql`, "utf8"))) {
        await tx.query(statement);
      }
      await tx.query("INSERT INTO hub_schema_migration (name) VALUES ($1)", [name]);
      applied.push(name);
    }
    await afterMigrations?.(tx, applied);
    return applied;
  });
}

/**
 * Prisma's migration files hold one statement per `;`-terminated line; a procedural body (a trigger's function,
 * migration 0017) is dollar-quoted, and the `;` inside it end no statement.
 */
function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  let inBody = false;
  for (const line of script.split(/\r?\n/)) {
    if (!inBody && /^\s*--/.test(line)) continue;
    current.push(line);
    if ((line.match(/\$\$/g)?.length ?? 0) % 2 === 1) inBody = !inBody;
    if (!inBody && /;\s*$/.test(line)) {
      statements.push(current.join("\n").replace(/;\s*$/, "").trim());
      current = [];
    }
  }
  statements.push(current.join("\n").trim());
  return statements.filter((statement) => statement.length > 0);
}
