/**
 * Where a test's hub keeps its data: PGlite in memory by default, or, when
 * DATABASE_URL names a PostgreSQL server, a fresh database of its own on that
 * server, so test files running side by side never see each other's requests.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";

export interface TestDatabase {
  /** undefined = PGlite in memory */
  url?: string;
  drop(): Promise<void>;
}

export const onPostgres = Boolean(process.env.DATABASE_URL);

/** The PostgreSQL server of this project's dev and CI machines, for tests that need one whatever DATABASE_URL says. */
export const LOCAL_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return { drop: async () => undefined };
  return createPostgresTestDatabase(serverUrl);
}

/**
 * A fresh PostgreSQL database even when the suite runs on PGlite, for what only
 * a shared server can show (several hub instances on one database).
 */
export async function createPostgresTestDatabase(
  serverUrl: string = process.env.DATABASE_URL || LOCAL_POSTGRES_URL,
): Promise<Required<TestDatabase>> {
  const name = `hub_test_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
