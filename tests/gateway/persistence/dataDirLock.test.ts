/**
 * One process per PGlite folder: while a hub has it open, opening it again (a second `npm start`,
 * `npm run audit:verify`, `npm run migrate`) is refused with the owner's pid instead of PGlite aborting or migrating a live
 * database; a lock left by a process that died is taken over.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { openDatabase } from "../../../gateway/persistence/database.js";
import { DataDirInUse, lockDataDir } from "../../../gateway/persistence/dataDirLock.js";

const root = mkdtempSync(join(tmpdir(), "hub-lock-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it("refuses a folder another opening holds, in this process and from the audit and migration CLIs, until it is released", async () => {
  const dataDir = join(root, "pglite");
  // What a running hub's openDatabase takes first; held here without PGlite, whose start is slow on a busy machine.
  const release = lockDataDir(dataDir);
  try {
    const second = await openDatabase({ dataDir }).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(DataDirInUse);
    expect((second as DataDirInUse).pid).toBe(process.pid);

    const clis = await Promise.all(
      ["gateway/cli/verifyAudit.ts", "gateway/cli/migrate.ts"].map((script) =>
        promisify(execFile)(process.execPath, ["--import", "tsx", script], {
          env: { ...process.env, HUB_DATA_DIR: root, DATABASE_URL: "" },
        }).catch((error: { code: number; stderr: string }) => error),
      ),
    );
    for (const cli of clis) {
      expect(cli).toMatchObject({ code: 2 });
      expect((cli as { stderr: string }).stderr).toContain(`is in use by process ${process.pid}`);
    }
  } finally {
    release();
  }
  expect(existsSync(`${dataDir}.lock`)).toBe(false);
}, 60_000);

it("takes over a lock left by an earlier process with this pid (a container's pid 1), without opening anything", () => {
  const dataDir = join(root, "restarted");
  writeFileSync(`${dataDir}.lock`, `${process.pid}\n`);
  const release = lockDataDir(dataDir);
  expect(() => lockDataDir(dataDir)).toThrow(DataDirInUse);
  release();
  expect(existsSync(`${dataDir}.lock`)).toBe(false);
});

it("takes over a lock left by a process that no longer runs, holds it while open and frees it on close", async () => {
  const dataDir = join(root, "stale");
  const dead = spawnSync(process.execPath, ["-e", ""]).pid;
  writeFileSync(`${dataDir}.lock`, `${dead}\n`);
  const db = await openDatabase({ dataDir });
  try {
    expect(readFileSync(`${dataDir}.lock`, "utf8")).toBe(`${process.pid}\n`);
  } finally {
    await db.close();
  }
  expect(existsSync(`${dataDir}.lock`)).toBe(false);
}, 120_000);
