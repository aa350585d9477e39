/**
 * What `/readyz` answers: whether this instance can do its work now, each check with its reason, so a
 * load balancer stops sending it requests while its database is gone and an operator reads why.
 * `/livez` asks nothing of the database: restarting a live process does not bring PostgreSQL back.
 */
import type { Database } from "../persistence/database.js";
import { pendingMigrations } from "../persistence/migrate.js";

export interface ReadinessCheck {
  ok: boolean;
  /** Why not, when not ok. */
  reason?: string;
}

export interface Readiness {
  ready: boolean;
  checks: { database: ReadinessCheck; migrations: ReadinessCheck; listen: ReadinessCheck; workers: ReadinessCheck };
}

/** How readiness is probed. */
export interface ReadinessOptions {
  /**
   * How long the database may take to answer before the instance counts as not ready.
   * @default 2_000
   */
  databaseTimeoutMs: number;
}

export const DEFAULT_READINESS: ReadinessOptions = { databaseTimeoutMs: 2_000 };

export function readinessProbe(
  deps: { db: Pick<Database, "sql" | "listening">; workersRunning: () => boolean },
  options: ReadinessOptions = DEFAULT_READINESS,
): () => Promise<Readiness> {
  return async () => {
    let database: ReadinessCheck = { ok: true };
    let migrations: ReadinessCheck = { ok: false, reason: "not checked: the database did not answer" };
    let timer: NodeJS.Timeout | undefined;
    try {
      const pending = await Promise.race([
        pendingMigrations(deps.db.sql),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${options.databaseTimeoutMs} ms`)), options.databaseTimeoutMs);
        }),
      ]);
      migrations = pending.length === 0 ? { ok: true } : { ok: false, reason: `not applied: ${pending.join(", ")}` };
    } catch (error) {
      database = { ok: false, reason: `unreachable: ${(error as Error).message}` };
    } finally {
      clearTimeout(timer);
    }
    const listen: ReadinessCheck = deps.db.listening ? { ok: true } : { ok: false, reason: "LISTEN connection lost; reconnecting" };
    const workers: ReadinessCheck = deps.workersRunning() ? { ok: true } : { ok: false, reason: "background workers not running" };
    const checks = { database, migrations, listen, workers };
    return { ready: Object.values(checks).every((check) => check.ok), checks };
  };
}
