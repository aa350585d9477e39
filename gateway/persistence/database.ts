/**
 * Opens the hub's database: PGlite in a data folder by default (nothing to
 * install), or a PostgreSQL server when DATABASE_URL is set (several hub
 * instances then share it). Prisma serves the read side and ordinary writes;
 * `sql` is the same connection without Prisma's per-query cost, for the
 * request path (recording, claiming and finishing agency requests).
 * `dedicatedSql` is a small pool of its own for a background loop that must
 * not queue behind the request path for a connection (list delivery).
 *
 * On PostgreSQL any connection may die (terminated, server restarted, failover): a statement the
 * server certainly did not apply, or a transaction cut before its COMMIT, is sent again on a fresh
 * connection; one whose outcome is unknown fails with DATABASE_UNAVAILABLE, never the driver's
 * message (connectionErrors.ts). LISTEN has a connection of its own that reconnects by itself
 * (notificationListener.ts).
 */
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import pRetry from "p-retry";
import type { Logger } from "../logger.js";
import { connectionLost, databaseUnavailable, notApplied } from "./connectionErrors.js";
import { ConnectionWatch } from "./connectionWatch.js";
import { lockDataDir } from "./dataDirLock.js";
import { NotificationListener } from "./notificationListener.js";
import { PrismaClient } from "./generated/client.js";
import { applyMigrations } from "./migrate.js";
import { pino } from "pino";
import type { Sql } from "./sql.js";
import { tracedSql } from "../telemetry/tracedSql.js";

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
  /**
   * Cross-instance notifications (LISTEN/NOTIFY); on PGlite they stay in this process. `onResync` is called
   * after the LISTEN connection was lost and is back: notifications sent meanwhile were missed.
   */
  listen(channel: string, onPayload: (payload: string) => void, onResync?: () => void): Promise<() => Promise<void>>;
  /** Whether notifications from other instances are heard now (always on PGlite). */
  readonly listening: boolean;
  notify(channel: string, payload: string): Promise<void>;
  /** Connections of the shared pool: all, idle, and clients waiting for one (PGlite: its one connection). */
  poolUse(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

/** Where the database is and how it is reached. */
export interface DatabaseOptions {
  /**
   * A PostgreSQL server.
   * @default undefined (PGlite)
   */
  databaseUrl?: string;
  /**
   * Folder for PGlite's files, locked while open (dataDirLock.ts).
   * @default undefined (in memory: tests, benchmarks)
   */
  dataDir?: string;
  /**
   * PostgreSQL connections of the shared pool.
   * @default 10
   */
  poolSize?: number;
  /**
   * The LISTEN connection's server: a direct connection when `databaseUrl` goes through a pooler in
   * transaction mode (PgBouncer), which cannot hold a session's LISTEN.
   * @default databaseUrl
   */
  listenDatabaseUrl?: string;
  /**
   * Where lost and recovered connections are logged.
   * @default silent
   */
  log?: Logger;
  /** Run after the migrations, in their transaction and under their lock, with the names of those this start applied. */
  afterMigrations?: (tx: Pick<Sql, "query">, applied: readonly string[]) => Promise<unknown>;
  /**
   * A span for each plain-SQL statement and transaction (when traces are exported).
   * @default false
   */
  traced?: boolean;
}

const pinoSilent = pino({ level: "silent" });

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const log = options.log ?? pinoSilent;
  const opened = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10, log, options.listenDatabaseUrl)
    : await openPglite(options.dataDir);
  const db = options.traced ? withTracing(opened) : opened;
  try {
    await applyMigrations(db, options.afterMigrations);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

function withTracing(db: Database): Database {
  const system = db.dialect === "pglite" ? "pglite" : "postgresql";
  const sql = tracedSql(db.sql, system);
  // A getter, not a copy: `listening` changes as the LISTEN connection comes and goes.
  return Object.create(db, {
    sql: { value: sql },
    dedicatedSql: { value: (size: number) => tracedSql(db.dedicatedSql(size), system) },
  });
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // Two processes on one folder corrupt it (PGlite aborts): the second is refused before it opens anything.
  const unlock = dataDir ? lockDataDir(dataDir) : () => undefined;
  const pglite = new PGlite(dataDir);
  try {
    await pglite.waitReady;
  } catch (error) {
    unlock();
    throw error;
  }
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
    listening: true,
    async notify(channel, payload) {
      await pglite.query("SELECT pg_notify($1, $2)", [channel, payload]);
    },
    poolUse: () => ({ total: 1, idle: 0, waiting: 0 }),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      unlock();
    },
  };
}

