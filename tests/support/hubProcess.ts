/**
 * The hub as a separate process (`node --import tsx gateway/main.ts`, or the build's `node dist/gateway/main.js`), the
 * production entry, configured only through its environment (its agencies: the
 * sandbox this test process runs, through HUB_AGENCIES_FILE), for tests
 * that kill it (crashHarness.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { loadOrCreateTokenKeys } from "../../gateway/auth/tokenKeys.js";
import type { Role } from "../../gateway/auth/principal.js";
import { issueToken } from "../../gateway/auth/tokens.js";
import { openDatabase, type Database } from "../../gateway/persistence/database.js";
import { sandboxRoutes } from "../../gateway/routing/sandboxRoutes.js";
import { DEFAULT_SANDBOX_SECRET, type Sandbox, type SandboxStats } from "../../sandbox/index.js";
import type { TestDatabase } from "./testDatabase.js";
import { caseNumber, residentId } from "./identities.js";
import { CASE_INQUIRIES, eventually, REGISTER_CASE, type GraphQLResult } from "./testHub.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

/** One run of the hub at a time; its output is kept for failure messages. */
export class HubProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  output = "";

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly name = "hub-process",
    /** What node runs: the TypeScript entry through tsx, or the build's `dist/gateway/main.js`. */
    private readonly entry: readonly string[] = ["--import", "tsx", "gateway/main.ts"],
  ) {}

  async start(label: string): Promise<void> {
    const child = spawn(process.execPath, [...this.entry], {
      cwd: REPO,
      env: { ...this.env, HUB_INSTANCE_ID: `${this.name}-${label}` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    const url = `http://127.0.0.1:${this.env.PORT}/healthz`;
    // A hub that never became ready must not outlive the test.
    await eventually(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`hub exited during start-up:\n${this.output}`);
        return fetch(url).then(
          (r) => r.status,
          () => 0,
        );
      },
      (status) => status === 200,
      // A loaded machine has been seen to take 35 s to start a hub; failing here would say nothing about durability.
      90_000,
    ).catch(async (error: unknown) => {
      await this.kill("SIGKILL");
      throw error;
    });
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** How the last run ended: its exit code, or the signal that ended it. */
  get ended(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.child && !this.running ? { code: this.child.exitCode, signal: this.child.signalCode } : undefined;
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    if (!this.running) return;
    this.child!.kill(signal);
    await this.exited;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A GraphQL-over-HTTP caller bound to a hub's address and one bearer token, set once the hub is up. */
export function graphqlCaller(target: { url: string; token: string }) {
  return async <T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>> => {
    const response = await fetch(target.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${target.token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResult<T>;
  };
}

export interface LaunchedHub {
  hub: HubProcess;
  /** http://127.0.0.1:<port>, for the routes outside GraphQL (/readyz). */
  baseUrl: string;
  /** GraphQL over HTTP as a case officer of `court`. */
  gql: ReturnType<typeof graphqlCaller>;
  /** GraphQL over HTTP as someone else (e.g. HUB_ADMIN registering partners, a SUPERVISOR watching delivery). */
  gqlAs(org: string, roles: Role[]): Promise<ReturnType<typeof graphqlCaller>>;
  /** Opens the hub's database from this process; only while the hub is stopped on PGlite (one process per folder). */
  openDatabase(): Promise<Database>;
  /** Kills the hub and removes its data folder. */
  dispose(): Promise<void>;
}

/**
 * Prepares a hub process against a sandbox and a test database, and starts it:
 * a data folder with the agency routes and the token key pair (the hub finds
 * the same pair there, so tokens minted here are accepted by every run), a free
 * port and a short lease so a killed instance's work is taken over quickly.
 */
export async function launchHubProcess(options: {
  name: string;
  sandbox: Sandbox;
  database: TestDatabase;
  court: string;
  leaseMs: number;
  /** More of the hub's environment (e.g. HUB_ASSISTANCE_REPORT_CHECK_MS). */
  env?: NodeJS.ProcessEnv;
  /** What node runs (HubProcess); default the TypeScript entry. */
  entry?: readonly string[];
}): Promise<LaunchedHub> {
  const dataDir = mkdtempSync(join(tmpdir(), `${options.name}-`));
  const agenciesFile = join(dataDir, "agencies.json");
  const roots = Object.fromEntries(Object.entries(options.sandbox.agencies).map(([kind, agency]) => [kind, agency.url]));
  writeFileSync(agenciesFile, JSON.stringify(sandboxRoutes(roots, DEFAULT_SANDBOX_SECRET, { requestTimeoutMs: 5_000 })));
  const keys = await loadOrCreateTokenKeys(dataDir);
  const token = await issueToken(keys, { org: options.court, roles: ["CASE_OFFICER"], officer: `${options.court}-officer` });
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    HUB_DATA_DIR: dataDir,
    HUB_AGENCIES_FILE: agenciesFile,
    HUB_LEASE_MS: String(options.leaseMs),
    // The sandbox agencies listen on loopback, which a production hub reaches only when allowed.
    HUB_OUTBOUND_ALLOW: "127.0.0.1",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
    ...options.env,
  };
  // PGlite keeps its files in HUB_DATA_DIR/pglite; on PostgreSQL the fresh test database holds everything.
  if (options.database.url) env.DATABASE_URL = options.database.url;
  else delete env.DATABASE_URL;
  const hub = new HubProcess(env, options.name, options.entry);
  const launched: LaunchedHub = {
    hub,
    baseUrl: `http://127.0.0.1:${port}`,
    gql: graphqlCaller({ url: `http://127.0.0.1:${port}/graphql`, token }),
    gqlAs: async (org, roles) =>
      graphqlCaller({ url: `http://127.0.0.1:${port}/graphql`, token: await issueToken(keys, { org, roles, officer: `${org}-officer` }) }),
    openDatabase: () =>
      openDatabase({ databaseUrl: options.database.url, dataDir: options.database.url ? undefined : join(dataDir, "pglite") }),
    async dispose() {
      await hub.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await hub.start("first");
  return launched;
}

/**
 * Sends a batch through `send` (true when the hub acknowledged an item) on `concurrency` workers, and
 * SIGKILLs the hub at the first submission the agency records once `killAfter` items were acknowledged:
 * the agency has executed that one (`lostReplyKey`) and the hub will never see its reply. Returns when
 * the hub is dead; `killed` is false when the batch ended first.
 */
export async function killMidBatch<T>(options: {
  hub: HubProcess;
  stats: SandboxStats;
  items: readonly T[];
  killAfter: number;
  concurrency: number;
  send(item: T): Promise<boolean>;
}): Promise<{ killed: boolean; acknowledged: Set<T>; lostReplyKey: string | undefined }> {
  const { stats } = options;
  const acknowledged = new Set<T>();
  const queue = [...options.items];
  let killing: Promise<void> | undefined;
  let lostReplyKey: string | undefined;
  const record = stats.recordSubmission.bind(stats);
  stats.recordSubmission = (key, duplicate) => {
    record(key, duplicate);
    if (killing || acknowledged.size < options.killAfter) return;
    lostReplyKey = key;
    killing = options.hub.kill("SIGKILL");
  };
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined && !killing; item = queue.shift()) {
      if (await options.send(item).catch(() => false)) acknowledged.add(item);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    await killing;
  } finally {
    stats.recordSubmission = record;
  }
  return { killed: killing !== undefined, acknowledged, lostReplyKey };
}

/**
 * What a fresh deployment is first asked: it becomes ready (/readyz), registers a case and finishes its first
 * inquiry. Returns the readiness body and the inquiry's parts.
 */
export async function serveFirstCase(launched: LaunchedHub): Promise<{ readiness: any; parts: { status: string }[] }> {
  const ready = await eventually(
    () => fetch(`${launched.baseUrl}/readyz`).then(async (r) => ({ status: r.status, body: await r.json() })),
    (r) => r.status === 200,
    30_000,
  );
  const number = caseNumber();
  const registered = await launched.gql(REGISTER_CASE, {
    input: {
      caseNumber: number,
      creditorName: "开封农商银行",
      claimAmount: "90000",
      debtors: [{ kind: "PERSON", idNumber: residentId(), name: "孙八" }],
    },
  });
  if (registered.errors) throw new Error(`registerCase refused: ${JSON.stringify(registered.errors)}`);
  const done = await eventually(
    () => launched.gql(CASE_INQUIRIES, { caseNumber: number }),
    (r) => r.data?.case.inquiries.edges[0]?.node.complete === true,
    30_000,
  );
  return { readiness: ready.body, parts: done.data.case.inquiries.edges[0].node.parts };
}
