/**
 * Configuration from the environment. Every setting has a default that runs the
 * hub on a fresh machine: PGlite in ./.hub-data and the built-in sandbox
 * agencies. docs/CONFIGURATION.md lists each variable. Each variable and file is checked here, before
 * anything starts (configFile.ts): a fault throws a ConfigError naming the variable or file, key and rule.
 */
import { join, resolve } from "node:path";
import { z } from "zod";
import type { TokenKeySource } from "./auth/tokenKeys.js";
import { DEFAULT_TOKEN_POLICY, type TokenPolicy } from "./auth/tokenPolicy.js";
import type { KindDeadline } from "../domain/delegation/deadlines.js";
import { DELEGATED_TASK_KINDS } from "../domain/delegation/taskKinds.js";
import { endpointRefusal, type OutboundPolicy } from "./outbound/outboundPolicy.js";
import { checkHubVariableNames, ConfigError, outboundPolicyFromEnv, positiveInteger as positive, readConfigFile } from "./configFile.js";
import type { TransportLimits } from "./http/hubServer.js";
import type { OperationLimits } from "./http/operationLimits.js";
import type { RateLimits } from "./http/requestRates.js";
import type { AgencyRoutesConfig } from "./routing/agencyRoutes.js";
import { readAgencyRoutesFile } from "./routing/agencyRoutesFile.js";
import type { DataKeys } from "./persistence/dataCipher.js";
import { dataKeysFromEnv } from "./persistence/dataKeys.js";

/** Every HUB_* variable the hub reads (docs/CONFIGURATION.md). */
export const HUB_VARIABLES = [
  "HUB_AGENCIES_FILE",
  "HUB_ASSISTANCE_REPORT_CHECK_MS",
  "HUB_AUDIT_ARCHIVE_DIR",
  "HUB_AUDIT_RETENTION_DAYS",
  "HUB_AUDIT_WITNESS_FILE",
  "HUB_AUDIT_WITNESS_INTERVAL_MS",
  "HUB_BACKOFF_FIRST_MS",
  "HUB_BACKOFF_MAX_MS",
  "HUB_CONCLUSION_WATCH_INTERVAL_MS",
  "HUB_COURT_DIRECTORY_FILE",
  "HUB_DATA_DIR",
  "HUB_DATA_KEYS",
  "HUB_DATA_KEY_FILE",
  "HUB_DB_POOL_SIZE",
  "HUB_DELEGATION_DEADLINES_FILE",
  "HUB_DELEGATION_MAX_DOCUMENTS",
  "HUB_DELEGATION_MAX_DOCUMENT_BYTES",
  "HUB_DELEGATION_REMINDER_HOURS",
  "HUB_EXCHANGE_RETENTION_DAYS",
  "HUB_HEADERS_TIMEOUT_MS",
  "HUB_GRAPHIQL",
  "HUB_ID",
  "HUB_INSTANCE_ID",
  "HUB_JWT_ALGORITHMS",
  "HUB_JWT_AUDIENCE",
  "HUB_JWT_ISSUER",
  "HUB_JWT_JWKS_FILE",
  "HUB_JWT_JWKS_URL",
  "HUB_JWT_MAX_LIFETIME_SECONDS",
  "HUB_JWT_PUBLIC_KEY_FILE",
  "HUB_LEASE_MS",
  "HUB_LISTEN_DATABASE_URL",
  "HUB_MAX_ALIASES",
  "HUB_MAX_DEBTORS_PER_CASE",
  "HUB_MAX_DIRECTIVES",
  "HUB_MAX_ENTITY_REPRESENTATIONS",
  "HUB_MAX_MUTATION_FIELDS",
  "HUB_MAX_PAYLOAD_BYTES",
  "HUB_MAX_QUERY_COST",
  "HUB_MAX_QUERY_DEPTH",
  "HUB_MAX_QUERY_TOKENS",
  "HUB_METRICS_OPEN",
  "HUB_OUTBOUND_ALLOW",
  "HUB_PEERS_FILE",
  "HUB_PEER_HOST",
  "HUB_PEER_PORT",
  "HUB_PEER_TLS_CA",
  "HUB_PEER_TLS_CERT",
  "HUB_PEER_TLS_KEY",
  "HUB_PUBLIC_URL",
  "HUB_REPLY_RETENTION_DAYS",
  "HUB_RATE_LIMIT_REQUESTS",
  "HUB_RATE_LIMIT_WINDOW_SECONDS",
  "HUB_REQUEST_TIMEOUT_MS",
  "HUB_SANCTION_BATCH_SIZE",
  "HUB_SANCTION_DB_POOL_SIZE",
  "HUB_SANCTION_LEASE_MS",
  "HUB_SM2_KEY_FILE",
  "HUB_SM2_SIGNER_ID",
  "HUB_UNCONFIRMED_GIVE_UP_DAYS",
] as const;

