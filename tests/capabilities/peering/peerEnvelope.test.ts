import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../gateway/audit/sm3.js";
import {
  contentDigest,
  isFresh,
  parseMessageEnvelope,
  signEnvelope,
  verifyEnvelope,
  type PeerMessage,
} from "../../../capabilities/peering/peerEnvelope.js";
import { generateSm2KeyPair } from "../../../gateway/signing/sm2Keys.js";
import { sm2PrivateKey, sm2PublicKey } from "../../../gateway/signing/sm2.js";
import { opensslVerifies, smCryptoSigned, smCryptoVerifies } from "../../support/independentSm2.js";
import { isFinalRefusal } from "../../../capabilities/peering/peerRefusal.js";

const keys = generateSm2KeyPair();
const privateKey = sm2PrivateKey(keys.privateKeyPem);
const publicKey = sm2PublicKey(keys.publicKeyPem);

const message: PeerMessage = {
  id: "6f1c2a0e-9b7d-4c55-8a31-2f0e4d6b8c90",
  from: "hub-henan",
  to: "hub-anhui",
  type: "SAMPLE_NOTE",
  conversation: "task-1",
  sequence: 1,
  sentAt: "2026-11-23T08:00:00.000Z",
  body: { text: "查封", amount: "120000.00" },
};

describe("the signed envelope of a peer message", () => {
  it("verifies with the signer's SM2 public key, also after the JSON was re-serialised in another key order", () => {
    const envelope = signEnvelope(message, privateKey);
    const reversed = Object.fromEntries(Object.entries({ ...message, body: { amount: "120000.00", text: "查封" } }).reverse());
    const reordered = JSON.parse(JSON.stringify({ signature: envelope.signature, signed: reversed }));
    expect(JSON.stringify(reordered.signed)).not.toBe(JSON.stringify(message));
    expect(verifyEnvelope(envelope, publicKey)).toBe(true);
    expect(verifyEnvelope(reordered, publicKey)).toBe(true);
  });

  it("does not verify with another key, or once any field was changed", () => {
    const envelope = signEnvelope(message, privateKey);
    expect(verifyEnvelope(envelope, sm2PublicKey(generateSm2KeyPair().publicKeyPem))).toBe(false);
    expect(verifyEnvelope({ ...envelope, signed: { ...message, sequence: 2 } }, publicKey)).toBe(false);
    expect(verifyEnvelope({ ...envelope, signed: { ...message, body: { text: "解封" } } }, publicKey)).toBe(false);
    expect(verifyEnvelope({ ...envelope, signature: "not base64 at all" }, publicKey)).toBe(false);
  });

  it("is a standard SM2 signature (GB/T 32918, GB/T 35276 signer ID) that OpenSSL and sm-crypto verify", () => {
    const envelope = signEnvelope(message, privateKey);
    expect(opensslVerifies(keys.publicKeyPem, canonicalJson(message), envelope.signature)).toBe(true);
    expect(smCryptoVerifies(publicKey.publicKeyHex, canonicalJson(message), envelope.signature)).toBe(true);
  });

  it("verifies a peer signing with sm-crypto under the signer ID agreed with it", () => {
    const signed = smCryptoSigned(canonicalJson(message), "hub-anhui");
    const envelope = { signed: message, signature: signed.signature };
    expect(verifyEnvelope(envelope, sm2PublicKey(signed.publicKeyHex, "hub-anhui"))).toBe(true);
    expect(verifyEnvelope(envelope, sm2PublicKey(signed.publicKeyHex))).toBe(false);
  });

  it("digests what a message says, the same for every resend whatever its time", () => {
    expect(contentDigest({ ...message, sentAt: "2026-11-24T00:00:00.000Z" })).toBe(contentDigest(message));
    expect(contentDigest({ ...message, body: { text: "解封" } })).not.toBe(contentDigest(message));
  });

  it("counts a message fresh within the window either side of the receiver's clock", () => {
    const now = new Date("2026-11-23T08:05:00.000Z");
    expect(isFresh("2026-11-23T08:00:00.000Z", now, 5 * 60_000)).toBe(true);
    expect(isFresh("2026-11-23T08:10:00.000Z", now, 5 * 60_000)).toBe(true);
    expect(isFresh("2026-11-23T07:59:59.999Z", now, 5 * 60_000)).toBe(false);
    expect(isFresh("2026-11-23T08:10:00.001Z", now, 5 * 60_000)).toBe(false);
    expect(isFresh("yesterday", now, 5 * 60_000)).toBe(false);
  });

  it("reads only well-formed envelopes", () => {
    const envelope = signEnvelope(message, privateKey);
    expect(parseMessageEnvelope(JSON.stringify(envelope))).toEqual(envelope);
    for (const bad of [
      "not json",
      "null",
      JSON.stringify({ signed: message }),
      JSON.stringify({ ...envelope, signed: { ...message, id: "42" } }),
      JSON.stringify({ ...envelope, signed: { ...message, sequence: 0 } }),
      JSON.stringify({ ...envelope, signed: { ...message, from: "" } }),
      JSON.stringify({ ...envelope, signed: { ...message, body: undefined } }),
    ]) {
      expect(parseMessageEnvelope(bad), bad).toBeUndefined();
    }
  });

  it("tells the sender to keep trying on refusals an operator can put right, and to give up on the others", () => {
    expect(["UNKNOWN_PEER", "BAD_SIGNATURE", "STALE_MESSAGE", "NOT_ADDRESSED_HERE", "A_NEWER_CODE"].map(isFinalRefusal)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(["MALFORMED", "TYPE_NOT_ALLOWED", "NO_HANDLER", "OUT_OF_ORDER", "ID_REUSED", "REJECTED"].map(isFinalRefusal)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
  });
});
