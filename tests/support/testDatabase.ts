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

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return { drop: async () => undefined };
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
