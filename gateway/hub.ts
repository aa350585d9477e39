/**
 * Assembles one hub instance: database, agency routes and connectors, the
 * dispatcher, the audit sealer, the GraphQL schema and the HTTP server. Used by
 * `npm start`, by the tests and by the benchmarks, so all three run the same hub.
 */
import type { HttpExchange } from "../connectors/transport.js";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { AddressInfo } from "node:net";
import { connectors as defaultConnectors } from "../connectors/registry.js";
import type { AgencyConnector, AgencyKind } from "../connectors/connector.js";
import { buildHubSchema } from "../schema/buildHubSchema.js";
import { AuditSealer, DEFAULT_AUDIT_SEALER } from "./audit/auditSealer.js";
import { AuditWitness, DEFAULT_AUDIT_WITNESS, FileWitness } from "./audit/auditWitness.js";
import { AuditArchiver, type AuditArchiveOptions } from "./audit/auditArchive.js";
import { tokenAuthenticator } from "./auth/authenticate.js";
import { HUB_ORG } from "./auth/principal.js";
import type { TokenKeys } from "./auth/tokenKeys.js";
import { CaseRegistry, DEFAULT_MAX_DEBTORS_PER_CASE } from "../capabilities/cases/caseRegistry.js";
import { CaseResumption } from "../capabilities/cases/caseResumption.js";
import { PreservationCarryOver } from "../capabilities/cases/preservationCarryOver.js";
import { CaseSteps } from "../capabilities/cases/caseSteps.js";
import { CaseClaims } from "../capabilities/cases/caseClaim.js";
import { DEFAULT_TOKEN_POLICY, type TokenPolicy } from "./auth/tokenPolicy.js";
import { CourtDirectory } from "../directory/courtDirectory.js";
import { DEFAULT_DEADLINE_WATCH, DelegationDeadlineWatch } from "../capabilities/delegation/deadlineWatch.js";
import { DelegationService } from "../capabilities/delegation/delegationService.js";
import { DEFAULT_MAX_DOCUMENT_BYTES, DEFAULT_MAX_DOCUMENTS } from "../capabilities/delegation/taskDocuments.js";
import { DEFAULT_REMINDER_LEAD_HOURS, deadlinePolicy, type KindDeadline } from "../domain/delegation/deadlines.js";
import { AgencyRequestStore } from "./dispatch/agencyRequestStore.js";
import { Dispatcher, type DispatcherOptions } from "./dispatch/dispatcher.js";
import { HubEvents } from "./events/hubEvents.js";
import { agencyCallbackRoute } from "./http/agencyCallbacks.js";
import { createHubServer, DEFAULT_TRANSPORT_LIMITS, type TransportLimits } from "./http/hubServer.js";
import { readinessProbe } from "./http/readiness.js";
import { consoleRoutes } from "./http/staticAssets.js";
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from "./http/operationLimits.js";
import { agencyCallbackRates, DEFAULT_RATE_LIMITS, type RateLimits } from "./http/requestRates.js";
import { createLoaders, type HubContext, type HubServices } from "../schema/context.js";
import { auditHeadRoute, peerMessageRoute, witnessedHeadsRoute } from "../capabilities/peering/peerMessageRoute.js";
import { startPeerServer, type PeerServer } from "../capabilities/peering/peerServer.js";
import { InquiryService } from "../capabilities/inquiry/inquiryService.js";
import { inquiryOperation } from "../capabilities/inquiry/inquiryOperation.js";
import { assistanceOperation } from "../capabilities/assistance/assistanceOperation.js";
import { AssistanceReports, DEFAULT_ASSISTANCE_REPORTS } from "../capabilities/assistance/assistanceReports.js";
import { PoliceAssistanceService } from "../capabilities/assistance/policeAssistanceService.js";
import { AssistanceRequestStore } from "../capabilities/assistance/policeAssistanceStore.js";
import { controlOperation } from "../capabilities/measures/controlOperation.js";
import { DEFAULT_EXPIRY_WATCH, ExpiryWatch } from "../capabilities/measures/expiryWatch.js";
import { ConclusionWatch, DEFAULT_CONCLUSION_WATCH } from "../capabilities/cases/conclusionWatch.js";
import { HeldReleases } from "../capabilities/measures/heldReleases.js";
import { MeasureReports } from "../capabilities/measures/measureReports.js";
import { MeasureService } from "../capabilities/measures/measureService.js";
import { MEASURE_FINISHING } from "../capabilities/measures/measureStore.js";
import { PeerMessaging, type PeeringConfig } from "../capabilities/peering/peerMessaging.js";
import { DEFAULT_EXCHANGE_RETENTION, ExchangeRetention, type ExchangeRetentionOptions } from "../capabilities/peering/exchangeRetention.js";
import { createLogger, type Logger } from "./logger.js";
import { hubSigningKey } from "../capabilities/sanctions/delivery/batchSigner.js";
import { generateSm2KeyPair } from "./signing/sm2Keys.js";
import { LiveFeed } from "../capabilities/sanctions/delivery/liveFeed.js";
import { PullFeed } from "../capabilities/sanctions/delivery/pullFeed.js";
import { DEFAULT_PUSH_OPTIONS, PushDelivery, type PushDeliveryOptions } from "../capabilities/sanctions/delivery/pushDelivery.js";
import { PartnerActivation } from "../capabilities/sanctions/partners/partnerActivation.js";
import { PartnerRegistry } from "../capabilities/sanctions/partners/partnerRegistry.js";
import { SanctionService } from "../capabilities/sanctions/sanctionService.js";
import { DEFAULT_ENTRY_EXPIRY, EntryExpiry } from "../capabilities/sanctions/entryExpiry.js";
import { ListChanges } from "../capabilities/sanctions/delivery/listChanges.js";
import { SupervisionService } from "../capabilities/supervision/supervisionService.js";
import { openDatabase, type Database } from "./persistence/database.js";
import { HubMetrics } from "./telemetry/metrics.js";
import { metricsRoute } from "./telemetry/metricsRoute.js";
import { telemetryPlugin } from "./telemetry/telemetryPlugin.js";
import { startTracing } from "./telemetry/tracing.js";
import { listenHearsNotify } from "./persistence/listenProbe.js";
import { AgencyRoutes, type AgencyRoutesConfig } from "./routing/agencyRoutes.js";
import type { OutboundPolicy } from "./outbound/outboundPolicy.js";
import type { Worker } from "./workers/worker.js";
import { DataKeyRotation, sealPlainAtStart } from "./persistence/dataAtRest.js";
import { developmentDataKeys, useDataKeys, type DataKeys } from "./persistence/dataCipher.js";

