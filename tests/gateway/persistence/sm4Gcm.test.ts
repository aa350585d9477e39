import { randomBytes } from "node:crypto";
import { sm4 } from "sm-crypto-v2";
import { describe, expect, it } from "vitest";
import { Sm4Gcm } from "../../../gateway/persistence/sm4Gcm.js";

describe("SM4-GCM with the key schedule and GHASH table kept per key", () => {
  it("seals byte for byte as sm-crypto-v2 does, and opens what it seals, for every length across several blocks", () => {
    for (let length = 0; length < 100; length++) {
      const key = randomBytes(16);
      const nonce = randomBytes(12);
      const aad = randomBytes(length % 37);
      const plain = randomBytes(length);
      const reference = sm4.encrypt(plain, key, { mode: "gcm", iv: nonce, output: "array", outputTag: true, associatedData: aad }) as {
        output: Uint8Array;
        tag: Uint8Array;
      };
      const cipher = new Sm4Gcm(key);
      const sealed = cipher.encrypt(plain, nonce, aad);
      expect(sealed.output.toString("hex")).toBe(Buffer.from(reference.output).toString("hex"));
      expect(sealed.tag.toString("hex")).toBe(Buffer.from(reference.tag).toString("hex"));
      expect(cipher.decrypt(reference.output, nonce, reference.tag, aad).equals(plain)).toBe(true);
    }
  });

  it("refuses a flipped byte, a wrong tag or other associated data", () => {
    const cipher = new Sm4Gcm(randomBytes(16));
    const nonce = randomBytes(12);
    const aad = Buffer.from("hub-data:1");
    const { output, tag } = cipher.encrypt(Buffer.from("110101199003077777"), nonce, aad);
    const flipped = Buffer.from(output);
    flipped[3] ^= 1;
    expect(() => cipher.decrypt(flipped, nonce, tag, aad)).toThrow(/tag/);
    expect(() => cipher.decrypt(output, nonce, Buffer.alloc(16), aad)).toThrow(/tag/);
    expect(() => cipher.decrypt(output, nonce, tag, Buffer.from("hub-data:2"))).toThrow(/tag/);
  });
});