const deadlinesSchema = z.partialRecord(
  z.enum(DELEGATED_TASK_KINDS),
  z.strictObject({ acceptWithinDays: positive.optional(), completeWithinDays: positive.optional(), source: z.string().min(1).optional() }),
);

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
  /** HUB_LISTEN_DATABASE_URL: a direct connection for LISTEN when DATABASE_URL goes through a transaction pooler. */
  listenDatabaseUrl?: string;
  /**
   * HUB_LEASE_MS: how long an instance holds an agency request it is working on
   * (default 60 s). A crashed instance's requests are taken over once it runs
   * out, so shorter means faster recovery; it must still exceed the longest
   * exchange with an agency, quick retries included, or a live instance's work
   * is resent by another (harmless to agencies, which deduplicate by key, but wasteful).
   */
  leaseMs?: number;
  /**
   * HUB_BACKOFF_FIRST_MS, HUB_BACKOFF_MAX_MS: the longest wait after an agency request's first round without an answer
   * (default 1 s), doubling each round up to the second (default 5 min); also the pace at which an unconfirmed
   * measure's agency is asked again. Only the settings given.
   */
  backoff?: { firstMs?: number; maxMs?: number };
  /**
   * HUB_UNCONFIRMED_GIVE_UP_DAYS: how long after its deadline an unconfirmed measure's agency is still asked about it
   * (default 30); then the lookups stop and the measure is flagged for a supervisor, never failed (the agency may hold it).
   */
  unconfirmedGiveUpDays?: number;
  /** HUB_ID: this hub's name to its peer hubs and in the court directory; required with HUB_PEERS_FILE. */
  hubId?: string;
  /** HUB_PEERS_FILE: the peer hubs (gateway/peering/peerRegistry.ts); unset = no hub-to-hub messaging. */
  peersFile?: string;
  /** HUB_EXCHANGE_RETENTION_DAYS: how long finished exchanges with peer hubs are kept (default 180, local policy). */
  exchangeRetentionDays?: number;
  /** HUB_REPLY_RETENTION_DAYS: how long raw agency replies are kept (default 365, local policy). */
  replyRetentionDays?: number;
  /** HUB_DATA_KEY_FILE or HUB_DATA_KEYS: the keys personal data is sealed with; unset = the development keys (refused in production). */
  dataKeys?: DataKeys;
  /**
   * HUB_SM2_KEY_FILE: this hub's SM2 private key (PKCS#8 PEM), signing peer messages and list batches;
   * unset = the pair in <dataDir>/keys.
   */
  sm2KeyFile?: string;
  /** HUB_SM2_SIGNER_ID: the SM2 signer ID this hub signs with; unset = GB/T 35276's 1234567812345678. */
  sm2SignerId?: string;
  /** Delegated tasks (事项委托): directory, deadlines, reminders, document size. */
  delegation: {
    directoryFile?: string;
    deadlines?: Partial<Record<string, Partial<KindDeadline>>>;
    reminderLeadHours?: number;
    maxDocumentBytes?: number;
    /** HUB_DELEGATION_MAX_DOCUMENTS: documents sent with one task or its results. */
    maxDocumentsPerTask?: number;
  };
  /** NODE_ENV=production: the schema (introspection, SDL, field suggestions) only for callers with a valid token. */
  production: boolean;
  /** HUB_GRAPHIQL: GET /graphql in a browser serves the bundled GraphiQL; unset = on in development, off in production. */
  graphiql?: boolean;
  /** HUB_MAX_QUERY_TOKENS, HUB_MAX_QUERY_DEPTH, …: what one GraphQL operation may cost; only the settings given. */
  operationLimits: Partial<OperationLimits>;
  /** HUB_MAX_PAYLOAD_BYTES, HUB_REQUEST_TIMEOUT_MS, HUB_HEADERS_TIMEOUT_MS; only the settings given. */
  transportLimits: Partial<TransportLimits>;
  /** HUB_RATE_LIMIT_REQUESTS, HUB_RATE_LIMIT_WINDOW_SECONDS: requests per token, per instance; only the settings given. */
  rateLimits: Partial<RateLimits>;
  /** HUB_MAX_DEBTORS_PER_CASE: debtors one case may register, each starting a national inquiry. */
  maxDebtorsPerCase?: number;
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
  /** HUB_METRICS_OPEN: whether /metrics answers a scrape without a token (default: in development only). */
  metricsOpen?: boolean;
  /** OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT: where traces go; unset = no traces. */
  tracesEndpoint?: string;
  /** HUB_OUTBOUND_ALLOW: hosts and ranges endpoints may be at whatever their address (gateway/outbound/outboundPolicy.ts). */
  outboundAllow: string[];
  /** HUB_CONCLUSION_WATCH_INTERVAL_MS: how often the watch over 终本 cases looks for rounds due and answered (default 1 h). */
  conclusionWatchIntervalMs?: number;
  /** HUB_AUDIT_WITNESS_FILE, HUB_AUDIT_WITNESS_INTERVAL_MS: the append-only file the signed audit head goes to, and how often. */
  auditWitness?: { file?: string; intervalMs?: number };
  /** HUB_AUDIT_RETENTION_DAYS, HUB_AUDIT_ARCHIVE_DIR: archive sealed audit rows older than this under signed checkpoints. */
  auditArchive?: { retentionDays: number; archiveDir: string };
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  checkHubVariableNames(env, HUB_VARIABLES);
  const agenciesFile = env.HUB_AGENCIES_FILE;
  const outbound = outboundPolicyFromEnv(env);
  return {
    port: Number(env.PORT ?? 4000),
    host: env.HOST ?? "127.0.0.1",
    databaseUrl: env.DATABASE_URL || undefined,
    listenDatabaseUrl: env.HUB_LISTEN_DATABASE_URL || undefined,
    dataDir: resolve(env.HUB_DATA_DIR ?? ".hub-data"),
    publicUrl: env.HUB_PUBLIC_URL || undefined,
    agencies: agenciesFile ? readAgencyRoutesFile(agenciesFile, outbound) : undefined,
    tokenKeys: {
      jwksUrl: env.HUB_JWT_JWKS_URL ? jwksUrlFromEnv(env.HUB_JWT_JWKS_URL, outbound) : undefined,
      outbound,
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
    dbPoolSize: env.HUB_DB_POOL_SIZE ? positiveInteger("HUB_DB_POOL_SIZE", env.HUB_DB_POOL_SIZE, "connections") : undefined,
    leaseMs: env.HUB_LEASE_MS ? positiveInteger("HUB_LEASE_MS", env.HUB_LEASE_MS) : undefined,
    backoff:
      env.HUB_BACKOFF_FIRST_MS || env.HUB_BACKOFF_MAX_MS
        ? {
            ...(env.HUB_BACKOFF_FIRST_MS && { firstMs: positiveInteger("HUB_BACKOFF_FIRST_MS", env.HUB_BACKOFF_FIRST_MS) }),
            ...(env.HUB_BACKOFF_MAX_MS && { maxMs: positiveInteger("HUB_BACKOFF_MAX_MS", env.HUB_BACKOFF_MAX_MS) }),
          }
        : undefined,
    unconfirmedGiveUpDays: env.HUB_UNCONFIRMED_GIVE_UP_DAYS
      ? positiveInteger("HUB_UNCONFIRMED_GIVE_UP_DAYS", env.HUB_UNCONFIRMED_GIVE_UP_DAYS, "days")
      : undefined,
    hubId: env.HUB_ID || undefined,
    peersFile: env.HUB_PEERS_FILE || undefined,
    exchangeRetentionDays: env.HUB_EXCHANGE_RETENTION_DAYS
      ? positiveInteger("HUB_EXCHANGE_RETENTION_DAYS", env.HUB_EXCHANGE_RETENTION_DAYS, "days")
      : undefined,
    replyRetentionDays: env.HUB_REPLY_RETENTION_DAYS
      ? positiveInteger("HUB_REPLY_RETENTION_DAYS", env.HUB_REPLY_RETENTION_DAYS, "days")
      : undefined,
    dataKeys: dataKeysFromEnv(env),
    sm2KeyFile: env.HUB_SM2_KEY_FILE || undefined,
    sm2SignerId: env.HUB_SM2_SIGNER_ID || undefined,
    delegation: {
      directoryFile: env.HUB_COURT_DIRECTORY_FILE || undefined,
      deadlines: env.HUB_DELEGATION_DEADLINES_FILE
        ? (readConfigFile(env.HUB_DELEGATION_DEADLINES_FILE, deadlinesSchema) as Partial<Record<string, Partial<KindDeadline>>>)
        : undefined,
      reminderLeadHours: env.HUB_DELEGATION_REMINDER_HOURS
        ? positiveInteger("HUB_DELEGATION_REMINDER_HOURS", env.HUB_DELEGATION_REMINDER_HOURS, "hours")
        : undefined,
      maxDocumentBytes: env.HUB_DELEGATION_MAX_DOCUMENT_BYTES
        ? positiveInteger("HUB_DELEGATION_MAX_DOCUMENT_BYTES", env.HUB_DELEGATION_MAX_DOCUMENT_BYTES, "bytes")
        : undefined,
      maxDocumentsPerTask: env.HUB_DELEGATION_MAX_DOCUMENTS
        ? positiveInteger("HUB_DELEGATION_MAX_DOCUMENTS", env.HUB_DELEGATION_MAX_DOCUMENTS, "documents")
        : undefined,
    },
    production: env.NODE_ENV === "production",
    graphiql: env.HUB_GRAPHIQL ? switchVariable("HUB_GRAPHIQL", env.HUB_GRAPHIQL) : undefined,
    operationLimits: given(env, {
      maxTokens: ["HUB_MAX_QUERY_TOKENS", "tokens"],
      maxDepth: ["HUB_MAX_QUERY_DEPTH", "levels"],
      maxAliases: ["HUB_MAX_ALIASES", "aliases"],
      maxCost: ["HUB_MAX_QUERY_COST", "cost points"],
      maxDirectives: ["HUB_MAX_DIRECTIVES", "directives"],
      maxMutationFields: ["HUB_MAX_MUTATION_FIELDS", "fields"],
      maxEntityRepresentations: ["HUB_MAX_ENTITY_REPRESENTATIONS", "representations"],
    }),
    transportLimits: given(env, {
      maxPayloadBytes: ["HUB_MAX_PAYLOAD_BYTES", "bytes"],
      requestTimeoutMs: ["HUB_REQUEST_TIMEOUT_MS", "milliseconds"],
      headersTimeoutMs: ["HUB_HEADERS_TIMEOUT_MS", "milliseconds"],
    }),
    rateLimits: given(env, {
      requests: ["HUB_RATE_LIMIT_REQUESTS", "requests"],
      windowSeconds: ["HUB_RATE_LIMIT_WINDOW_SECONDS", "seconds"],
    }),
    maxDebtorsPerCase: env.HUB_MAX_DEBTORS_PER_CASE
      ? positiveInteger("HUB_MAX_DEBTORS_PER_CASE", env.HUB_MAX_DEBTORS_PER_CASE, "debtors")
      : undefined,
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
    metricsOpen: env.HUB_METRICS_OPEN ? yesOrNo("HUB_METRICS_OPEN", env.HUB_METRICS_OPEN) : undefined,
    tracesEndpoint: tracesEndpoint(env),
    outboundAllow: outbound.allow.slice(),
    conclusionWatchIntervalMs: env.HUB_CONCLUSION_WATCH_INTERVAL_MS
      ? positiveInteger("HUB_CONCLUSION_WATCH_INTERVAL_MS", env.HUB_CONCLUSION_WATCH_INTERVAL_MS)
      : undefined,
    auditWitness: {
      file: env.HUB_AUDIT_WITNESS_FILE ? resolve(env.HUB_AUDIT_WITNESS_FILE) : undefined,
      intervalMs: env.HUB_AUDIT_WITNESS_INTERVAL_MS
        ? positiveInteger("HUB_AUDIT_WITNESS_INTERVAL_MS", env.HUB_AUDIT_WITNESS_INTERVAL_MS)
        : undefined,
    },
    auditArchive: env.HUB_AUDIT_RETENTION_DAYS
      ? {
          retentionDays: positiveInteger("HUB_AUDIT_RETENTION_DAYS", env.HUB_AUDIT_RETENTION_DAYS, "days"),
          archiveDir: resolve(env.HUB_AUDIT_ARCHIVE_DIR || join(resolve(env.HUB_DATA_DIR ?? ".hub-data"), "audit-archive")),
        }
      : undefined,
  };
}

