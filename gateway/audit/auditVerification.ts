/**
 * The audit chain checked against the heads its witnesses hold (auditWitness.ts). The chain alone shows rows
 * altered in place; someone with the database can still delete the newest rows and move the chain head back, or
 * rewrite a row and recompute every hash after it, and the chain is again consistent. A head signed with the
 * hub's key and kept outside the database catches both: its seq must still exist and the hash recomputed from
 * the rows at its seq must equal its hash. Each way the rows differ from the witnessed heads is named.
 */
import type { Sql } from "../persistence/database.js";
import type { Sm2PublicKey } from "../signing/sm2.js";
import { type ChainVerification, verifyAuditChain } from "./auditChain.js";
import { type SignedAuditHead, verifyAuditHead } from "./auditHead.js";

/** One head and where it was found ("file /var/…", "peer https://…"). */
export interface WitnessedHead {
  source: string;
  head: SignedAuditHead;
}

export interface AuditFinding {
  /**
   * TAIL_DELETED, ROW_REWRITTEN, HEAD_REPLACED, FORKED_HEAD, WITNESS_FORGED, and the chain's own breaks
   * (ROW_MISSING, ROW_ALTERED, LINK_BROKEN, CHAIN_HEAD_MISMATCH, CHECKPOINT_FORGED; auditChain.ts).
   */
  code: string;
  seq?: number;
  message: string;
}

export interface WitnessedVerification {
  ok: boolean;
  findings: AuditFinding[];
  chain: ChainVerification;
  /** The highest seq a valid witnessed head holds; 0 without any. */
  witnessedSeq: number;
  /** Heads compared with the rows (those in archived ranges before the checkpoint cannot be, and are not counted). */
  headsCompared: number;
}

export async function verifyAgainstWitnesses(
  sql: Pick<Sql, "query">,
  /** `publicKey`: the hub's; without it no head can be trusted and a checkpoint is a finding (CHECKPOINT_UNCHECKED). */
  options: { publicKey?: Sm2PublicKey; hubId?: string | null; heads: WitnessedHead[] },
): Promise<WitnessedVerification> {
  const findings: AuditFinding[] = [];
  const valid: WitnessedHead[] = [];
  for (const witnessed of options.heads) {
    const { head } = witnessed;
    // Heads of another hub (a peer witnessing several) are not this chain's; a head claiming this hub must verify.
    if (options.hubId && head.hubId && head.hubId !== options.hubId) continue;
    if (options.publicKey && verifyAuditHead(head, options.publicKey)) valid.push(witnessed);
    else
      findings.push({
        code: "WITNESS_FORGED",
        seq: head.seq,
        message: `the head at seq ${head.seq} held by ${witnessed.source} is not signed with this hub's SM2 key`,
      });
  }
  valid.sort((a, b) => a.head.seq - b.head.seq);
  const bySeq = new Map<number, WitnessedHead>();
  for (const witnessed of valid) {
    const same = bySeq.get(witnessed.head.seq);
    if (same && same.head.hash !== witnessed.head.hash) {
      findings.push({
        code: "FORKED_HEAD",
        seq: witnessed.head.seq,
        message:
          `two heads signed for seq ${witnessed.head.seq} differ (${same.source}, ${witnessed.source}): ` +
          "the hub's key signed two chains",
      });
    }
    if (!same) bySeq.set(witnessed.head.seq, witnessed);
  }

  const chain = await verifyAuditChain(sql, { publicKey: options.publicKey, hashesAt: new Set(bySeq.keys()) });
  if (chain.checkpoint && !options.publicKey) {
    findings.push({
      code: "CHECKPOINT_UNCHECKED",
      seq: chain.checkpoint.seq,
      message: `the chain starts from the checkpoint at seq ${chain.checkpoint.seq}, whose signature needs the hub's SM2 public key`,
    });
  }
  if (!chain.ok) {
    findings.push({ code: chain.code ?? "CHAIN_BROKEN", seq: chain.firstBrokenSeq, message: chainMessage(chain) });
  }
  const [{ max }] = await sql.query<{ max: number | null }>(`SELECT max(seq)::int AS max FROM audit_event`);
  const lastInDatabase = Math.max(max ?? 0, chain.checkpoint?.seq ?? 0);
  const witnessedSeq = valid.at(-1)?.head.seq ?? 0;
  if (witnessedSeq > lastInDatabase) {
    const newest = valid.at(-1)!;
    findings.push({
      code: "TAIL_DELETED",
      seq: lastInDatabase + 1,
      message:
        `${newest.source} holds the head at seq ${witnessedSeq} (signed ${newest.head.at}) but the last sealed row is seq ` +
        `${lastInDatabase}: rows ${lastInDatabase + 1}…${witnessedSeq} were deleted`,
    });
  }

  let headsCompared = 0;
  let lastMatching = chain.checkpoint?.seq ?? 0;
  for (const [seq, witnessed] of bySeq) {
    const recomputed = chain.hashesAt.get(seq);
    // Archived before the checkpoint, or past a break or the end of the rows: reported above.
    if (recomputed === undefined) continue;
    headsCompared += 1;
    if (recomputed === witnessed.head.hash) {
      lastMatching = seq;
      continue;
    }
    const range = lastMatching + 1 === seq ? `row ${seq}` : `a row in ${lastMatching + 1}…${seq}`;
    findings.push(
      seq === lastInDatabase
        ? {
            code: "HEAD_REPLACED",
            seq,
            message:
              `the head row seq ${seq} is not the one ${witnessed.source} witnessed (signed ${witnessed.head.at}): ` +
              `${range} was replaced and re-hashed`,
          }
        : {
            code: "ROW_REWRITTEN",
            seq,
            message:
              `the rows no longer reach the hash ${witnessed.source} witnessed at seq ${seq} (signed ${witnessed.head.at}): ` +
              `${range} was rewritten and the hashes after it recomputed`,
          },
    );
    // Every later head differs too once one row before it was rewritten; the first is the one that locates it.
    break;
  }
  return { ok: findings.length === 0, findings, chain, witnessedSeq, headsCompared };
}

function chainMessage(chain: ChainVerification): string {
  const where = chain.firstBrokenId ? `row seq ${chain.firstBrokenSeq} (id ${chain.firstBrokenId})` : `seq ${chain.firstBrokenSeq}`;
  return `${where}: ${chain.reason}; ${chain.rowsChecked} rows before it are intact`;
}
