/**
 * Configuration from the environment. Every setting has a default that runs the
 * hub on a fresh machine: PGlite in ./.hub-data and the built-in sandbox
 * agencies. README.md lists each variable.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { AgencyRoutesConfig } from "./routing/agencyRoutes.js";

export interface EnvConfig {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  publicUrl?: string;
  /** Agency routes from a file; absent = run the sandbox agencies in-process. */
  agencies?: AgencyRoutesConfig;
  jwtPublicKeyFile?: string;
  instanceId?: string;
  dbPoolSize?: number;
  /**
   * HUB_LEASE_MS: how long an instance holds an agency request it is working on
   * (default 60 s). A crashed instance's requests are taken over once it runs
   * out, so shorter means faster recovery; it must still exceed the longest
   * exchange with an agency, quick retries included, or a live instance's work
   * is resent by another (harmless to agencies, which deduplicate by key, but wasteful).
   */
  leaseMs?: number;
  /** HUB_SANCTION_KEY_FILE: the SM2 private key (PKCS#8 PEM) that signs list batches to partners. */
  sanctionKeyFile?: string;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const agenciesFile = env.HUB_AGENCIES_FILE;
  return {
    port: Number(env.PORT ?? 4000),
    host: env.HOST ?? "127.0.0.1",
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.HUB_DATA_DIR ?? ".hub-data"),
    publicUrl: env.HUB_PUBLIC_URL || undefined,
    agencies: agenciesFile ? (JSON.parse(readFileSync(agenciesFile, "utf8")) as AgencyRoutesConfig) : undefined,
    jwtPublicKeyFile: env.HUB_JWT_PUBLIC_KEY_FILE || undefined,
    instanceId: env.HUB_INSTANCE_ID || undefined,
    dbPoolSize: env.HUB_DB_POOL_SIZE ? Number(env.HUB_DB_POOL_SIZE) : undefined,
    leaseMs: env.HUB_LEASE_MS ? positiveInteger("HUB_LEASE_MS", env.HUB_LEASE_MS) : undefined,
    sanctionKeyFile: env.HUB_SANCTION_KEY_FILE || undefined,
  };
}

function positiveInteger(name: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed <= 0) throw new Error(`${name} must be a positive whole number of milliseconds, got ${JSON.stringify(value)}`);
  return parsed;
}
