import { describe, expect, it } from "vitest";
import { hubSigningKey, signBatch, verifySignature } from "../../../../capabilities/sanctions/delivery/batchSigner.js";
import { generateSm2KeyPair } from "../../../../gateway/signing/sm2Keys.js";
import { opensslVerifies, smCryptoVerifies } from "../../../support/independentSm2.js";

// 密码法 art. 27 and GB/T 39786-2021: government exchange is signed with the national algorithms (SM2, SM3).
describe("list batches are signed so partners can tell they came from the hub", () => {
  const pem = generateSm2KeyPair();
  const key = hubSigningKey(pem.privateKeyPem);
  const body = JSON.stringify({ partner: "RAILWAY", batchId: "b1", changes: [] });

  it("SM2 with SM3: verifies with the hub's public key, fails on any other bytes or key", () => {
    const signature = signBatch("SM2", body, key, null);
    expect(key.publicKeyPem).toBe(pem.publicKeyPem);
    expect(verifySignature("SM2", body, signature, { publicKeyPem: pem.publicKeyPem })).toBe(true);
    expect(verifySignature("SM2", body.replace("b1", "b2"), signature, { publicKeyPem: pem.publicKeyPem })).toBe(false);
    expect(verifySignature("SM2", body, signature, { publicKeyPem: generateSm2KeyPair().publicKeyPem })).toBe(false);
    expect(verifySignature("SM2", body, "not base64 DER", { publicKeyPem: pem.publicKeyPem })).toBe(false);
  });

  it("SM2: the batch signature verifies in software sharing no code with the hub (OpenSSL, sm-crypto), default signer ID", () => {
    const signature = signBatch("SM2", body, key, null);
    expect(opensslVerifies(pem.publicKeyPem, body, signature)).toBe(true);
    expect(smCryptoVerifies(key.privateKey.publicKeyHex, body, signature)).toBe(true);
  });

  it("SM2 under a signer ID agreed with the partners (HUB_SM2_SIGNER_ID)", () => {
    const signature = signBatch("SM2", body, hubSigningKey(pem.privateKeyPem, "hub-henan"), null);
    expect(opensslVerifies(pem.publicKeyPem, body, signature, "hub-henan")).toBe(true);
    expect(verifySignature("SM2", body, signature, { publicKeyPem: pem.publicKeyPem, signerId: "hub-henan" })).toBe(true);
    expect(verifySignature("SM2", body, signature, { publicKeyPem: pem.publicKeyPem })).toBe(false);
  });

  it("HMAC-SM3 for partners that cannot verify SM2: needs the shared secret", () => {
    const signature = signBatch("HMAC_SM3", body, key, "shared");
    expect(verifySignature("HMAC_SM3", body, signature, { secret: "shared" })).toBe(true);
    expect(verifySignature("HMAC_SM3", body, signature, { secret: "other" })).toBe(false);
    expect(verifySignature("SM2", body, signature, { secret: "shared" })).toBe(false);
    expect(() => signBatch("HMAC_SM3", body, key, null)).toThrow(/secret/);
  });
});
