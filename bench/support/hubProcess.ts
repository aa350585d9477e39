/** Starts and stops a hub instance in a child process (hubWorker.ts) and reads its CPU time and memory from /proc. */
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { HubWorkerSettings } from "./hubWorker.js";

export interface HubProcess {
  url: string;
  pid: number;
  /** user + system CPU seconds so far, as the process's own process.cpuUsage() reports them. */
  cpuSeconds(): Promise<number>;
  /** Resident memory now and its peak so far (VmRSS, VmHWM), in MiB. */
  memory(): { rssMiB: number; peakMiB: number };
  close(): Promise<void>;
}

export async function startHubProcess(settings: HubWorkerSettings): Promise<HubProcess> {
  const worker = fork(fileURLToPath(new URL("./hubWorker.ts", import.meta.url)), [], {
    env: { ...process.env, BENCH_HUB: JSON.stringify(settings) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    worker.once("message", (message) => resolve((message as { url: string }).url));
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`hub process exited early with code ${code}`)));
  });
  worker.removeAllListeners("exit");
  const pid = worker.pid!;
  return {
    url,
    pid,
    cpuSeconds: () =>
      new Promise((resolve) => {
        const answer = (message: unknown) => {
          const cpu = (message as { cpu?: NodeJS.CpuUsage }).cpu;
          if (!cpu) return;
          worker.off("message", answer);
          resolve((cpu.user + cpu.system) / 1e6);
        };
        worker.on("message", answer);
        worker.send("cpu");
      }),
    memory() {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
      return { rssMiB: kib("VmRSS") / 1024, peakMiB: kib("VmHWM") / 1024 };
    },
    async close() {
      if (worker.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.disconnect();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (worker.exitCode === null) worker.kill("SIGKILL");
    },
  };
}
