/** CPU time of a process and of the whole machine, from /proc (Linux); undefined elsewhere. */
import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** user + system CPU seconds a process has used so far. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Busy and total CPU seconds of the whole machine, all cores. */
export function machineCpuSeconds(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = values[3] + (values[4] ?? 0);
    const total = values.slice(0, 8).reduce((sum, v) => sum + v, 0);
    return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/** Measures CPU use over an interval: cores used by this process, by another, and by the machine. */
export function cpuMeter(otherPid: number, databasePids: number[] = []) {
  const selfStart = process.cpuUsage();
  const otherStart = processCpuSeconds(otherPid);
  const databaseStart = sumCpuSeconds(databasePids);
  const machineStart = machineCpuSeconds();
  const wallStart = performance.now();
  return () => {
    const wall = (performance.now() - wallStart) / 1000;
    const self = process.cpuUsage(selfStart);
    const otherEnd = processCpuSeconds(otherPid);
    const machineEnd = machineCpuSeconds();
    const databaseEnd = sumCpuSeconds(databasePids);
    return {
      /** cores used by the benchmark's own process (hub + load generator) */
      self: (self.user + self.system) / 1e6 / wall,
      /** cores used by the other process (the sandbox agencies) */
      other: otherStart !== undefined && otherEnd !== undefined ? (otherEnd - otherStart) / wall : undefined,
      /** cores busy on the whole machine (PostgreSQL, the above, and anything else running) */
      machineBusy: machineStart && machineEnd ? (machineEnd.busy - machineStart.busy) / wall : undefined,
      /** cores used by the given PostgreSQL backends (the hub's connections to its own database) */
      database:
        databasePids.length > 0 && databaseStart !== undefined && databaseEnd !== undefined
          ? (databaseEnd - databaseStart) / wall
          : undefined,
    };
  };
}

function sumCpuSeconds(pids: number[]): number | undefined {
  let sum = 0;
  for (const pid of pids) {
    const seconds = processCpuSeconds(pid);
    if (seconds === undefined) return undefined;
    sum += seconds;
  }
  return sum;
}
