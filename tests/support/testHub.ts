/**
 * A whole hub for a test: real sandbox agencies on ephemeral ports, a real
 * database (PGlite, or a fresh PostgreSQL database when DATABASE_URL is set),
 * and real GraphQL clients over HTTP and WebSocket.
 */
import { generateKeyPair } from "jose";
import { Agent } from "undici";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { issueToken } from "../../gateway/auth/tokens.js";
import type { Role } from "../../gateway/auth/principal.js";
import type { TokenKeys } from "../../gateway/auth/tokenKeys.js";
import { generateSm2KeyPair } from "../../gateway/signing/sm2Keys.js";
import { startHub, type HubConfig, type RunningHub } from "../../gateway/hub.js";
import { createLogger, type Logger } from "../../gateway/logger.js";
import { sandboxRoutes } from "../../gateway/routing/sandboxRoutes.js";
import { DEFAULT_SANDBOX_SECRET, startSandbox, type Sandbox, type SandboxKnobs } from "../../sandbox/index.js";
import type { AgencyKind } from "../../connectors/connector.js";
import { createTestDatabase, type TestDatabase } from "./testDatabase.js";

export interface GraphQLResult<T = any> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, any> }[];
}

export interface TestHub {
  hub: RunningHub;
  sandbox: Sandbox;
  keys: TokenKeys;
  /** The hub's SM2 key pair that signs list batches (PEM), for sandbox partners to verify with. */
  sanctionKey: { privateKeyPem: string; publicKeyPem: string };
  graphqlUrl: string;
  token(org: string, roles?: Role[], officer?: string): Promise<string>;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>>;
  ws(token?: string): Client;
  close(): Promise<void>;
}

export interface TestHubOptions {
  knobs?: Partial<Record<AgencyKind, Partial<SandboxKnobs>>>;
  /** Where the hub finds an agency instead of its sandbox (a closed port: the agency refuses connections). */
  agencyUrls?: Partial<Record<AgencyKind, string>>;
  /** The hub's clock for legal dates; move it to test expiry and lapse without sleeping. */
  clock?: () => Date;
  /** The sandbox registries' clock (when their measures lapse); default the real time. */
  registryClock?: () => Date;
  dispatcher?: HubConfig["dispatcher"];
  requestTimeoutMs?: number;
  /** Sockets to each agency endpoint (default the transport's); 1 makes requests queue for the connection. */
  agencyConnections?: number;
  answerWithinMs?: number;
  /** Submissions of one request before it is FAILED (default 8). */
  maxAttempts?: number;
  /** Share a database (and sandbox) with another hub, to run several instances. */
  database?: TestDatabase;
  sandbox?: Sandbox;
  keys?: TokenKeys;
  /** This hub's name, to its peers and in the court directory (required with peering). */
  hubId?: string;
  /** Hub-to-hub messaging (gateway/peering). */
  peering?: HubConfig["peering"];
  /** Delegated tasks: deadlines, reminder lead, document size limit. */
  delegation?: HubConfig["delegation"];
  /** The address the hub gives agencies to call back; default its own. */
  publicUrl?: string;
  /** How long police assistance may stay accepted without a report before the hub asks the police. */
  assistanceReportCheckMs?: number;
  /** Where the hub logs; default: nothing, or stdout at TEST_LOG_LEVEL. */
  log?: Logger;
  sanctionDelivery?: HubConfig["sanctionDelivery"];
  /** Share the list-signing key with another hub instance. */
  sanctionKey?: { privateKeyPem: string; publicKeyPem: string };
  /** Production mode: the schema only for callers with a valid token, endpoints https:// and public. */
  production?: boolean;
  /** The keys personal data is sealed with; default the development keys. */
  dataKeys?: HubConfig["dataKeys"];
  /** A PGlite folder, for a hub restarted on the same data; default in memory (or DATABASE_URL's server). */
  pgliteDir?: string;
  /** Whether /metrics needs no token; default: outside production only. */
  metricsOpen?: boolean;
  /** Where OpenTelemetry traces go. */
  tracesEndpoint?: string;
  /** HUB_OUTBOUND_ALLOW; default in production 127.0.0.1, where the sandbox agencies are. */
  outboundAllow?: string[];
  /** Per-token request rates (HUB_RATE_*). */
  rateLimits?: HubConfig["rateLimits"];
  /** Body and message size and client timeouts (HUB_MAX_PAYLOAD_BYTES, HUB_REQUEST_TIMEOUT_MS, HUB_HEADERS_TIMEOUT_MS). */
  transportLimits?: HubConfig["transportLimits"];
  /** GET /graphql in a browser serves GraphiQL; default on unless production. */
  graphiql?: boolean;
  /** Witnesses of the signed audit head besides peers: a file, and how often. */
  auditWitness?: HubConfig["auditWitness"];
}

/**
 * A connection per request. PGlite runs in the test's own thread, so a long statement blocks the event
 * loop; a kept-alive socket idle meanwhile may be closed by the hub's server (keepAliveTimeout) just as
 * the client reuses it, and the request fails with ECONNRESET, which a mutation cannot safely retry.
 */
