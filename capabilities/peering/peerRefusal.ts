/**
 * Why a hub refuses a peer's message: a stable code, the HTTP status it is
 * answered with, and whether resending can ever help. Refusals a peer's operator
 * can put right (an unknown peer, a key or certificate that does not match, clocks apart) are
 * not final: the sender keeps the message and tries again with backoff, so
 * nothing is lost while the configuration is fixed.
 */
export type PeerRefusalCode =
  | "MALFORMED"
  | "UNKNOWN_PEER"
  | "NOT_ADDRESSED_HERE"
  | "BAD_SIGNATURE"
  | "CERTIFICATE_MISMATCH"
  | "STALE_MESSAGE"
  | "TYPE_NOT_ALLOWED"
  | "NO_HANDLER"
  | "OUT_OF_ORDER"
  | "ID_REUSED"
  | "REJECTED";

const REPLY: Record<PeerRefusalCode, { status: number; final: boolean }> = {
  MALFORMED: { status: 400, final: true },
  UNKNOWN_PEER: { status: 401, final: false },
  NOT_ADDRESSED_HERE: { status: 421, final: false },
  BAD_SIGNATURE: { status: 401, final: false },
  // The TLS client certificate is valid but not the one pinned for the hub the message names.
  CERTIFICATE_MISMATCH: { status: 403, final: false },
  STALE_MESSAGE: { status: 401, final: false },
  TYPE_NOT_ALLOWED: { status: 403, final: true },
  NO_HANDLER: { status: 501, final: true },
  // A message older in its conversation than one already applied would undo it; a new id cannot make it right.
  OUT_OF_ORDER: { status: 409, final: true },
  ID_REUSED: { status: 409, final: true },
  REJECTED: { status: 422, final: true },
};

/** Thrown by the inbox, or by a message handler (code REJECTED) that will never accept this message. */
export class PeerRefusal extends Error {
  constructor(
    readonly code: PeerRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = "PeerRefusal";
  }

  get status(): number {
    return REPLY[this.code].status;
  }

  /** The body of the HTTP reply, read back by the sender with refusalFromReply. */
  get reply(): string {
    return JSON.stringify({ error: { code: this.code, message: this.message } });
  }
}

/** Whether the sender should give the message up on this refusal; unknown codes (a newer peer) are retried. */
export function isFinalRefusal(code: string): boolean {
  return REPLY[code as PeerRefusalCode]?.final ?? false;
}
