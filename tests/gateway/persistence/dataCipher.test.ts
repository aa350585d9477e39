/**
 * The cipher personal data is sealed with at rest (SM4-GCM, GB/T 32907) and the keys it takes: a round trip
 * gives the text back, every altered byte fails authentication, a value names the key version that sealed it,
 * and keys that are missing (in production), malformed or weak stop the start with one line.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataCipher, DataSealError, type DataKeys } from "../../../gateway/persistence/dataCipher.js";
import { dataKeysFromEnv, newDataKeyFile, requireDataKeys } from "../../../gateway/persistence/dataKeys.js";

const dir = mkdtempSync(join(tmpdir(), "hub-data-keys-"));
const keysOf = (json: string): DataKeys => dataKeysFromEnv({ HUB_DATA_KEYS: json })!;
const first = newDataKeyFile();
const cipher = new DataCipher(keysOf(first));

describe("DataCipher", () => {
  it("gives back what it sealed, names the key version, and seals the same text differently each time", () => {
    for (const text of ["410225198001014510", "孙八", "", '{"name":"孙八","age":46}', "x".repeat(10_000)]) {
      const sealed = cipher.seal(text);
      expect(sealed).toMatch(/^sm4gcm:1:[A-Za-z0-9+/=]+$/);
      expect(sealed).not.toContain(text || "\u0000");
      expect(cipher.open(sealed)).toBe(text);
    }
    expect(cipher.seal("孙八")).not.toBe(cipher.seal("孙八"));
    expect(cipher.openJson(cipher.sealJson({ name: "孙八", age: 46 }))).toEqual({ name: "孙八", age: 46 });
  });

  it("refuses a value with any byte flipped (nonce, ciphertext or tag), another version's label, or no seal at all", () => {
    const sealed = cipher.seal("410225198001014510");
    const bytes = Buffer.from(sealed.slice("sm4gcm:1:".length), "base64");
    for (let i = 0; i < bytes.length; i++) {
      const flipped = Buffer.from(bytes);
      flipped[i] ^= 0x01;
      expect(() => cipher.open(`sm4gcm:1:${flipped.toString("base64")}`), `byte ${i}`).toThrow(DataSealError);
    }
    expect(() => cipher.open(`sm4gcm:1:${bytes.subarray(0, 20).toString("base64")}`)).toThrow("truncated");
    expect(() => cipher.open("410225198001014510")).toThrow("not sealed");
    // The version is authenticated too: the same bytes relabelled as another configured version fail.
    const rotated = new DataCipher(keysOf(newDataKeyFile(file("keys-v1.json", first))));
    const relabelled = `sm4gcm:2:${bytes.toString("base64")}`;
    expect(() => rotated.open(relabelled)).toThrow(DataSealError);
    expect(() => cipher.open(relabelled)).toThrow("data key version 2 is not configured");
  });

  it("after a new key version is added, seals with it and still opens the old one's values", () => {
    const path = file("keys-rotate.json", first);
    const rotated = new DataCipher(keysOf(newDataKeyFile(path)));
    expect(rotated.keys.write).toBe(2);
    const old = cipher.seal("孙八");
    expect(rotated.open(old)).toBe("孙八");
    expect(rotated.seal("孙八")).toMatch(/^sm4gcm:2:/);
    // Lookup digests keep their key across data key versions, so rows need no re-indexing on rotation.
    expect(rotated.lookup("410225198001014510")).toBe(cipher.lookup("410225198001014510"));
  });

  it("digests ID numbers with HMAC-SM3 under the lookup key: stable, and different under another key", () => {
    const digest = cipher.lookup("410225198001014510");
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(cipher.lookup("410225198001014510")).toBe(digest);
    expect(cipher.lookup("410225198001014528")).not.toBe(digest);
    expect(new DataCipher(keysOf(newDataKeyFile())).lookup("410225198001014510")).not.toBe(digest);
  });
});

describe("the data keys (HUB_DATA_KEY_FILE, HUB_DATA_KEYS)", () => {
  const valid = JSON.parse(first);
  const inline = (value: unknown) => () => dataKeysFromEnv({ HUB_DATA_KEYS: JSON.stringify(value) });

  it("reads the same keys from a file or the environment; without either only development starts", () => {
    const path = file("keys.json", first);
    expect(dataKeysFromEnv({ HUB_DATA_KEY_FILE: path })).toEqual(keysOf(first));
    expect(dataKeysFromEnv({})).toBeUndefined();
    expect(requireDataKeys(undefined, false)).toBeUndefined();
    expect(() => requireDataKeys(undefined, true)).toThrow(
      "environment: HUB_DATA_KEY_FILE or HUB_DATA_KEYS: is missing: production needs its own data keys",
    );
    expect(() => dataKeysFromEnv({ HUB_DATA_KEY_FILE: path, HUB_DATA_KEYS: first })).toThrow("set one of them, not both");
  });

  it("refuses, naming the key and the rule but never the value, a weak, short or unknown key and a write version not given", () => {
    const zeros = "00".repeat(16);
    const cases: [unknown, string][] = [
      [{ ...valid, keys: { "1": zeros } }, "keys.1: is too weak: fewer than 8 distinct bytes, not a random key"],
      [{ ...valid, keys: { "1": "abcd".repeat(8) } }, "keys.1: is too weak"],
      [{ ...valid, keys: { "1": "ab12" } }, "keys.1: must be 32 hex digits (16 random bytes)"],
      [{ ...valid, lookup: "0123456789abcdef".repeat(2) }, "lookup: must be 64 hex digits (32 random bytes)"],
      [{ ...valid, write: 3 }, "write: names a version that is not among keys"],
      [{ ...valid, wirte: 1 }, "wirte: unknown key"],
    ];
    for (const [value, rule] of cases) {
      expect(inline(value), rule).toThrow(`environment: HUB_DATA_KEYS: ${rule}`);
      try {
        inline(value)();
      } catch (error) {
        expect((error as Error).message).not.toContain(valid.lookup);
        expect((error as Error).message.split("\n")).toHaveLength(1);
      }
    }
    const weakFile = file("weak.json", JSON.stringify({ ...valid, lookup: "00".repeat(32) }));
    expect(() => dataKeysFromEnv({ HUB_DATA_KEY_FILE: weakFile })).toThrow(`${weakFile}: lookup: is too weak`);
    expect(() => dataKeysFromEnv({ HUB_DATA_KEYS: "{not json" })).toThrow("environment: HUB_DATA_KEYS: cannot be read as JSON");
  });
});

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