function yesOrNo(name: string, value: string): boolean {
  if (value !== "true" && value !== "false")
    throw new ConfigError(`environment: ${name}: must be true or false, got ${JSON.stringify(value)}`);
  return value === "true";
}

/** The traces endpoint the standard OpenTelemetry variables name, if any. */
function tracesEndpoint(env: NodeJS.ProcessEnv): string | undefined {
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, "");
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (base ? `${base}/v1/traces` : undefined);
  if (endpoint !== undefined && !URL.canParse(endpoint))
    throw new ConfigError(`environment: OTEL_EXPORTER_OTLP_ENDPOINT: must be a URL, got ${JSON.stringify(endpoint)}`);
  return endpoint;
}

/** The settings whose variable is set, each a positive whole number: the hub spreads them over its defaults. */
function given<K extends string>(env: NodeJS.ProcessEnv, variables: Record<K, [name: string, unit: string]>): Partial<Record<K, number>> {
  const settings: Partial<Record<K, number>> = {};
  for (const [key, [name, unit]] of Object.entries(variables) as [K, [string, string]][]) {
    const value = env[name];
    if (value) settings[key] = positiveInteger(name, value, unit);
  }
  return settings;
}

const onOff = z.enum(["true", "false"]);

function switchVariable(name: string, value: string): boolean {
  const parsed = onOff.safeParse(value);
  if (!parsed.success) throw new ConfigError(`environment: ${name}: must be true or false, got ${JSON.stringify(value)}`);
  return parsed.data === "true";
}

function positiveInteger(name: string, value: string, unit = "milliseconds"): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed <= 0)
    throw new ConfigError(`environment: ${name}: must be a positive whole number of ${unit}, got ${JSON.stringify(value)}`);
  return parsed;
}

/** The identity provider's key set is fetched by the hub like any endpoint: held to the outbound rule (outboundPolicy.ts). */
function jwksUrlFromEnv(url: string, outbound: OutboundPolicy): string {
  const refused = endpointRefusal(url, outbound);
  if (refused) throw new ConfigError(`environment: HUB_JWT_JWKS_URL: ${refused.reason} (${refused.rule})`);
  return url;
}
