/**
 * A fresh PostgreSQL database per benchmark run, on the server named by
 * BENCH_DATABASE_URL, DATABASE_URL, or the local default; dropped afterwards.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";

export const POSTGRES_SERVER_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_SERVER_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * With BENCH_DATABASE_NAME, that existing database, emptied (its public schema dropped and made again) before and
 * after: for a server shared by several people, each with a database of their own.
 */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const given = process.env.BENCH_DATABASE_NAME;
  if (given) {
    const url = new URL(POSTGRES_SERVER_URL);
    url.pathname = `/${given}`;
    const empty = async () => {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public`);
      } finally {
        await client.end();
      }
    };
    await empty();
    return { url: url.toString(), name: given, drop: empty };
  }
  const name = `bench_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** The server's version and the settings that decide commit cost, for the report. */
export async function describePostgres(): Promise<string> {
  return admin(async (client) => {
    const { rows } = await client.query<{ version: string; sync: string; fsync: string; max: string }>(
      `SELECT current_setting('server_version') AS version, current_setting('synchronous_commit') AS sync,
              current_setting('fsync') AS fsync, current_setting('max_connections') AS max`,
    );
    const r = rows[0];
    return `PostgreSQL ${r.version} (synchronous_commit=${r.sync}, fsync=${r.fsync}, max_connections=${r.max})`;
  });
}
