/**
 * The signed envelope of one hub-to-hub message and of its acknowledgement.
 * Each is signed with standard SM2 (gateway/signing/sm2.ts: the signer's ID, by
 * default GB/T 35276's, is the one in its entry of the peers file) on its canonical JSON, so
 * the signature survives any re-serialisation of the JSON on the way. The
 * sender signs every attempt afresh with the time it goes out (`sentAt`), which
 * the receiver checks against a freshness window: a captured request cannot be
 * replayed later, and a message that waited days in the outbox is still fresh.
 */
import { canonicalJson, sm3 } from "../../gateway/audit/sm3.js";
import { type Sm2PrivateKey, type Sm2PublicKey, sm2Sign, sm2Verify } from "../../gateway/signing/sm2.js";

export interface PeerMessage {
  /** Unique per message, kept across resends: the receiver's idempotency key. */
  id: string;
  from: string;
  to: string;
  type: string;
  /** What the message belongs to (e.g. one delegated task); messages of one conversation apply in `sequence` order. */
  conversation: string;
  sequence: number;
  sentAt: string;
  body: unknown;
}

export interface PeerAcknowledgement {
  messageId: string;
  /** The receiving hub, which signs it. */
  from: string;
  to: string;
  /** contentDigest of the message acknowledged. */
  digest: string;
  receivedAt: string;
}

export interface Signed<T> {
  signed: T;
  /** Base64 DER SM2 signature of canonicalJson(signed). */
  signature: string;
}

export function signEnvelope<T>(value: T, privateKey: Sm2PrivateKey): Signed<T> {
  return { signed: value, signature: sm2Sign(canonicalJson(value), privateKey) };
}

export function verifyEnvelope<T>(envelope: Signed<T>, publicKey: Sm2PublicKey): boolean {
  return typeof envelope.signature === "string" && sm2Verify(canonicalJson(envelope.signed), envelope.signature, publicKey);
}

/** SM3 of what a message says, without the time of the attempt that carried it: equal for every resend of one message. */
export function contentDigest(message: PeerMessage): string {
  const { sentAt: _sentAt, ...content } = message;
  return sm3(canonicalJson(content));
}

/** Whether a message sent at `sentAt` may still be accepted at `now`; clocks of two hubs may differ by up to the window either way. */
export function isFresh(sentAt: string, now: Date, windowMs: number): boolean {
  const sent = Date.parse(sentAt);
  return Number.isFinite(sent) && Math.abs(now.getTime() - sent) <= windowMs;
}

/** The envelope of a message as received, or undefined when it is not one (wrong shape or types). */
export function parseMessageEnvelope(raw: string): Signed<PeerMessage> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const envelope = value as Partial<Signed<Partial<PeerMessage>>> | null;
  const message = envelope?.signed;
  const strings = ["id", "from", "to", "type", "conversation", "sentAt"] as const;
  if (
    typeof envelope?.signature !== "string" ||
    !message ||
    typeof message !== "object" ||
    strings.some((key) => typeof message[key] !== "string" || message[key] === "") ||
    !Number.isSafeInteger(message.sequence) ||
    (message.sequence as number) < 1 ||
    !("body" in message) ||
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(message.id as string)
  ) {
    return undefined;
  }
  return envelope as Signed<PeerMessage>;
}
