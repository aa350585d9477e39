import { createPrivateKey, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEFAULT_SM2_SIGNER_ID, sm2PrivateKey, sm2PublicKey, sm2PublicKeyPem, sm2Sign, sm2Verify } from "../../../gateway/signing/sm2.js";
import { generateSm2KeyPair } from "../../../gateway/signing/sm2Keys.js";
import { opensslVerifies, smCryptoSigned, smCryptoVerifies } from "../../support/independentSm2.js";

const pair = generateSm2KeyPair();
const data = "SANCTION-BATCH-ACK\n失信被执行人\n42";

// GB/T 32918.2 signs SM3(Z‖M), Z binding the signer ID; GB/T 35276 art. 7.3 makes it 1234567812345678 by default.
describe("standard SM2 signatures (GB/T 32918.2 with the GB/T 35276 signer ID)", () => {
  it("the hub's signature verifies with OpenSSL (distid) and sm-crypto under the default signer ID, and under no other", () => {
    const key = sm2PrivateKey(pair.privateKeyPem);
    const signature = sm2Sign(data, key);
    expect(DEFAULT_SM2_SIGNER_ID).toBe("1234567812345678");
    expect(opensslVerifies(pair.publicKeyPem, data, signature)).toBe(true);
    expect(smCryptoVerifies(key.publicKeyHex, data, signature)).toBe(true);
    expect(opensslVerifies(pair.publicKeyPem, data, signature, "ALICE123@YAHOO.COM")).toBe(false);
    expect(smCryptoVerifies(key.publicKeyHex, `${data} `, signature)).toBe(false);
  });

  it("signs under a signer ID agreed with a counterpart", () => {
    const key = sm2PrivateKey(pair.privateKeyPem, "hub-henan@court");
    const signature = sm2Sign(data, key);
    expect(opensslVerifies(pair.publicKeyPem, data, signature, "hub-henan@court")).toBe(true);
    expect(smCryptoVerifies(key.publicKeyHex, data, signature, "hub-henan@court")).toBe(true);
    expect(sm2Verify(data, signature, sm2PublicKey(pair.publicKeyPem))).toBe(false);
    expect(sm2Verify(data, signature, sm2PublicKey(pair.publicKeyPem, "hub-henan@court"))).toBe(true);
  });

  it("verifies signatures made by sm-crypto, with keys in the hex forms vendors ship", () => {
    const standard = smCryptoSigned(data);
    expect(sm2Verify(data, standard.signature, sm2PublicKey(standard.publicKeyHex))).toBe(true);
    expect(sm2Verify(data, standard.signature, sm2PublicKey(standard.publicKeyHex.slice(2)))).toBe(true);
    expect(sm2Verify(data.replace("42", "43"), standard.signature, sm2PublicKey(standard.publicKeyHex))).toBe(false);
    const agreed = smCryptoSigned(data, "partner-railway");
    expect(sm2Verify(data, agreed.signature, sm2PublicKey(agreed.publicKeyHex, "partner-railway"))).toBe(true);
    expect(sm2Verify(data, agreed.signature, sm2PublicKey(agreed.publicKeyHex))).toBe(false);
  });

  it("reads a private key from 64 hex digits and gives its public half as SPKI PEM", () => {
    const vendor = smCryptoSigned(data);
    const key = sm2PrivateKey(vendor.privateKeyHex.toUpperCase());
    expect(key.publicKeyHex).toBe(vendor.publicKeyHex);
    expect(opensslVerifies(sm2PublicKeyPem(key), data, sm2Sign(data, key))).toBe(true);
    expect(sm2PublicKeyPem(sm2PublicKey(pair.publicKeyPem))).toBe(pair.publicKeyPem);
  });

  it("refuses what Node's crypto signs (an empty signer ID), and signatures that are not DER", () => {
    const emptyId = sign("sm3", Buffer.from(data), createPrivateKey(pair.privateKeyPem)).toString("base64");
    const publicKey = sm2PublicKey(pair.publicKeyPem);
    expect(sm2Verify(data, emptyId, publicKey)).toBe(false);
    for (const bad of ["", "not base64 at all", Buffer.alloc(64, 1).toString("base64")])
      expect(sm2Verify(data, bad, publicKey)).toBe(false);
  });

  it("refuses keys that are not SM2 keys", () => {
    expect(() => sm2PublicKey(`04${"00".repeat(64)}`)).toThrow(/SM2 curve/);
    expect(() => sm2PrivateKey("1234")).toThrow(/64 hex digits/);
    expect(() => sm2PublicKey("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n")).toThrow();
  });
});
