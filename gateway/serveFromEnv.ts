/**
 * One hub process configured from its environment (gateway/config.ts, README.md), run until
 * SIGINT or SIGTERM: what both entries share, the production one (gateway/main.ts) and the
 * development one with the sandbox agencies (sandbox/devHub.ts). Each entry says where the
 * agencies are, and what else runs beside the hub.
 */
import "reflect-metadata";
import { join } from "node:path";
import { hubSigningKey } from "../capabilities/sanctions/delivery/batchSigner.js";
import { readPeersFile } from "../capabilities/peering/peerRegistry.js";
import { peerTlsFromEnv } from "../capabilities/peering/peerTlsFromEnv.js";
import { loadOrCreateTokenKeys } from "./auth/tokenKeys.js";
import type { EnvConfig } from "./config.js";
import { startHub, type RunningHub } from "./hub.js";
import type { Logger } from "./logger.js";
import type { AgencyRoutesConfig } from "./routing/agencyRoutes.js";
import { DEFAULT_BACKOFF } from "./dispatch/retryDelay.js";
import { loadOrCreateHubSm2Key } from "./signing/sm2Keys.js";
import { DataDirInUse } from "./persistence/dataDirLock.js";
import { requireDataKeys } from "./persistence/dataKeys.js";

export interface HubEntry {
  /** The agency routes; `hubPublicKeyPem` is the SM2 key the hub signs list batches with. */
  agencies(hubPublicKeyPem: string): Promise<AgencyRoutesConfig>;
  /** Once the hub is ready. */
  started?(): void;
  /** Once the hub has stopped, before the process exits. */
  close?(): Promise<void>;
}

export async function serveFromEnv(config: EnvConfig, entry: HubEntry, log: Logger): Promise<RunningHub> {
  const dataKeys = requireDataKeys(config.dataKeys, config.production);
  const peerTls = peerTlsFromEnv(process.env);
  const keys = await loadOrCreateTokenKeys(config.dataDir, config.tokenKeys);
  // One SM2 key is this hub's signature, on list batches to partners as on messages to peer hubs.
  const sm2KeyPem = loadOrCreateHubSm2Key(config.dataDir, config.sm2KeyFile);
  const signerId = config.sm2SignerId;
  const peering = config.peersFile
    ? {
        privateKeyPem: sm2KeyPem,
        signerId,
        peers: readPeersFile(config.peersFile, { development: !config.production, allow: config.outboundAllow }),
        tls: peerTls,
      }
    : undefined;
  const agencies = await entry.agencies(hubSigningKey(sm2KeyPem, signerId).publicKeyPem);

  const hub = await startHub({
    port: config.port,
    host: config.host,
    databaseUrl: config.databaseUrl,
    pgliteDir: config.databaseUrl ? undefined : join(config.dataDir, "pglite"),
    publicUrl: config.publicUrl,
    agencies,
    keys,
    tokenPolicy: config.tokenPolicy,
    instanceId: config.instanceId,
    hubId: config.hubId,
    dbPoolSize: config.dbPoolSize,
    listenDatabaseUrl: config.listenDatabaseUrl,
    dispatcher: {
      ...(config.leaseMs && { leaseMs: config.leaseMs }),
      ...(config.backoff && { backoff: { ...DEFAULT_BACKOFF, ...config.backoff } }),
      ...(config.unconfirmedGiveUpDays && { unconfirmedGiveUpMs: config.unconfirmedGiveUpDays * 86_400_000 }),
    },
    peering,
    exchangeRetention: {
      ...(config.exchangeRetentionDays && { retentionDays: config.exchangeRetentionDays }),
      ...(config.replyRetentionDays && { replyRetentionDays: config.replyRetentionDays }),
    },
    dataKeys,
    delegation: config.delegation,
    assistanceReportCheckMs: config.assistanceReportCheckMs,
    sanctionSigningKeyPem: sm2KeyPem,
    sanctionSignerId: signerId,
    sanctionDelivery: config.sanctionDelivery,
    sanctionDbPoolSize: config.sanctionDbPoolSize,
    production: config.production,
    graphiql: config.graphiql,
    operationLimits: config.operationLimits,
    transportLimits: config.transportLimits,
    rateLimits: config.rateLimits,
    maxDebtorsPerCase: config.maxDebtorsPerCase,
    metricsOpen: config.metricsOpen,
    tracesEndpoint: config.tracesEndpoint,
    outboundAllow: config.outboundAllow,
    conclusionWatchIntervalMs: config.conclusionWatchIntervalMs,
    auditWitness: config.auditWitness,
    auditArchive: config.auditArchive,
    log,
  }).catch((error: unknown) => {
    // Another hub holds the PGlite folder: say so plainly rather than with a stack.
    if (!(error instanceof DataDirInUse)) throw error;
    log.fatal(error.message);
    process.exit(1);
  });
  entry.started?.();

  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, "shutting down");
      void hub
        .close()
        .then(() => entry.close?.())
        .then(() => process.exit(0));
    });
  }
  return hub;
}