export interface HubConfig {
  port: number;
  host: string;
  databaseUrl?: string;
  /** PGlite folder when no databaseUrl; omitted = in memory. */
  pgliteDir?: string;
  /** Address agencies use to call back; default http://<host>:<port>. */
  publicUrl?: string;
  agencies: AgencyRoutesConfig;
  /** The HTTP client of agency exchanges; default undici's `request` (connectors/transport.ts). Benchmarks compare others. */
  agencyExchange?: HttpExchange;
  keys: TokenKeys;
  /** What bearer tokens must satisfy besides their signature; default DEFAULT_TOKEN_POLICY. */
  tokenPolicy?: TokenPolicy;
  instanceId?: string;
  /**
   * This hub's name (HUB_ID): to its peer hubs, and in the court directory's `hub` fields.
   * Required with `peering`; unset without it, the hub serves every court listed.
   */
  hubId?: string;
  dispatcher?: Partial<Omit<DispatcherOptions, "instanceId" | "callbackBaseUrl">>;
  auditSealIntervalMs?: number;
  /**
   * Witnesses of the signed audit head besides the peer hubs (gateway/audit/auditWitness.ts): `file`
   * (HUB_AUDIT_WITNESS_FILE), and how often (HUB_AUDIT_WITNESS_INTERVAL_MS, default 60 s).
   */
  auditWitness?: { file?: string; intervalMs?: number };
  /** Archiving sealed audit rows under signed checkpoints (HUB_AUDIT_RETENTION_DAYS); omitted = rows are kept. */
  auditArchive?: Omit<AuditArchiveOptions, "intervalMs"> & { intervalMs?: number };
  /** How often the expiry watch looks for lapsed and expiring measures. */
  expiryWatchIntervalMs?: number;
  /** How long police assistance may stay accepted without a report before the police are asked for it (also how often to look). */
  assistanceReportCheckMs?: number;
  /** How often the watch over 终本 cases looks for re-inquiries due and answered. */
  conclusionWatchIntervalMs?: number;
  /** The hub's clock for legal dates (periods, expiry); tests inject one to move time. */
  clock?: () => Date;
  /** Basis points over claim plus costs before an order counts as over-seizure; local policy. */
  overSeizureToleranceBasisPoints?: number;
  /** Delegated tasks (事项委托); every field has a default. */
  delegation?: {
    /** The court directory; default directory/courts.json. */
    directoryFile?: string;
    /** Per kind, replacing the defaults of domain/delegation/deadlines.ts; each with its source. */
    deadlines?: Partial<Record<string, Partial<KindDeadline>>>;
    reminderLeadHours?: number;
    maxDocumentBytes?: number;
    /** Documents with one task or its results (capabilities/delegation/taskDocuments.ts, DEFAULT_MAX_DOCUMENTS). */
    maxDocumentsPerTask?: number;
    /** How often reminders and overdue notices are looked for. */
    watchIntervalMs?: number;
  };
  dbPoolSize?: number;
  /** The LISTEN connection's own address (a direct one past a transaction pooler); default databaseUrl. */
  listenDatabaseUrl?: string;
  /** The hub's SM2 private key (PKCS#8 PEM or 64 hex) that signs list batches; every instance needs the same. Default: a fresh one. */
  sanctionSigningKeyPem?: string;
  /** The signer ID the hub signs list batches with (HUB_SM2_SIGNER_ID); @default "1234567812345678" (GB/T 35276) */
  sanctionSignerId?: string;
  sanctionDelivery?: Partial<Omit<PushDeliveryOptions, "instanceId">>;
  /** PostgreSQL connections of list delivery's own pool (default 2); on PGlite it shares the one connection. */
  sanctionDbPoolSize?: number;
  connectors?: Record<AgencyKind, AgencyConnector>;
  /** Messaging with the hubs of other provinces; omitted = this hub has no peers. */
  peering?: PeeringConfig;
  /** How long finished exchanges with peer hubs and raw agency replies are kept (capabilities/peering/exchangeRetention.ts). */
  exchangeRetention?: Partial<ExchangeRetentionOptions>;
  /** The keys personal data and secrets are sealed with (HUB_DATA_KEY_FILE, HUB_DATA_KEYS); default: the development keys. */
  dataKeys?: DataKeys;
  /** Production mode (NODE_ENV=production): the schema is shown only to callers with a valid token. */
  production?: boolean;
  /** What one GraphQL operation may cost, over DEFAULT_OPERATION_LIMITS (gateway/http/operationLimits.ts). */
  operationLimits?: Partial<OperationLimits>;
  /** Body and message size and client timeouts, over DEFAULT_TRANSPORT_LIMITS (gateway/http/hubServer.ts). */
  transportLimits?: Partial<TransportLimits>;
  /** GET /graphql in a browser serves the bundled GraphiQL (HUB_GRAPHIQL); default: on unless production. */
  graphiql?: boolean;
  /** Debtors one case may register (capabilities/cases/caseInput.ts, DEFAULT_MAX_DEBTORS_PER_CASE). */
  maxDebtorsPerCase?: number;
  /** Whether /metrics answers without an operator's token; default: outside production only. */
  metricsOpen?: boolean;
  /** Where OpenTelemetry traces go (OTLP over HTTP); omitted = no traces. */
  tracesEndpoint?: string;
  /** Requests per token, over DEFAULT_RATE_LIMITS (gateway/http/requestRates.ts). */
  rateLimits?: Partial<RateLimits>;
  /** HUB_OUTBOUND_ALLOW: hosts and ranges reached whatever their address (gateway/outbound/outboundPolicy.ts). */
  outboundAllow?: string[];
  log?: Logger;
}

