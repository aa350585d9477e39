/** Token verification with an identity provider's key set: keys chosen by `kid`, so the provider can rotate them. */
import { exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { loadOrCreateTokenKeys } from "../../../gateway/auth/tokenKeys.js";
import { verifyToken } from "../../../gateway/auth/tokens.js";
import { craftToken } from "../../support/craftedTokens.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

describe("keys from a JWKS file", () => {
  it("verifies a token signed by any listed key, by kid, and refuses an unknown kid as UNKNOWN_KEY", async () => {
    const [old, current] = [await generateKeyPair("EdDSA", { extractable: true }), await generateKeyPair("EdDSA", { extractable: true })];
    const dir = mkdtempSync(join(tmpdir(), "hub-jwks-"));
    const jwksFile = join(dir, "jwks.json");
    const keys = [
      { ...(await exportJWK(old.publicKey)), kid: "2025", alg: "EdDSA" },
      { ...(await exportJWK(current.publicKey)), kid: "2026", alg: "EdDSA" },
    ];
    writeFileSync(jwksFile, JSON.stringify({ keys }));
    const hubKeys = await loadOrCreateTokenKeys(dir, { jwksFile });
    for (const [kid, pair] of [
      ["2025", old],
      ["2026", current],
    ] as const) {
      const principal = await verifyToken(hubKeys, await craftToken(pair, {}, { kid }));
      expect(principal).toMatchObject({ org: "豫0225", roles: ["CASE_OFFICER"] });
    }
    await expect(verifyToken(hubKeys, await craftToken(current, {}, { kid: "2027" }))).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
      details: { reason: "UNKNOWN_KEY" },
    });
  });
});
