/**
 * `npm run build` then `node dist/gateway/main.js`, the production start with no TypeScript: the compiled hub
 * finds its migrations, the court directory and Prisma's generated client from dist/, decorators still
 * build the schema, it becomes ready (/readyz) and serves a first case with its inquiry.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SANDBOX_SECRET, startSandbox, type Sandbox } from "../../sandbox/index.js";
import { fastKnobs } from "../sandbox/fixtures.js";
import { launchHubProcess, serveFirstCase, type LaunchedHub } from "../support/hubProcess.js";
import { createTestDatabase, type TestDatabase } from "../support/testDatabase.js";

let sandbox: Sandbox;
let database: TestDatabase;
let launched: LaunchedHub;

beforeAll(async () => {
  execFileSync("npm", ["run", "-s", "build"], { stdio: "pipe" });
  sandbox = await startSandbox({ secret: DEFAULT_SANDBOX_SECRET, knobs: fastKnobs() });
  database = await createTestDatabase();
  launched = await launchHubProcess({
    name: "dist-hub",
    sandbox,
    database,
    court: "豫0225",
    leaseMs: 10_000,
    entry: ["dist/gateway/main.js"],
    // Production seals personal data only under keys of its own (docs/CONFIGURATION.md, HUB_DATA_KEYS).
    env: {
      NODE_ENV: "production",
      HUB_DATA_KEYS: JSON.stringify({ write: 1, keys: { 1: randomBytes(16).toString("hex") }, lookup: randomBytes(32).toString("hex") }),
    },
  });
}, 180_000);

afterAll(async () => {
  await launched?.dispose();
  await sandbox?.close();
  await database?.drop();
});

describe("the compiled hub", () => {
  it("is plain JavaScript with its migrations and court directory beside it", () => {
    expect(existsSync("dist/gateway/main.js")).toBe(true);
    expect(existsSync("dist/gateway/persistence/generated/client.js")).toBe(true);
    expect(existsSync("dist/prisma/migrations/0001_init/migration.sql")).toBe(true);
    expect(existsSync("dist/directory/courts.json")).toBe(true);
  });

  it("becomes ready and serves a first case", async () => {
    const first = await serveFirstCase(launched);
    expect(first.readiness).toMatchObject({ status: "ready" });
    expect(first.parts.length).toBeGreaterThan(0);
  });
});