export interface RunningHub {
  url: string;
  port: number;
  instanceId: string;
  db: Database;
  dispatcher: Dispatcher;
  expiryWatch: ExpiryWatch;
  conclusionWatch: ConclusionWatch;
  /** Present when the hub was given a peering configuration. */
  peering?: PeerMessaging;
  /** The HTTPS peer port's address, when peering uses mutual TLS. */
  peerUrl?: string;
  exchangeRetention: ExchangeRetention;
  delegationWatch: DelegationDeadlineWatch;
  sanctions: SanctionService;
  pushDelivery: PushDelivery;
  /** Seals pending audit rows now (tests, shutdown). */
  sealAudit(): Promise<number>;
  /** Signs the audit head and hands it to the witnesses now; undefined without witnesses or sealed rows. */
  witnessAudit(): Promise<unknown>;
  /** Present with `auditArchive`: archives what the retention allows now. */
  auditArchiver?: AuditArchiver;
  close(): Promise<void>;
}

export async function startHub(config: HubConfig): Promise<RunningHub> {
  // A default name would let two hubs call themselves the same to their peers.
  if (config.peering && !config.hubId) throw new Error("peering needs hubId (HUB_ID) to name this hub to its peers");
  const log = config.log ?? createLogger();
  const instanceId = config.instanceId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const cipher = useDataKeys(config.dataKeys ?? developmentDataKeys());
  const tracing = config.tracesEndpoint
    ? startTracing({ endpoint: config.tracesEndpoint, serviceName: "enforcement-linkage-hub", instanceId })
    : undefined;
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.pgliteDir,
    poolSize: config.dbPoolSize,
    log,
    afterMigrations: (tx, applied) => sealPlainAtStart(tx, cipher, applied),
    traced: tracing !== undefined,
    listenDatabaseUrl: config.listenDatabaseUrl,
  });
  if (db.dialect === "postgres" && !(await listenHearsNotify(db))) {
    log.error("LISTEN hears no notification sent through DATABASE_URL: behind a pooler in transaction mode, set HUB_LISTEN_DATABASE_URL");
  }
  const outbound: OutboundPolicy = { development: !config.production, allow: config.outboundAllow ?? [] };
  const routes = new AgencyRoutes(config.agencies, outbound, config.agencyExchange);
  const events = new HubEvents(db);
  await events.start();
  const connectors = config.connectors ?? defaultConnectors;
  const dispatcherOptions: Omit<DispatcherOptions, "callbackBaseUrl"> = {
    instanceId,
    leaseMs: 60_000,
    sweepIntervalMs: 250,
    maxInFlight: 512,
    quickRetries: 2,
    quickRetryMinMs: 100,
    ...config.dispatcher,
  };
  // The callback address needs the port, known only once listening; the dispatcher reads it lazily.
  const callback = { baseUrl: "" };
  // Control requests change their measure in the statement that finishes them.
  const agencyRequests = new AgencyRequestStore(db.sql, MEASURE_FINISHING);
  const metrics = new HubMetrics({
    sql: db.sql,
    poolUse: () => db.poolUse(),
    // Read as the hub's operator: the figures are the partners' lag, never a debtor.
    partnerDeliveries: async () =>
      (await partners.lag({ principal: { org: HUB_ORG, roles: ["OPERATOR"], officer: "metrics" } })).map((lag) => ({
        partner: lag.partner.code,
        backlog: lag.backlog,
        dead: lag.dead,
        oldestUnacknowledged: lag.oldestUnacknowledged,
      })),
  });
  const dispatcher = new Dispatcher(
    { store: agencyRequests, routes, connectors, log, observer: metrics, clock: config.clock },
    {
      ...dispatcherOptions,
      get callbackBaseUrl() {
        return callback.baseUrl;
      },
    },
  );
  dispatcher.register(inquiryOperation({ store: agencyRequests, events }));
  dispatcher.register(controlOperation({ sql: db.sql, store: agencyRequests, events }));
  dispatcher.register(assistanceOperation({ store: new AssistanceRequestStore({ sql: db.sql, events }) }));
  const inquiries = new InquiryService({
    sql: db.sql,
    routes,
    dispatcher,
    events,
    lease: { owner: instanceId, leaseMs: dispatcherOptions.leaseMs },
  });
  const cases = new CaseRegistry({ sql: db.sql, inquiries, maxDebtors: config.maxDebtorsPerCase ?? DEFAULT_MAX_DEBTORS_PER_CASE });
  const clock = config.clock ?? (() => new Date());
  const lease = { owner: instanceId, leaseMs: dispatcherOptions.leaseMs };
  const measures = new MeasureService({
    sql: db.sql,
    routes,
    connectors,
    dispatcher,
    lease,
    clock,
    overSeizureToleranceBasisPoints: config.overSeizureToleranceBasisPoints,
  });
  const measureReports = new MeasureReports({ sql: db.sql, routes, connectors, events, answers: dispatcher, clock });
  const policeAssistance = new PoliceAssistanceService({ sql: db.sql, routes, dispatcher, lease, clock });
  const assistanceReports = new AssistanceReports(
    { sql: db.sql, routes, connectors, events, log },
    { checkAfterMs: config.assistanceReportCheckMs ?? DEFAULT_ASSISTANCE_REPORTS.checkAfterMs },
  );
  const expiryWatch = new ExpiryWatch(
    { sql: db.sql, events, clock, log },
    { intervalMs: config.expiryWatchIntervalMs ?? DEFAULT_EXPIRY_WATCH.intervalMs },
  );
  const conclusionWatch = new ConclusionWatch(
    { sql: db.sql, inquiries, events, clock, log, instanceId },
    { intervalMs: config.conclusionWatchIntervalMs ?? DEFAULT_CONCLUSION_WATCH.intervalMs },
  );
  const exchangeRetention = new ExchangeRetention(
    { sql: db.sql, clock, log },
    { ...DEFAULT_EXCHANGE_RETENTION, ...config.exchangeRetention },
  );
  const peering = config.peering && new PeerMessaging({ sql: db.sql, log, instanceId, hubId: config.hubId!, outbound }, config.peering);
  const directory = CourtDirectory.load(config.delegation?.directoryFile);
  const delegationDeadlines = deadlinePolicy(config.delegation?.deadlines);
  const delegation = new DelegationService({
    sql: db.sql,
    directory,
    events,
    clock,
    hubId: config.hubId,
    documentLimits: {
      maxBytes: config.delegation?.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES,
      maxCount: config.delegation?.maxDocumentsPerTask ?? DEFAULT_MAX_DOCUMENTS,
    },
    peering,
    measures,
  });
  const delegationWatch = new DelegationDeadlineWatch(
    {
      sql: db.sql,
      events,
      clock,
      settings: { policy: delegationDeadlines, reminderLeadHours: config.delegation?.reminderLeadHours ?? DEFAULT_REMINDER_LEAD_HOURS },
      log,
    },
    { intervalMs: config.delegation?.watchIntervalMs ?? DEFAULT_DEADLINE_WATCH.intervalMs },
  );
  const heldReleases = new HeldReleases({ sql: db.sql, dispatcher, events, lease, log });
  const signingKey = hubSigningKey(config.sanctionSigningKeyPem ?? generateSm2KeyPair().privateKeyPem, config.sanctionSignerId);
  if (!config.sanctionSigningKeyPem)
    log.warn("no sanctionSigningKeyPem configured: list batches are signed with a key of this instance only");
  // Delivery has connections of its own: sharing the request path's pool, each claim and acknowledgement queued
  // behind the writers' transactions (docs/BENCHMARKS.md, lag). SANCTION_CHANGE_CHANNEL wakes it (listChanges).
  const pushDelivery = new PushDelivery(
    { sql: db.dedicatedSql(config.sanctionDbPoolSize ?? 2), key: signingKey, log, outbound },
    { ...DEFAULT_PUSH_OPTIONS, ...config.sanctionDelivery, instanceId },
  );
  const feed = new PullFeed({ sql: db.sql });
  const liveFeed = new LiveFeed({ feed, events });
  const listChanges = new ListChanges({ db, pushDelivery, liveFeed });
  const sanctions = new SanctionService({ sql: db.sql, clock });
  const entryExpiry = new EntryExpiry({ sanctions, log }, { intervalMs: config.expiryWatchIntervalMs ?? DEFAULT_ENTRY_EXPIRY.intervalMs });
  const auditSealer = new AuditSealer({ sql: db.sql, log }, { intervalMs: config.auditSealIntervalMs ?? DEFAULT_AUDIT_SEALER.intervalMs });
  const headWitnesses = [
    ...(config.auditWitness?.file ? [new FileWitness(config.auditWitness.file)] : []),
    ...(peering ? peering.headWitnesses() : []),
  ];
  const auditWitness =
    headWitnesses.length > 0
      ? new AuditWitness(
          {
            sql: db.sql,
            key: signingKey.privateKey,
            hubId: config.hubId ?? null,
            witnesses: headWitnesses,
            log,
            seal: () => auditSealer.sealNow(),
          },
          { intervalMs: config.auditWitness?.intervalMs ?? DEFAULT_AUDIT_WITNESS.intervalMs },
        )
      : undefined;
  const auditArchiver =
    config.auditArchive &&
    new AuditArchiver({ sql: db.sql, key: signingKey.privateKey, log, clock }, { intervalMs: 24 * 60 * 60_000, ...config.auditArchive });
  const partners = new PartnerRegistry({ sql: db.sql, outbound });
  const partnerActivation = new PartnerActivation({ sql: db.sql });
  const schema = await buildHubSchema(events.pubSub);
  const services: HubServices = {
    prisma: db.prisma,
    sql: db.sql,
    cases,
    caseSteps: new CaseSteps({ sql: db.sql, clock }),
    caseResumption: new CaseResumption({ sql: db.sql, clock }),
    caseClaims: new CaseClaims({ sql: db.sql, clock }),
    preservationCarryOver: new PreservationCarryOver({ sql: db.sql, clock }),
    inquiries,
    measures,
    policeAssistance,
    delegation,
    delegationWatch,
    delegationDeadlines,
    directory,
    sanctions,
    partners,
    feed,
    liveFeed,
    partnerActivation,
    signingKeyPem: signingKey.publicKeyPem,
    signingKey: { publicKeyHex: signingKey.privateKey.publicKeyHex, signerId: signingKey.privateKey.signerId },
    events,
    routes,
    connectors,
    clock,
    supervision: new SupervisionService({ sql: db.sql, routes, delegationWatch, clock }),
  };
  let workersRunning = false;
  const authenticate = tokenAuthenticator(config.keys, config.tokenPolicy ?? DEFAULT_TOKEN_POLICY, {
    courtScope: (org) => {
      const court = directory.court(org);
      return court && directory.courtsUnder(court);
    },
    // Operators and administrators name the hub itself.
    isKnown: async (org) =>
      org === HUB_ORG || org === config.hubId || routes.configuredKinds().includes(org as AgencyKind) || !!(await partners.find(org)),
  });
  const http = await createHubServer({
    schema,
    readiness: readinessProbe({ db, workersRunning: () => workersRunning }),
    context: (caller): HubContext => ({ caller, hub: services, loaders: createLoaders(db.prisma) }),
    routes: [
      agencyCallbackRoute({
        answers: (kind, body, headers) => dispatcher.acceptCallback(kind, body, headers),
        topics: {
          measures: (kind, body, headers) => measureReports.accept(kind, body, headers),
          assistance: (kind, body, headers) => assistanceReports.accept(kind, body, headers),
        },
        rate: agencyCallbackRates({ ...DEFAULT_RATE_LIMITS, ...config.rateLimits }),
        log,
      }),
      // With mutual TLS peers are received on the peer port only: the main port answers them 404.
      ...(peering && !config.peering?.tls ? [peerMessageRoute(peering)] : []),
      metricsRoute(metrics, authenticate, { open: config.metricsOpen ?? !config.production }),
      ...consoleRoutes(),
      ...(peering && !config.peering?.tls ? [peerMessageRoute(peering), auditHeadRoute(peering)] : []),
      ...(peering ? [witnessedHeadsRoute(peering)] : []),
    ],
    authenticate,
    plugins: [telemetryPlugin(metrics)],
    countOperation: (operationType, field, code) => metrics.operationCounted(operationType, field, code),
    log,
    guard: { limits: { ...DEFAULT_OPERATION_LIMITS, ...config.operationLimits }, production: config.production ?? false },
    transport: { ...DEFAULT_TRANSPORT_LIMITS, ...config.transportLimits },
    rates: { ...DEFAULT_RATE_LIMITS, ...config.rateLimits },
    graphiql: config.graphiql ?? !config.production,
  });
  // Started in this order, stopped in reverse. Exchange retention also removes raw agency replies past theirs.
  const workers: Worker[] = [
    new DataKeyRotation({ sql: db.sql, cipher: () => cipher, log }),
    auditSealer,
    expiryWatch,
    entryExpiry,
    delegationWatch,
    assistanceReports,
    dispatcher,
    // After the dispatcher: the rounds it starts at once are sent at once.
    conclusionWatch,
    ...(peering ? [peering] : []),
    exchangeRetention,
    heldReleases,
    listChanges,
    pushDelivery,
    ...(auditArchiver ? [auditArchiver] : []),
    // Last, so stopped first: its last head is handed on while the peer links are open (auditWitness.ts).
    ...(auditWitness ? [auditWitness] : []),
  ];
  // Every stop below is safe on a part never started: a start that fails half-way closes what it opened.
  let peerServer: PeerServer | undefined;
  const close = async () => {
    workersRunning = false;
    http.setReady(false);
    await http.close();
    await peerServer?.close();
    for (const worker of [...workers].reverse()) await worker.stop();
    await events.stop();
    await routes.close();
    await db.close();
    await tracing?.shutdown();
  };

  let url: string;
  let port: number;
  try {
    await new Promise<void>((resolve, reject) => {
      http.server.once("error", reject);
      http.server.listen(config.port, config.host, () => resolve());
    });
    port = (http.server.address() as AddressInfo).port;
    peerServer = peering && config.peering?.tls ? await startPeerServer({ peering, tls: config.peering.tls, log }) : undefined;
    url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
    callback.baseUrl = `${(config.publicUrl ?? url).replace(/\/+$/, "")}/agency-callbacks`;
    for (const worker of workers) await worker.start();
    workersRunning = true;
  } catch (error) {
    await close().catch((closing: unknown) => log.error({ err: closing }, "closing after a failed start failed"));
    throw error;
  }
  http.setReady(true);
  log.info({ url: `${url}/graphql`, peerUrl: peerServer?.url, instanceId, database: db.dialect }, "hub ready");

  return {
    url,
    port,
    instanceId,
    db,
    dispatcher,
    expiryWatch,
    conclusionWatch,
    peering,
    peerUrl: peerServer?.url,
    exchangeRetention,
    delegationWatch,
    sanctions,
    pushDelivery,
    sealAudit: () => auditSealer.sealNow(),
    witnessAudit: async () => auditWitness?.witnessNow(),
    auditArchiver,
    close,
  };
}
