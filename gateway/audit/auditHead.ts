/**
 * The audit chain's head as a witness keeps it: the hub's id, the last sealed seq, its chain hash and when,
 * signed with the hub's SM2 key. The key is outside the database, so a head once handed to a witness that
 * does not share the database (an append-only file, a peer hub) pins the chain: rows deleted, rewritten and
 * re-hashed, or replaced after it no longer reach the hash it holds (auditVerification.ts). A checkpoint, which
 * replaces archived rows, is signed the same way under another kind, so neither can pass for the other.
 */
import { type Sm2PrivateKey, type Sm2PublicKey, sm2Sign, sm2Verify } from "../signing/sm2.js";
import { canonicalJson } from "./sm3.js";

export interface AuditHead {
  /** HUB_ID; null on a hub without one (no peers). */
  hubId: string | null;
  seq: number;
  hash: string;
  /** ISO time of signing. */
  at: string;
}

/** A signed checkpoint: the archived rows up to `seq` ended at `hash` (auditArchive.ts). */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  at: string;
  signature: string;
}

export interface SignedAuditHead extends AuditHead {
  /** Base64 DER SM2 signature of canonicalJson({ kind: "AUDIT_HEAD", …head }). */
  signature: string;
}

const headContent = (head: AuditHead) =>
  canonicalJson({ kind: "AUDIT_HEAD", hubId: head.hubId, seq: head.seq, hash: head.hash, at: head.at });
const checkpointContent = (checkpoint: Omit<AuditCheckpoint, "signature">) =>
  canonicalJson({ kind: "AUDIT_CHECKPOINT", seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at });

export function signAuditHead(head: AuditHead, key: Sm2PrivateKey): SignedAuditHead {
  return { ...head, signature: sm2Sign(headContent(head), key) };
}

export function verifyAuditHead(head: SignedAuditHead, key: Sm2PublicKey): boolean {
  return sm2Verify(headContent(head), head.signature, key);
}

export function signCheckpoint(checkpoint: Omit<AuditCheckpoint, "signature">, key: Sm2PrivateKey): AuditCheckpoint {
  return { ...checkpoint, signature: sm2Sign(checkpointContent(checkpoint), key) };
}

export function verifyCheckpoint(checkpoint: AuditCheckpoint, key: Sm2PublicKey): boolean {
  return sm2Verify(checkpointContent(checkpoint), checkpoint.signature, key);
}

/** A signed head as received (a line of the witness file, a peer's message), or undefined when it is not one. */
export function parseSignedHead(value: unknown): SignedAuditHead | undefined {
  const head = value as Partial<SignedAuditHead> | null;
  if (
    !head ||
    typeof head !== "object" ||
    !(head.hubId === null || (typeof head.hubId === "string" && head.hubId.length > 0 && head.hubId.length <= 100)) ||
    !Number.isSafeInteger(head.seq) ||
    (head.seq as number) < 1 ||
    typeof head.hash !== "string" ||
    !/^[0-9a-f]{64}$/.test(head.hash) ||
    typeof head.at !== "string" ||
    !Number.isFinite(Date.parse(head.at)) ||
    typeof head.signature !== "string" ||
    head.signature.length > 200
  ) {
    return undefined;
  }
  return { hubId: head.hubId, seq: head.seq as number, hash: head.hash, at: head.at, signature: head.signature };
}
