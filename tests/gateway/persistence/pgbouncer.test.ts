/**
 * Behind PgBouncer in transaction pooling mode (docs/guide/operations.md, "PgBouncer"): the hub's statements,
 * transactions and migrations (transaction-scoped advisory locks) pass through it, but a LISTEN does not
 * outlive its transaction there, so the LISTEN connection must be direct (HUB_LISTEN_DATABASE_URL); the hub's
 * probe at start (listenProbe.ts) tells the two apart.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../gateway/persistence/database.js";
import { listenHearsNotify } from "../../../gateway/persistence/listenProbe.js";
import { DEFAULT_SANDBOX_SECRET, startSandbox, type Sandbox } from "../../../sandbox/index.js";
import { fastKnobs } from "../../sandbox/fixtures.js";
import { launchHubProcess, serveFirstCase } from "../../support/hubProcess.js";
import { startPgbouncer, type Pgbouncer } from "../../support/pgbouncer.js";
import { createPostgresTestDatabase } from "../../support/testDatabase.js";
import { eventually } from "../../support/testHub.js";

let pgbouncer: Pgbouncer;
let database: Required<Awaited<ReturnType<typeof createPostgresTestDatabase>>>;
let sandbox: Sandbox;

beforeAll(async () => {
  database = await createPostgresTestDatabase();
  pgbouncer = await startPgbouncer(database.url);
  sandbox = await startSandbox({ secret: DEFAULT_SANDBOX_SECRET, knobs: fastKnobs() });
});

afterAll(async () => {
  await sandbox?.close();
  await pgbouncer?.close();
  await database?.drop();
});

/** Sends one NOTIFY on a direct connection of its own, as another instance would. */
async function notifyDirectly(channel: string, payload: string): Promise<void> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query("SELECT pg_notify($1, $2)", [channel, payload]);
  await client.end();
}

describe("PgBouncer in transaction pooling mode", () => {
  it("loses a LISTEN made through it, and keeps one made on the direct connection", async () => {
    const through = await openDatabase({ databaseUrl: pgbouncer.url(database.url), poolSize: 2 });
    const direct = await openDatabase({ databaseUrl: pgbouncer.url(database.url), poolSize: 2, listenDatabaseUrl: database.url });
    try {
      const heardThrough: string[] = [];
      const heardDirect: string[] = [];
      await through.listen("pooler_probe", (payload) => heardThrough.push(payload));
      await direct.listen("pooler_probe", (payload) => heardDirect.push(payload));
      // Other clients keep the pooler's server connections busy, as a live hub's statements do.
      await Promise.all(Array.from({ length: 20 }, () => through.sql.query("SELECT 1")));
      for (let n = 1; n <= 3; n++) await notifyDirectly("pooler_probe", `event ${n}`);
      await eventually(
        async () => heardDirect.length,
        (count) => count === 3,
      );
      expect(heardDirect).toEqual(["event 1", "event 2", "event 3"]);
      expect(heardThrough).toEqual([]);
      // What the hub asks at start, to log the cure instead of staying deaf in silence.
      expect(await listenHearsNotify(through)).toBe(false);
      expect(await listenHearsNotify(direct)).toBe(true);
    } finally {
      await through.close();
      await direct.close();
    }
  });

  it("serves a hub whose statements go through it and whose LISTEN is direct", async () => {
    const launched = await launchHubProcess({
      name: "pooled-hub",
      sandbox,
      database: { url: pgbouncer.url(database.url), drop: async () => undefined },
      court: "豫0225",
      leaseMs: 10_000,
      env: { HUB_LISTEN_DATABASE_URL: database.url, HUB_DB_POOL_SIZE: "4" },
    });
    try {
      const first = await serveFirstCase(launched);
      expect(first.readiness.checks.listen.ok).toBe(true);
      expect(first.parts.every((part) => part.status === "ANSWERED")).toBe(true);
    } finally {
      await launched.dispose();
    }
  });
});
