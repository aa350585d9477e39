/**
 * `npm run migrate`, the one-off job of an upgrade (docs/guide/operations.md, "Upgrading across several
 * instances"): it applies every migration to a fresh PostgreSQL database and says which is the last, and run
 * again it finds nothing to do.
 */
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createPostgresTestDatabase } from "../../support/testDatabase.js";

let database: Awaited<ReturnType<typeof createPostgresTestDatabase>>;
beforeAll(async () => {
  database = await createPostgresTestDatabase();
});
afterAll(() => database?.drop());

const migrate = () =>
  promisify(execFile)(process.execPath, ["--import", "tsx", "gateway/cli/migrate.ts"], {
    env: { ...process.env, DATABASE_URL: database.url },
  });

it("applies the migrations once and reports the last", async () => {
  const shipped = readdirSync("prisma/migrations", { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const first = await migrate();
  expect(first.stdout.trim()).toBe(`schema up to date: ${shipped.length} migrations recorded, the last ${shipped.at(-1)}`);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const before = await client.query("SELECT name, applied_at FROM hub_schema_migration ORDER BY name");
    expect(before.rows.map((row) => row.name)).toEqual(shipped);
    const second = await migrate();
    expect(second.stdout).toBe(first.stdout);
    const after = await client.query("SELECT name, applied_at FROM hub_schema_migration ORDER BY name");
    expect(after.rows).toEqual(before.rows);
  } finally {
    await client.end();
  }
}, 60_000);
