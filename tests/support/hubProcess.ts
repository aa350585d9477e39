/**
 * The hub as a separate process (`node --import tsx gateway/main.ts`), exactly
 * as `npm start` runs it, configured only through its environment, for tests
 * that kill it (durability-crash, measures-crash).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { eventually, type GraphQLResult } from "./testHub.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

/** One run of the hub at a time; its output is kept for failure messages. */
export class HubProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  output = "";

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly name = "hub-process",
  ) {}

  async start(label: string): Promise<void> {
    const child = spawn(process.execPath, ["--import", "tsx", "gateway/main.ts"], {
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
    await eventually(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`hub exited during start-up:\n${this.output}`);
        return fetch(url).then((r) => r.status, () => 0);
      },
      (status) => status === 200,
      30_000,
    );
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
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
