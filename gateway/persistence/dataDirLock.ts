/**
 * One process per PGlite folder: PGlite keeps the database in the process that opened it, and a
 * second process opening the same files aborts (`RuntimeError: Aborted()`) or, worse, migrates a
 * live database under the running hub. `<folder>.lock`, beside the folder (PostgreSQL's initdb wants
 * the folder itself empty), holds the owner's pid while open; a lock left by a process that no longer
 * runs (killed, crashed) is taken over.
 */
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";

export class DataDirInUse extends Error {
  override readonly name = "DataDirInUse";

  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the PGlite folder ${dataDir} is in use by process ${pid} (a running hub): stop that hub first, ` +
        "or ask it (the verifyAuditTrail query answers what npm run audit:verify would)",
    );
  }
}

/**
 * The lock files this process holds. A file naming this process's pid but not in here was left by an earlier
 * process that had the same pid: in a container the hub is pid 1 at every start.
 */
const held = new Set<string>();

/** Takes the folder's lock or throws DataDirInUse; returns the release. */
export function lockDataDir(dataDir: string): () => void {
  const file = `${dataDir.replace(/[/\\]+$/, "")}.lock`;
  for (;;) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      held.add(file);
      return () => {
        if (!held.delete(file)) return;
        if (ownerOf(file) === process.pid) unlinkSync(file);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = ownerOf(file);
    const live = owner === process.pid ? held.has(file) : owner !== undefined && running(owner);
    if (live) throw new DataDirInUse(dataDir, owner!);
    // Stale (or half-written by a process that died writing it): remove it and try again.
    try {
      unlinkSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}

function ownerOf(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
