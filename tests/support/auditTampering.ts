/**
 * Tampering as a database superuser would: the trigger that refuses UPDATE and DELETE on sealed audit rows
 * (migration 0017) is disabled for the statements and enabled again, as an administrator covering their tracks
 * would. What the trigger cannot stop, the witnessed heads must reveal.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Sql } from "../../gateway/persistence/database.js";

export async function asSuperuser<T>(sql: Pick<Sql, "query">, tamper: () => Promise<T>): Promise<T> {
  await sql.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_sealed`);
  try {
    return await tamper();
  } finally {
    await sql.query(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_sealed`);
  }
}

/** Runs `npm run audit:verify` as operators do, in its own process, against the database the environment names. */
export async function runAuditVerify(env: Record<string, string>, args: string[] = []): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "gateway/cli/verifyAudit.ts", ...args], {
      cwd: process.cwd(),
      env: { ...process.env, ...env },
      // Each run starts tsx, Prisma and PGlite; on a loaded machine that takes a while.
      timeout: 60_000,
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, stdout: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}
