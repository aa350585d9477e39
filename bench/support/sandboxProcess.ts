/** Starts and stops the sandbox agencies in a child process (see sandboxWorker.ts). */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { AgencyKind } from "../../connectors/connector.js";
import type { SandboxKnobs } from "../../sandbox/index.js";

export type Knobs = Partial<Record<AgencyKind, Partial<SandboxKnobs>>>;

export interface SandboxProcess {
  roots: Record<AgencyKind, string>;
  pid: number;
  /** Changes the knobs of the given agencies at once. */
  setKnobs(knobs: Knobs): Promise<void>;
  close(): Promise<void>;
}

export async function startSandboxProcess(knobs: Knobs): Promise<SandboxProcess> {
  const worker: ChildProcess = fork(fileURLToPath(new URL("./sandboxWorker.ts", import.meta.url)), [], {
    env: { ...process.env, BENCH_SANDBOX_KNOBS: JSON.stringify(knobs) },
    // tsx runs the parent with its loader in execArgv; the child inherits it.
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const roots = await new Promise<Record<AgencyKind, string>>((resolve, reject) => {
    worker.once("message", (message) => resolve((message as { roots: Record<AgencyKind, string> }).roots));
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`sandbox process exited early with code ${code}`)));
  });
  worker.removeAllListeners("exit");
  return {
    roots,
    pid: worker.pid!,
    async setKnobs(change) {
      await Promise.all(
        Object.entries(change).map(async ([kind, patch]) => {
          const response = await fetch(`${roots[kind as AgencyKind]}/_sandbox/knobs`, { method: "PUT", body: JSON.stringify(patch) });
          if (!response.ok) throw new Error(`setting knobs of ${kind} failed: ${await response.text()}`);
        }),
      );
    },
    async close() {
      if (worker.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.disconnect();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (worker.exitCode === null) worker.kill("SIGKILL");
    },
  };
}
