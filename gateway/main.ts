/**
 * `npm start`: one hub instance. With no agency file it also starts the sandbox
 * agencies in this process, so the first query returns realistic results.
 */
import "reflect-metadata";
import { join } from "node:path";
import { startSandbox } from "../sandbox/index.js";
import { loadOrCreateTokenKeys } from "./auth/tokenKeys.js";
import { configFromEnv } from "./config.js";
import { hubSigningKey } from "../capabilities/sanctions/delivery/batchSigner.js";
import { startHub } from "./hub.js";
import { createLogger } from "./logger.js";
import { readPeersFile } from "../capabilities/peering/peerRegistry.js";
import { sandboxRoutes } from "./routing/sandboxRoutes.js";
import { loadOrCreateHubSm2Key } from "./signing/sm2Keys.js";

const log = createLogger();
const config = configFromEnv();
const keys = await loadOrCreateTokenKeys(config.dataDir, config.jwtPublicKeyFile);
// One SM2 key is this hub's signature, on list batches to partners as on messages to peer hubs.
const sm2KeyPem = loadOrCreateHubSm2Key(config.dataDir, config.sm2KeyFile);
const peering = config.peersFile ? { privateKeyPem: sm2KeyPem, peers: readPeersFile(config.peersFile), tls: config.peerTls } : undefined;
const sanctionSigningKeyPem = sm2KeyPem;
const sandbox = config.agencies
  ? undefined
  : await startSandbox({ basePort: 0, hubPublicKeyPem: hubSigningKey(sanctionSigningKeyPem).publicKeyPem });
const agencies =
  config.agencies ??
  sandboxRoutes(Object.fromEntries(Object.entries(sandbox!.agencies).map(([kind, agency]) => [kind, agency.url])), "sandbox-secret");

const hub = await startHub({
  port: config.port,
  host: config.host,
  databaseUrl: config.databaseUrl,
  pgliteDir: config.databaseUrl ? undefined : join(config.dataDir, "pglite"),
  publicUrl: config.publicUrl,
  agencies,
  keys,
  instanceId: config.instanceId,
  hubId: config.hubId,
  dbPoolSize: config.dbPoolSize,
  dispatcher: config.leaseMs ? { leaseMs: config.leaseMs } : undefined,
  peering,
  exchangeRetention: config.exchangeRetentionDays ? { retentionDays: config.exchangeRetentionDays } : undefined,
  delegation: config.delegation,
  assistanceReportCheckMs: config.assistanceReportCheckMs,
  sanctionSigningKeyPem,
  sanctionDelivery: config.sanctionDelivery,
  sanctionDbPoolSize: config.sanctionDbPoolSize,
  log,
});
if (sandbox) log.info("sandbox agencies are running in this process; mint a token with: npm run token -- --org 豫0225 --role case-officer");
if (sandbox)
  log.info(
    { publicKey: sandbox.creditPlatformPublicKeyPem },
    "the sandbox credit platform signs its list acknowledgements with this SM2 key: register CREDIT_PLATFORM with it as publicKey",
  );

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    void hub
      .close()
      .then(() => sandbox?.close())
      .then(() => process.exit(0));
  });
}
