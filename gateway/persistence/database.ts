/**
 * Opens the hub's database: PGlite in a data folder by default (nothing to
 * install), or a PostgreSQL server when DATABASE_URL is set (several hub
 * instances then share it). Prisma serves the read side and ordinary writes;
 * `sql` is the same connection without Prisma's per-query cost, for the
 * request path (recording, claiming and finishing agency requests).
 * `dedicatedSql` is a small pool of its own for a background loop that must
 * not queue behind the request path for a connection (list delivery).
 */
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client.js";
import { applyMigrations } from "./migrate.js";
import type { Sql } from "./sql.js";

export type { Sql } from "./sql.js";

export interface Database {
  readonly dialect: "pglite" | "postgres";
  readonly prisma: PrismaClient;
  readonly sql: Sql;
  /**
   * A pool of `size` connections of its own, closed with the database; on PGlite, which has one
   * connection, the shared `sql`.
   */
  dedicatedSql(size: number): Sql;
  /** Cross-instance notifications (LISTEN/NOTIFY); on PGlite they stay in this process. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  /** Folder for PGlite's files; omitted = in memory (tests, benchmarks). */
  dataDir?: string;
  poolSize?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const db = options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10) : await openPglite(options.dataDir);
  await applyMigrations(db);
  return db;
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite(dataDir);
  await pglite.waitReady;
  // The adapter is typed against an older @prisma/driver-adapter-utils than the client; at run time they agree (STACK.md).
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) as never });
  const sql: Sql = {
    query: async (text, params) => (await pglite.query(text, params)).rows as never,
    transaction: (fn) => pglite.transaction((tx) => fn({ query: async (text, params) => (await tx.query(text, params)).rows as never })),
  };
  return {
    dialect: "pglite",
    prisma,
    sql,
    dedicatedSql: () => sql,
    async listen(channel, onPayload) {
      return pglite.listen(channel, onPayload);
    },
    async notify(channel, payload) {
      await pglite.query("SELECT pg_notify($1, $2)", [channel, payload]);
    },
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

function openPostgres(databaseUrl: string, poolSize: number): Database {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  // An idle client losing its server must not take the process down; the pool replaces it.
  pool.on("error", () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const listeners: pg.Client[] = [];
  const dedicated: pg.Pool[] = [];
  return {
    dialect: "postgres",
    prisma,
    sql: poolSql(pool),
    dedicatedSql(size) {
      const own = new pg.Pool({ connectionString: databaseUrl, max: size });
      own.on("error", () => undefined);
      dedicated.push(own);
      return poolSql(own);
    },
    async listen(channel, onPayload) {
      const client = new pg.Client({ connectionString: databaseUrl });
      client.on("error", () => undefined);
      await client.connect();
      client.on("notification", (message) => {
        if (message.channel === channel && message.payload !== undefined) onPayload(message.payload);
      });
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      listeners.push(client);
      return async () => {
        listeners.splice(listeners.indexOf(client), 1);
        await client.end();
      };
    },
    async notify(channel, payload) {
      await pool.query("SELECT pg_notify($1, $2)", [channel, payload]);
    },
    async close() {
      await Promise.all(listeners.map((client) => client.end()));
      await prisma.$disconnect();
      await Promise.all([pool, ...dedicated].map((p) => p.end()));
    },
  };
}

function poolSql(pool: pg.Pool): Sql {
  return {
    query: async (text, params) => (await pool.query(text, params)).rows,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn({ query: async (text, params) => (await client.query(text, params)).rows });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}
