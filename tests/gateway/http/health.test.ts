/**
 * `/livez` and `/readyz` on the suite's database (PGlite or PostgreSQL): a started hub is alive and ready,
 * with every check named; once it is closing it is no longer ready. Not ready while the database is gone:
 * tests/gateway/persistence/databaseFaults.test.ts.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestHub, type TestHub } from "../../support/testHub.js";

let t: TestHub;

beforeAll(async () => {
  t = await startTestHub();
});
afterAll(() => t?.close());

it("answers /livez without asking the database, and /readyz with each check", async () => {
  const live = await fetch(`${t.hub.url}/livez`);
  expect(live.status).toBe(200);
  expect(await live.json()).toMatchObject({ status: "alive", pid: process.pid });

  const ready = await fetch(`${t.hub.url}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({
    status: "ready",
    checks: { database: { ok: true }, migrations: { ok: true }, listen: { ok: true }, workers: { ok: true } },
  });
  // Unchanged, as documented: load balancers configured for it keep working.
  expect(await (await fetch(`${t.hub.url}/healthz`)).json()).toEqual({ status: "ok" });
});
