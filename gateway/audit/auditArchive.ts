/**
 * Retention of the audit trail without breaking it. Sealed rows older than the retention
 * (HUB_AUDIT_RETENTION_DAYS) are written to an archive file (JSON lines with their seq and hashes, synced),
 * then one transaction records a checkpoint (the last archived seq and its chain hash, signed with the hub's
 * SM2 key) and removes the rows it covers through `audit_archive()` (migration 0017): the only path past the
 * trigger that refuses UPDATE and DELETE on sealed rows, and only for rows a checkpoint covers. Verification
 * then starts from the latest checkpoint, whose signature a database administrator cannot forge; the archive
 * file verifies on its own from the checkpoint before it.
 *
 * The chain is verified before anything is archived: a chain already broken is not vouched for by a checkpoint.
 */
import { constants } from "node:fs";
import { mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../logger.js";
import type { Sql } from "../persistence/database.js";
import { onOneSnapshot } from "../persistence/sql.js";
import type { Sm2PrivateKey } from "../signing/sm2.js";
import { CoalescingWake } from "../workers/coalescingWake.js";
import type { Worker } from "../workers/worker.js";
import { verifyAuditChain } from "./auditChain.js";
import { type AuditCheckpoint, signCheckpoint } from "./auditHead.js";

export interface AuditArchiveOptions {
  /** Sealed rows older than this many days are archived (HUB_AUDIT_RETENTION_DAYS); local policy. */
  retentionDays: number;
  /** Where the archive files go (HUB_AUDIT_ARCHIVE_DIR; default <HUB_DATA_DIR>/audit-archive). */
  archiveDir: string;
  /**
   * How often the hub looks for rows to archive.
   * @default 86_400_000 (a day)
   */
  intervalMs: number;
}

const DAY_MS = 24 * 60 * 60_000;

export interface ArchiveResult {
  checkpoint?: AuditCheckpoint;
  archivedRows: number;
  file?: string;
}

/** Archives the sealed rows before `before` (those up to the first row at or after it) under a signed checkpoint. */
export async function archiveAuditRows(
  sql: Sql,
  options: { key: Sm2PrivateKey; before: Date; archiveDir: string; now?: Date },
): Promise<ArchiveResult> {
  const chain = await onOneSnapshot(sql, (tx) => verifyAuditChain(tx, { publicKey: options.key }));
  if (!chain.ok) throw new Error(`not archiving a broken chain: seq ${chain.firstBrokenSeq}: ${chain.reason}`);
  const from = (chain.checkpoint?.seq ?? 0) + 1;
  // Rows are sealed in insertion order, so times may interleave slightly: stop before the first row not yet due.
  const [{ upto }] = await sql.query<{ upto: number | null }>(
    `SELECT coalesce((SELECT min(seq) - 1 FROM audit_event WHERE seq IS NOT NULL AND at >= $1),
                     (SELECT max(seq) FROM audit_event))::int AS upto`,
    [options.before],
  );
  if (upto === null || upto < from) return { archivedRows: 0 };
  const rows = await sql.query<{ seq: number; hash: string; row: unknown }>(
    `SELECT seq::int AS seq, hash, row_to_json(a) AS row FROM audit_event a WHERE seq BETWEEN $1 AND $2 ORDER BY a.seq`,
    [from, upto],
  );
  await mkdir(options.archiveDir, { recursive: true });
  const name = `audit-${String(from).padStart(12, "0")}-${String(upto).padStart(12, "0")}.jsonl`;
  const file = await open(join(options.archiveDir, name), constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o640);
  try {
    await file.write(rows.map((r) => `${JSON.stringify(r.row)}\n`).join(""));
    await file.sync();
  } finally {
    await file.close();
  }
  const checkpoint = signCheckpoint({ seq: upto, hash: rows.at(-1)!.hash, at: (options.now ?? new Date()).toISOString() }, options.key);
  const archivedRows = await sql.transaction(async (tx) => {
    const [inserted] = await tx.query(
      `INSERT INTO audit_checkpoint (seq, hash, at, signature, archived_rows, archive) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (seq) DO NOTHING RETURNING seq`,
      [upto, checkpoint.hash, checkpoint.at, checkpoint.signature, rows.length, name],
    );
    // Another instance archived the same rows meanwhile.
    if (!inserted) return 0;
    const [{ removed }] = await tx.query<{ removed: number }>(`SELECT audit_archive($1) AS removed`, [upto]);
    return removed;
  });
  return { checkpoint, archivedRows, file: join(options.archiveDir, name) };
}

export class AuditArchiver implements Worker {
  private readonly loop: CoalescingWake;

  constructor(
    private readonly deps: { sql: Sql; key: Sm2PrivateKey; log: Logger; clock: () => Date },
    private readonly options: AuditArchiveOptions,
  ) {
    this.loop = new CoalescingWake(
      () => this.archiveNow(),
      (error) => this.deps.log.error({ err: error }, "archiving audit rows failed; will retry"),
    );
  }

  start(): void {
    this.loop.start(this.options.intervalMs);
  }

  async archiveNow(): Promise<ArchiveResult> {
    const now = this.deps.clock();
    const result = await archiveAuditRows(this.deps.sql, {
      key: this.deps.key,
      before: new Date(now.getTime() - this.options.retentionDays * DAY_MS),
      archiveDir: this.options.archiveDir,
      now,
    });
    if (result.archivedRows > 0)
      this.deps.log.info({ checkpoint: result.checkpoint?.seq, rows: result.archivedRows, file: result.file }, "audit rows archived");
    return result;
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
