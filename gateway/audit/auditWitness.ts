/**
 * Hands the signed audit head to witnesses that do not share the hub's database, every `intervalMs` and once
 * more when the hub stops (after the sealer's last seal): an append-only file the operator keeps elsewhere
 * (HUB_AUDIT_WITNESS_FILE) and the peer hubs (capabilities/peering/auditHeadWitness.ts). A head is handed to
 * each witness until it took it; an unchanged head is not handed again. `npm run audit:verify` then checks the
 * chain against the heads they hold (auditVerification.ts).
 */
import { constants } from "node:fs";
import { open, readFile } from "node:fs/promises";
import type { Logger } from "../logger.js";
import type { Sql } from "../persistence/database.js";
import type { Sm2PrivateKey } from "../signing/sm2.js";
import { CoalescingWake } from "../workers/coalescingWake.js";
import type { Worker } from "../workers/worker.js";
import { parseSignedHead, type SignedAuditHead, signAuditHead } from "./auditHead.js";

/** Somewhere outside the database that keeps the heads it is given. */
export interface HeadWitness {
  /** For the log: "file /var/…", "peer hub-anhui". */
  readonly name: string;
  /** Resolves once the witness holds the head (written and synced, or acknowledged). */
  witness(head: SignedAuditHead): Promise<void>;
}

/** When the head is witnessed. */
export interface AuditWitnessOptions {
  /**
   * How often the head is signed and handed on, when it moved (HUB_AUDIT_WITNESS_INTERVAL_MS). Rows sealed after
   * the last witnessed head are protected only by the chain until the next one.
   * @default 60000
   */
  intervalMs: number;
}

export const DEFAULT_AUDIT_WITNESS: AuditWitnessOptions = { intervalMs: 60_000 };

/**
 * One JSON line per head, appended (O_APPEND: a write never lands anywhere but the end) and synced before the
 * head counts as witnessed. The operator puts the file where the database's administrators cannot rewrite it
 * (another machine's mount, an append-only attribute, a WORM bucket's sync).
 */
export class FileWitness implements HeadWitness {
  readonly name: string;

  constructor(private readonly path: string) {
    this.name = `file ${path}`;
  }

  async witness(head: SignedAuditHead): Promise<void> {
    const file = await open(this.path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o640);
    try {
      await file.write(`${JSON.stringify(head)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
  }
}

/** The heads a witness file holds; a line that is not a signed head is named (it is itself a sign of tampering). */
export async function readWitnessFile(path: string): Promise<{ heads: SignedAuditHead[]; badLines: number[] }> {
  const heads: SignedAuditHead[] = [];
  const badLines: number[] = [];
  (await readFile(path, "utf8")).split("\n").forEach((line, index) => {
    if (!line.trim()) return;
    let head: SignedAuditHead | undefined;
    try {
      head = parseSignedHead(JSON.parse(line));
    } catch {
      head = undefined;
    }
    if (head) heads.push(head);
    else badLines.push(index + 1);
  });
  return { heads, badLines };
}

export class AuditWitness implements Worker {
  private readonly loop: CoalescingWake;
  /** Per witness, the seq of the last head it took. */
  private readonly handed = new Map<string, number>();
  private passing: Promise<unknown> = Promise.resolve();
  private lastSigned: SignedAuditHead | undefined;

  constructor(
    private readonly deps: {
      sql: Sql;
      key: Sm2PrivateKey;
      hubId: string | null;
      witnesses: HeadWitness[];
      log: Logger;
      /** Seals pending rows (the sealer's sealNow), so the last head witnessed at a stop covers them. */
      seal: () => Promise<unknown>;
    },
    private readonly options: AuditWitnessOptions = DEFAULT_AUDIT_WITNESS,
  ) {
    this.loop = new CoalescingWake(
      () => this.witnessNow(),
      (error) => this.deps.log.error({ err: error }, "witnessing the audit head failed; will retry"),
    );
  }

  start(): void {
    this.loop.start(this.options.intervalMs);
    // A head the last stop could not hand on (a peer down) goes now rather than an interval later.
    this.loop.wake();
  }

  /** Signs the current head and hands it to each witness that does not hold it yet; answers it (undefined before any seal). */
  witnessNow(): Promise<SignedAuditHead | undefined> {
    const pass = this.passing.catch(() => undefined).then(() => this.pass());
    this.passing = pass;
    return pass;
  }

  private async pass(): Promise<SignedAuditHead | undefined> {
    const [head] = await this.deps.sql.query<{ seq: number; hash: string }>(
      `SELECT seq::int AS seq, hash FROM audit_chain_head WHERE id = 1`,
    );
    if (!head || head.seq === 0) return undefined;
    const due = this.deps.witnesses.filter((witness) => this.handed.get(witness.name) !== head.seq);
    // The loop may have handed this head on already: the caller still learns which head the witnesses hold.
    if (due.length === 0 && this.lastSigned?.seq === head.seq) return this.lastSigned;
    const signed = signAuditHead({ hubId: this.deps.hubId, seq: head.seq, hash: head.hash, at: new Date().toISOString() }, this.deps.key);
    this.lastSigned = signed;
    await Promise.all(
      due.map((witness) =>
        witness.witness(signed).then(
          () => this.handed.set(witness.name, signed.seq),
          (error: unknown) =>
            this.deps.log.warn({ err: error, witness: witness.name, seq: signed.seq }, "an audit witness did not take the head"),
        ),
      ),
    );
    return signed;
  }

  /**
   * Stopped first of the workers (hub.ts), while the peer links are still open: what the requests answered up to
   * now is sealed and its head witnessed. Rows the other workers write while they stop are sealed by the
   * sealer's last seal and witnessed at the next start.
   */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.deps.seal().catch(() => undefined);
    await this.witnessNow().catch((error: unknown) => this.deps.log.error({ err: error }, "witnessing the last audit head failed"));
  }
}
