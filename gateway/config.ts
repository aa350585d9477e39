/**
 * Configuration from the environment. Every setting has a default that runs the
 * hub on a fresh machine: PGlite in ./.hub-data and the built-in sandbox
 * agencies. docs/CONFIGURATION.md lists each variable.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { TokenKeySource } from "./auth/tokenKeys.js";
import { DEFAULT_TOKEN_POLICY, type TokenPolicy } from "./auth/tokenPolicy.js";
import type { KindDeadline } from "../domain/delegation/deadlines.js";
import type { AgencyRoutesConfig } from "./routing/agencyRoutes.js";

export interface EnvConfig {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  publicUrl?: string;
  /** Agency routes from a file; absent = run the sandbox agencies in-process. */
  agencies?: AgencyRoutesConfig;
  /** HUB_JWT_JWKS_URL, HUB_JWT_JWKS_FILE, HUB_JWT_PUBLIC_KEY_FILE: where token verification keys come from. */
  tokenKeys: TokenKeySource;
  /** HUB_JWT_ISSUER, HUB_JWT_AUDIENCE, HUB_JWT_ALGORITHMS, HUB_JWT_MAX_LIFETIME_SECONDS; unset = DEFAULT_TOKEN_POLICY. */
  tokenPolicy: TokenPolicy;
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
  /** HUB_ID: this hub's name to its peer hubs and in the court directory; required with HUB_PEERS_FILE. */
  hubId?: string;
  /** HUB_PEERS_FILE: the peer hubs (gateway/peering/peerRegistry.ts); unset = no hub-to-hub messaging. */
  peersFile?: string;
  /** HUB_EXCHANGE_RETENTION_DAYS: how long finished exchanges with peer hubs are kept (default 180, local policy). */
  exchangeRetentionDays?: number;
  /**
   * HUB_SM2_KEY_FILE: this hub's SM2 private key (PKCS#8 PEM), signing peer messages and list batches;
   * unset = the pair in <dataDir>/keys.
   */
  sm2KeyFile?: string;
  /** Delegated tasks (事项委托): directory, deadlines, reminders, document size. */
  delegation: {
    directoryFile?: string;
    deadlines?: Partial<Record<string, Partial<KindDeadline>>>;
    reminderLeadHours?: number;
    maxDocumentBytes?: number;
  };
  /**
   * HUB_ASSISTANCE_REPORT_CHECK_MS: how long police assistance may stay accepted without a report
   * before the police are asked for it (default 5 min).
   */
  assistanceReportCheckMs?: number;
  /**
   * List delivery to push partners: HUB_SANCTION_LEASE_MS, how long an instance holds a batch it
   * is sending (a crashed instance's batches go to others once it runs out; it must exceed a
   * partner's longest answer, or a live instance's batch is sent again, harmless but wasteful);
   * HUB_SANCTION_BATCH_SIZE, changes per POST.
   */
  sanctionDelivery: { leaseMs?: number; batchSize?: number };
  /** HUB_SANCTION_DB_POOL_SIZE: PostgreSQL connections of list delivery's own pool (default 2). */
  sanctionDbPoolSize?: number;
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
    tokenKeys: {
      jwksUrl: env.HUB_JWT_JWKS_URL || undefined,
      jwksFile: env.HUB_JWT_JWKS_FILE || undefined,
      publicKeyFile: env.HUB_JWT_PUBLIC_KEY_FILE || undefined,
    },
    tokenPolicy: {
      issuer: env.HUB_JWT_ISSUER || DEFAULT_TOKEN_POLICY.issuer,
      audience: env.HUB_JWT_AUDIENCE || DEFAULT_TOKEN_POLICY.audience,
      algorithms: env.HUB_JWT_ALGORITHMS ? env.HUB_JWT_ALGORITHMS.split(",").map((alg) => alg.trim()) : DEFAULT_TOKEN_POLICY.algorithms,
      maxLifetimeSeconds: env.HUB_JWT_MAX_LIFETIME_SECONDS
        ? positiveInteger("HUB_JWT_MAX_LIFETIME_SECONDS", env.HUB_JWT_MAX_LIFETIME_SECONDS, "seconds")
        : DEFAULT_TOKEN_POLICY.maxLifetimeSeconds,
    },
    instanceId: env.HUB_INSTANCE_ID || undefined,
    dbPoolSize: env.HUB_DB_POOL_SIZE ? Number(env.HUB_DB_POOL_SIZE) : undefined,
    leaseMs: env.HUB_LEASE_MS ? positiveInteger("HUB_LEASE_MS", env.HUB_LEASE_MS) : undefined,
    hubId: env.HUB_ID || undefined,
    peersFile: env.HUB_PEERS_FILE || undefined,
    exchangeRetentionDays: env.HUB_EXCHANGE_RETENTION_DAYS
      ? positiveInteger("HUB_EXCHANGE_RETENTION_DAYS", env.HUB_EXCHANGE_RETENTION_DAYS, "days")
      : undefined,
    sm2KeyFile: env.HUB_SM2_KEY_FILE || undefined,
    delegation: {
      directoryFile: env.HUB_COURT_DIRECTORY_FILE || undefined,
      deadlines: env.HUB_DELEGATION_DEADLINES_FILE
        ? (JSON.parse(readFileSync(env.HUB_DELEGATION_DEADLINES_FILE, "utf8")) as Partial<Record<string, Partial<KindDeadline>>>)
        : undefined,
      reminderLeadHours: env.HUB_DELEGATION_REMINDER_HOURS
        ? positiveInteger("HUB_DELEGATION_REMINDER_HOURS", env.HUB_DELEGATION_REMINDER_HOURS, "hours")
        : undefined,
      maxDocumentBytes: env.HUB_DELEGATION_MAX_DOCUMENT_BYTES
        ? positiveInteger("HUB_DELEGATION_MAX_DOCUMENT_BYTES", env.HUB_DELEGATION_MAX_DOCUMENT_BYTES, "bytes")
        : undefined,
    },
    assistanceReportCheckMs: env.HUB_ASSISTANCE_REPORT_CHECK_MS
      ? positiveInteger("HUB_ASSISTANCE_REPORT_CHECK_MS", env.HUB_ASSISTANCE_REPORT_CHECK_MS)
      : undefined,
    // Only the settings given: the hub spreads these over its defaults, where an undefined would win.
    sanctionDelivery: {
      ...(env.HUB_SANCTION_LEASE_MS && { leaseMs: positiveInteger("HUB_SANCTION_LEASE_MS", env.HUB_SANCTION_LEASE_MS) }),
      ...(env.HUB_SANCTION_BATCH_SIZE && { batchSize: positiveInteger("HUB_SANCTION_BATCH_SIZE", env.HUB_SANCTION_BATCH_SIZE, "changes") }),
    },
    sanctionDbPoolSize: env.HUB_SANCTION_DB_POOL_SIZE
      ? positiveInteger("HUB_SANCTION_DB_POOL_SIZE", env.HUB_SANCTION_DB_POOL_SIZE, "connections")
      : undefined,
  };
}

function positiveInteger(name: string, value: string, unit = "milliseconds"): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed <= 0)
    throw new Error(`${name} must be a positive whole number of ${unit}, got ${JSON.stringify(value)}`);
  return parsed;
}