function openPostgres(databaseUrl: string, poolSize: number, log: Logger, listenDatabaseUrl = databaseUrl): Database {
  const watch = new ConnectionWatch(log, "database connection");
  const newPool = (max: number) => {
    const pool = new pg.Pool({ connectionString: databaseUrl, max });
    // A client losing its server, idle or checked out (ours or Prisma's), must not take the process down:
    // the statement it was running fails, and the pool replaces it.
    pool.on("error", (error) => watch.lost(error));
    pool.on("connect", (client) => {
      client.on("error", (error) => watch.lost(error));
      watch.recovered();
    });
    return pool;
  };
  const pool = newPool(poolSize);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const listener = new NotificationListener(listenDatabaseUrl, log);
  const dedicated: pg.Pool[] = [];
  return {
    dialect: "postgres",
    prisma,
    sql: poolSql(pool, watch),
    dedicatedSql(size) {
      const own = newPool(size);
      dedicated.push(own);
      return poolSql(own, watch);
    },
    listen: (channel, onPayload, onResync) => listener.listen(channel, onPayload, onResync),
    get listening() {
      return listener.connected;
    },
    async notify(channel, payload) {
      await resilient(() => pool.query("SELECT pg_notify($1, $2)", [channel, payload]), notApplied, watch);
    },
    poolUse: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await listener.close();
      await prisma.$disconnect();
      await Promise.all([pool, ...dedicated].map((p) => p.end()));
    },
  };
}

/**
 * Runs `attempt`; if its connection was lost and `again(error)` says it did not take effect, runs it again on a
 * fresh connection with backoff (a restarting server refuses connections for a moment). The first try costs
 * nothing more than the statement.
 */
async function resilient<T>(attempt: () => Promise<T>, again: (error: unknown) => boolean, watch: ConnectionWatch): Promise<T> {
  try {
    return await attempt();
  } catch (first) {
    if (!connectionLost(first)) throw first;
    watch.lost(first);
    if (!again(first)) throw databaseUnavailable(first);
  }
  try {
    return await pRetry(attempt, {
      retries: 5,
      minTimeout: 50,
      maxTimeout: 2_000,
      randomize: true,
      shouldRetry: ({ error }) => connectionLost(error) && again(error),
    });
  } catch (error) {
    throw connectionLost(error) ? databaseUnavailable(error) : error;
  }
}

function poolSql(pool: pg.Pool, watch: ConnectionWatch): Sql {
  return {
    query: (text, params) => resilient(async () => (await pool.query(text, params)).rows, notApplied, watch),
    transaction(fn) {
      // Cut before COMMIT was sent, the transaction was rolled back and may run again; cut during COMMIT, nobody knows.
      let committing = false;
      const attempt = async () => {
        committing = false;
        const client = await pool.connect();
        let failure: unknown;
        try {
          await client.query("BEGIN");
          const result = await fn({ query: async (text, params) => (await client.query(text, params)).rows });
          committing = true;
          await client.query("COMMIT");
          return result;
        } catch (error) {
          failure = error;
          if (!connectionLost(error)) await client.query("ROLLBACK").catch(() => undefined);
          throw error;
        } finally {
          // A client whose connection failed is dropped from the pool rather than handed out again.
          client.release(connectionLost(failure) ? (failure as Error) : undefined);
        }
      };
      return resilient(attempt, (error) => notApplied(error) || !committing, watch);
    },
  };
}
