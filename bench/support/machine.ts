/** What the figures were measured on, for the report. */
import { execFileSync } from "node:child_process";
import { availableParallelism, cpus, loadavg, release, type } from "node:os";

export interface Machine {
  nproc: number;
  cpuModel: string;
  node: string;
  os: string;
  commit: string;
}

function run(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

export function describeMachine(): Machine {
  const nproc = Number(run("nproc", [])) || availableParallelism();
  const head = run("git", ["rev-parse", "--short", "HEAD"]);
  const dirty = run("git", ["status", "--porcelain", "--untracked-files=no"]);
  return {
    nproc,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    node: process.version,
    os: `${type()} ${release()}`,
    commit: head ? `${head}${dirty ? " + uncommitted changes" : ""}` : "unknown",
  };
}

/** 1-minute load average: how busy the (shared) machine was around a measurement. */
export function loadAverage(): number {
  return loadavg()[0];
}
