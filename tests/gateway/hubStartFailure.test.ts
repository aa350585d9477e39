/**
 * A hub that cannot start (here: its port is taken by another process) must say why and leave
 * nothing behind: a half-started hub would keep its database connections, LISTEN and timers open
 * in a process that may go on running (a supervisor that retries, a test that expects the error).
 * Checked on a PostgreSQL database of its own, whose sessions the server can count.
 */
import { createServer, type Server } from "node:net";
import { generateKeyPair } from "jose";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { AGENCY_KINDS } from "../../connectors/connector.js";
import { startHub } from "../../gateway/hub.js";
import { createLogger } from "../../gateway/logger.js";
import { sandboxRoutes } from "../../gateway/routing/sandboxRoutes.js";
import { createPostgresTestDatabase } from "../support/testDatabase.js";

const database = await createPostgresTestDatabase();
let blocker: Server | undefined;
afterAll(async () => {
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
  await database.drop();
});

it("a hub whose port is taken refuses to start with EADDRINUSE and leaves no session open on its database", async () => {
  blocker = createServer();
  const port = await new Promise<number>((resolve) =>
    blocker!.listen(0, "127.0.0.1", () => resolve((blocker!.address() as { port: number }).port)),
  );
  const starting = startHub({
    port,
    host: "127.0.0.1",
    databaseUrl: database.url,
    agencies: sandboxRoutes(Object.fromEntries(AGENCY_KINDS.map((kind) => [kind, "http://127.0.0.1:9"])), "sandbox-secret"),
    keys: await generateKeyPair("EdDSA"),
    log: createLogger("silent"),
  });
  await expect(starting).rejects.toThrow(/EADDRINUSE/);

  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  try {
    const [{ sessions }] = (
      await admin.query<{ sessions: number }>(
        `SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      )
    ).rows;
    expect(sessions).toBe(0);
  } finally {
    await admin.end();
  }
});