const freshConnections = new Agent({ pipelining: 0 });

export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const database = options.database ?? (await createTestDatabase());
  const sanctionKey = options.sanctionKey ?? generateSm2KeyPair();
  const sandbox =
    options.sandbox ??
    (await startSandbox({ knobs: options.knobs, now: options.registryClock, hubPublicKeyPem: sanctionKey.publicKeyPem }));
  const keys = options.keys ?? (await generateKeyPair("EdDSA"));
  const roots = {
    ...Object.fromEntries(Object.entries(sandbox.agencies).map(([kind, agency]) => [kind, agency.url])),
    ...options.agencyUrls,
  };
  const hub = await startHub({
    port: 0,
    host: "127.0.0.1",
    databaseUrl: database.url,
    agencies: sandboxRoutes(roots, DEFAULT_SANDBOX_SECRET, {
      requestTimeoutMs: options.requestTimeoutMs ?? 2_000,
      answerWithinMs: options.answerWithinMs,
      maxAttempts: options.maxAttempts,
      connections: options.agencyConnections,
    }),
    keys,
    dispatcher: { sweepIntervalMs: 100, quickRetryMinMs: 20, ...options.dispatcher },
    auditSealIntervalMs: 100,
    clock: options.clock,
    hubId: options.hubId,
    peering: options.peering,
    delegation: options.delegation,
    publicUrl: options.publicUrl,
    assistanceReportCheckMs: options.assistanceReportCheckMs,
    sanctionSigningKeyPem: sanctionKey.privateKeyPem,
    sanctionDelivery: options.sanctionDelivery,
    production: options.production,
    dataKeys: options.dataKeys,
    pgliteDir: options.pgliteDir,
    metricsOpen: options.metricsOpen,
    tracesEndpoint: options.tracesEndpoint,
    outboundAllow: options.outboundAllow ?? (options.production ? ["127.0.0.1"] : undefined),
    rateLimits: options.rateLimits,
    transportLimits: options.transportLimits,
    graphiql: options.graphiql,
    auditWitness: options.auditWitness,
    log: options.log ?? createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
  });
  const graphqlUrl = `${hub.url}/graphql`;
  const clients: Client[] = [];
  return {
    hub,
    sandbox,
    keys,
    sanctionKey,
    graphqlUrl,
    token: (org, roles = ["CASE_OFFICER"], officer = `${org}-officer`) => issueToken(keys, { org, roles, officer }),
    async gql(query, variables, token) {
      const response = await fetch(graphqlUrl, {
        // @ts-expect-error undici's dispatcher option is not in the DOM fetch types
        dispatcher: freshConnections,
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResult;
    },
    ws(token) {
      const client = createClient({
        url: graphqlUrl.replace(/^http/, "ws"),
        webSocketImpl: WebSocket,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        retryAttempts: 0,
      });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((client) => client.dispose()));
      await hub.close();
      if (!options.sandbox) await sandbox.close();
      if (!options.database) await database.drop();
    },
  };
}

export interface Collected<T> {
  events: T[];
  errors: unknown[];
  stop(): void;
}

/** Subscribes and keeps every event of `field` (and every error) as it arrives, for tests to wait on. */
export function collect<T>(client: Client, query: string, field: string, variables?: Record<string, unknown>): Collected<T> {
  const collected: Collected<T> = { events: [], errors: [], stop: () => undefined };
  collected.stop = client.subscribe<any>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) collected.errors.push(...result.errors);
        if (result.data?.[field]) collected.events.push(result.data[field]);
      },
      error: (error) => collected.errors.push(error),
      complete: () => undefined,
    },
  );
  return collected;
}

/** Polls a GraphQL query until `done` holds, for results that arrive asynchronously. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const REGISTER_CASE = `mutation Register($input: RegisterCaseInput!) {
  registerCase(input: $input) { created case { id caseNumber courtCode divisionCode claimAmount debtors { id kind idNumber name sex
    birthDate } } }
}`;

export const CASE_INQUIRIES = `query CaseInquiries($caseNumber: String!) {
  case(caseNumber: $caseNumber) {
    id
    inquiries(first: 50) { edges { node { id trigger channel complete openParts
      parts { id agency endpoint status attempts error ticket replyDigest
        assets { __typename id identifier description estimatedValue
          ... on RealEstateAsset { certificateNumber address }
          ... on VehicleAsset { plateNumber vin }
          ... on EquityAsset { companyName uscc sharePercent paidCapital }
          ... on IncomeSource { incomeKind payerName payerCode monthlyAmount }
          ... on ProvidentFundAccountAsset { accountNumber centre balance withdrawalGround }
          ... on PaymentAccountAsset { accountNumber institution balance } }
        identity { name } tax { registered refundsDue } credit { sanctions { list } }
        marriages { kind registeredOn spouseName spouseIdNumber } } } } }
  }
}`;
