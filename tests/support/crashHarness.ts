/**
 * What every crash test sets up and tears down: the sandbox agencies in this process (so their
 * statistics and registers can be read directly), a test database, and the hub as a child
 * process (hubProcess.ts) that the test kills and starts again. The hub signs with an SM2 key
 * written here (HUB_SM2_KEY_FILE), so the sandbox's credit platform and any partner the test
 * starts can verify its batches across restarts.
 *
 * `useCrashHarness` registers the vitest hooks; the fields are set once `beforeAll` has run.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { sealAuditBatch, verifyAuditChain } from "../../gateway/audit/auditChain.js";
import type { Database } from "../../gateway/persistence/database.js";
import { generateSm2KeyPair, type Sm2KeyPairPem } from "../../gateway/signing/sm2Keys.js";
import { startSandbox, type Sandbox, type SandboxOptions } from "../../sandbox/index.js";
import { launchHubProcess, type HubProcess, type LaunchedHub } from "./hubProcess.js";
import { createTestDatabase, type TestDatabase } from "./testDatabase.js";
import type { GraphQLResult } from "./testHub.js";

export interface CrashHarnessOptions {
  name: string;
  /** The court whose case officer `gql` acts as. */
  court?: string;
  /** HUB_LEASE_MS: short, so the restarted hub takes over the killed one's work quickly. */
  leaseMs?: number;
  sandbox?: Omit<SandboxOptions, "hubPublicKeyPem">;
  /** More of the hub's environment. */
  env?: NodeJS.ProcessEnv;
}

export class CrashHarness {
  sandbox!: Sandbox;
  database!: TestDatabase;
  launched!: LaunchedHub;
  /** The hub's SM2 key pair, the same for every run of the hub. */
  readonly sm2: Sm2KeyPairPem = generateSm2KeyPair();

  get hub(): HubProcess {
    return this.launched.hub;
  }

  /** GraphQL over HTTP as a case officer of the harness's court. */
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>> {
    return this.launched.gql<T>(query, variables);
  }

  /**
   * Stops the hub cleanly (SIGTERM), so that its database can be opened here (PGlite allows one
   * process per folder), and answers what `read` finds there. Then checks the audit chain, sealed
   * by a process killed at any moment, still verifies from its first row to its last.
   */
  async afterCleanStop<T>(read: (db: Database) => Promise<T>): Promise<T> {
    await this.hub.kill("SIGTERM");
    const db = await this.launched.openDatabase();
    try {
      const found = await read(db);
      while ((await sealAuditBatch(db.sql)) > 0);
      expect(await verifyAuditChain(db.sql)).toMatchObject({ ok: true, unsealedRows: 0 });
      return found;
    } finally {
      await db.close();
    }
  }
}

export function useCrashHarness(options: CrashHarnessOptions): CrashHarness {
  const harness = new CrashHarness();
  const keyDir = mkdtempSync(join(tmpdir(), `${options.name}-key-`));
  beforeAll(async () => {
    const keyFile = join(keyDir, "hub-sm2-private.pem");
    writeFileSync(keyFile, harness.sm2.privateKeyPem, { mode: 0o600 });
    harness.sandbox = await startSandbox({ ...options.sandbox, hubPublicKeyPem: harness.sm2.publicKeyPem });
    harness.database = await createTestDatabase();
    harness.launched = await launchHubProcess({
      name: options.name,
      sandbox: harness.sandbox,
      database: harness.database,
      court: options.court ?? "豫0225",
      leaseMs: options.leaseMs ?? 2_000,
      env: { HUB_SM2_KEY_FILE: keyFile, ...options.env },
    });
  }, 120_000);
  afterAll(async () => {
    await harness.launched?.dispose();
    await harness.sandbox?.close();
    await harness.database?.drop();
    rmSync(keyDir, { recursive: true, force: true });
  });
  return harness;
}
