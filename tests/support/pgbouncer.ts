/**
 * PgBouncer in transaction pooling mode in front of a PostgreSQL server, as deployments put it, for tests of
 * what passes through it (statements, transactions, transaction-scoped advisory locks) and what does not
 * (a session's LISTEN). Needs the `pgbouncer` binary (Debian: `apt-get install pgbouncer`).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { freePort } from "./hubProcess.js";
import { eventually } from "./testHub.js";

export interface Pgbouncer {
  /** `serverUrl` with its host and port replaced by PgBouncer's. */
  url(serverUrl: string): string;
  close(): Promise<void>;
}

export async function startPgbouncer(serverUrl: string): Promise<Pgbouncer> {
  if (spawnSync("pgbouncer", ["--version"]).error) {
    throw new Error("these tests need PgBouncer: apt-get install -y pgbouncer");
  }
  const server = new URL(serverUrl);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "pgbouncer-"));
  const user = decodeURIComponent(server.username);
  writeFileSync(join(dir, "userlist.txt"), `"${user}" ""\n`);
  writeFileSync(
    join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${server.hostname} port=${server.port || 5432}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${join(dir, "userlist.txt")}`,
      "pool_mode = transaction",
      "max_client_conn = 500",
      "default_pool_size = 10",
      // node-postgres sends no such parameters by default, Prisma's driver adapter may.
      "ignore_startup_parameters = extra_float_digits,options",
    ].join("\n"),
  );
  chmodSync(dir, 0o755);
  // PgBouncer will not run as root; it drops to the server's owner then.
  const asUser = userInfo().uid === 0 ? ["-u", "postgres"] : [];
  const child: ChildProcess = spawn("pgbouncer", [...asUser, join(dir, "pgbouncer.ini")], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-5_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`pgbouncer exited:\n${output}`);
      return output.includes("process up");
    },
    (up) => up,
    10_000,
  );
  return {
    url(serverUrl) {
      const through = new URL(serverUrl);
      through.hostname = "127.0.0.1";
      through.port = String(port);
      return through.toString();
    },
    async close() {
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
