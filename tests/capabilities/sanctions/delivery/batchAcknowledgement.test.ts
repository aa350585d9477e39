/**
 * A partner's acknowledgement of a push batch counts only when the partner itself signed it
 * (密码法 art. 27, GB/T 39786-2021: SM2 with SM3, or HMAC-SM3 with the shared secret), over the
 * batch id, the last change and the SM3 of the exact bytes it received.
 */
import { describe, expect, it } from "vitest";
import { sm3 } from "../../../../gateway/audit/sm3.js";
import {
  acknowledgeBatch,
  acknowledgementRefusal,
  acknowledgementText,
  canVerifyAcknowledgements,
} from "../../../../capabilities/sanctions/delivery/batchAcknowledgement.js";
import type { ChangeMessage } from "../../../../capabilities/sanctions/delivery/changeMessage.js";
import { generateSm2KeyPair } from "../../../../gateway/signing/sm2Keys.js";
import { sm2PrivateKey, sm2PublicKey, sm2PublicKeyPem } from "../../../../gateway/signing/sm2.js";
import { opensslVerifies, smCryptoSigned, smCryptoVerifies } from "../../../support/independentSm2.js";

const change = (seq: string): ChangeMessage => ({
  seq,
  entryId: "0b8e3c1e-0000-4000-8000-000000000001",
  list: "DISHONEST_DEBTOR",
  idNumber: "410225199001011234",
  debtorSeq: 1,
  operation: "LIST",
  status: "LISTED",
  fields: { name: "张三" },
});
const batch = { partner: "RAILWAY", batchId: "6f1c2d3e-4a5b-4c6d-8e7f-000000000001", changes: [change("41"), change("42")] };
const body = JSON.stringify(batch);
const partnerKey = generateSm2KeyPair();
const sm2Partner = { signing: "SM2" as const, secret: null, publicKey: partnerKey.publicKeyPem };
const hmacPartner = { signing: "HMAC_SM3" as const, secret: "shared", publicKey: null };
const signedBy = (privateKeyPem: string) => acknowledgeBatch("SM2", batch, body, { privateKey: sm2PrivateKey(privateKeyPem) });

describe("the signed text", () => {
  it("names the batch, its last change and the SM3 of the body", () => {
    expect(acknowledgementText(batch.batchId, "42", body)).toBe(`SANCTION-BATCH-ACK\n${batch.batchId}\n42\n${sm3(body)}`);
    expect(signedBy(partnerKey.privateKeyPem)).toMatchObject({ batchId: batch.batchId, lastSeq: "42" });
  });
});

describe("SM2: signed with the partner's own key", () => {
  it("is accepted with the partner's registered public key", () => {
    expect(acknowledgementRefusal(sm2Partner, batch, body, JSON.stringify(signedBy(partnerKey.privateKeyPem)))).toBeNull();
  });

  it("is a standard SM2 signature (GB/T 32918, GB/T 35276 signer ID) that OpenSSL and sm-crypto verify", () => {
    const ack = signedBy(partnerKey.privateKeyPem);
    const text = acknowledgementText(batch.batchId, ack.lastSeq, body);
    expect(opensslVerifies(partnerKey.publicKeyPem, text, ack.signature)).toBe(true);
    expect(smCryptoVerifies(sm2PublicKey(partnerKey.publicKeyPem).publicKeyHex, text, ack.signature)).toBe(true);
  });

  it("is accepted when the partner signs with its own software (sm-crypto) and a hex key", () => {
    const signed = smCryptoSigned(acknowledgementText(batch.batchId, "42", body));
    const partner = { ...sm2Partner, publicKey: sm2PublicKeyPem(sm2PublicKey(signed.publicKeyHex)) };
    const reply = JSON.stringify({ batchId: batch.batchId, lastSeq: "42", signature: signed.signature });
    expect(acknowledgementRefusal(partner, batch, body, reply)).toBeNull();
  });

  it("is accepted under the signer ID agreed with the partner, and refused under any other", () => {
    const text = acknowledgementText(batch.batchId, "42", body);
    const signed = smCryptoSigned(text, "RAILWAY-12306");
    const partner = { ...sm2Partner, publicKey: signed.publicKeyHex, signerId: "RAILWAY-12306" };
    const reply = JSON.stringify({ batchId: batch.batchId, lastSeq: "42", signature: signed.signature });
    expect(acknowledgementRefusal(partner, batch, body, reply)).toBeNull();
    expect(acknowledgementRefusal({ ...partner, signerId: null }, batch, body, reply)).toMatch(/SM2 signature does not verify/);
    const standard = smCryptoSigned(text);
    const standardReply = JSON.stringify({ batchId: batch.batchId, lastSeq: "42", signature: standard.signature });
    expect(acknowledgementRefusal({ ...partner, publicKey: standard.publicKeyHex }, batch, body, standardReply)).toMatch(/does not verify/);
  });

  it("is refused when signed by another key, unsigned, or about other bytes, another batch or another last change", () => {
    const good = signedBy(partnerKey.privateKeyPem);
    const refusal = (reply: unknown, sentBody = body) =>
      acknowledgementRefusal(sm2Partner, batch, sentBody, typeof reply === "string" ? reply : JSON.stringify(reply));
    expect(refusal(signedBy(generateSm2KeyPair().privateKeyPem))).toMatch(/SM2 signature does not verify/);
    expect(refusal({ batchId: batch.batchId, lastSeq: "42" })).toMatch(/not signed/);
    expect(refusal({ ...good, signature: "" })).toMatch(/not signed/);
    expect(refusal({ ...good, signature: "garbage" })).toMatch(/does not verify/);
    // The partner signed what it received; the hub sent other bytes (altered on the way).
    expect(refusal(good, body.replace("张三", "李四"))).toMatch(/does not verify/);
    expect(refusal({ ...good, batchId: "6f1c2d3e-4a5b-4c6d-8e7f-000000000002" })).toMatch(/names batch/);
    expect(refusal({ ...good, lastSeq: "41" })).toMatch(/last change 41, not 42/);
    expect(refusal("OK")).toMatch(/not JSON/);
    expect(refusal("null")).toMatch(/names batch undefined/);
  });

  it("cannot be checked for a partner registered without a public key", () => {
    const keyless = { ...sm2Partner, publicKey: null };
    expect(canVerifyAcknowledgements(keyless)).toBe(false);
    expect(canVerifyAcknowledgements(sm2Partner)).toBe(true);
    expect(acknowledgementRefusal(keyless, batch, body, JSON.stringify(signedBy(partnerKey.privateKeyPem)))).toMatch(/does not verify/);
  });
});

describe("HMAC-SM3: signed with the shared secret", () => {
  it("is accepted with the secret, refused with another or as SM2", () => {
    const ack = acknowledgeBatch("HMAC_SM3", batch, body, { secret: "shared" });
    expect(ack.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(acknowledgementRefusal(hmacPartner, batch, body, JSON.stringify(ack))).toBeNull();
    const forged = acknowledgeBatch("HMAC_SM3", batch, body, { secret: "guessed" });
    expect(acknowledgementRefusal(hmacPartner, batch, body, JSON.stringify(forged))).toMatch(/HMAC_SM3 signature does not verify/);
    expect(acknowledgementRefusal(sm2Partner, batch, body, JSON.stringify(ack))).toMatch(/SM2 signature does not verify/);
    expect(() => acknowledgeBatch("HMAC_SM3", batch, body, {})).toThrow(/secret/);
  });
});
