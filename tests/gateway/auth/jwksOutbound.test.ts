/**
 * The identity provider's key set (HUB_JWT_JWKS_URL) is fetched under the outbound rule, as agencies are: refused
 * at configuration when the URL names an address the hub must not reach, and at connection when the name resolves
 * to one, unless HUB_OUTBOUND_ALLOW names it.
 */
import { createServer, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOrCreateTokenKeys } from "../../../gateway/auth/tokenKeys.js";
import { configFromEnv } from "../../../gateway/config.js";

const dir = mkdtempSync(join(tmpdir(), "hub-jwks-"));
let server: Server;
let jwksUrl: string;
let token: string;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair("EdDSA");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "EdDSA" };
  server = createServer((_request, response) =>
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // By name: the rule is applied to the address the name resolves to.
  jwksUrl = `http://localhost:${(server.address() as AddressInfo).port}/jwks`;
  token = await new SignJWT({}).setProtectedHeader({ alg: "EdDSA", kid: "k1" }).setSubject("officer").sign(privateKey);
});
afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())));

describe("HUB_JWT_JWKS_URL", () => {
  it("is refused at configuration like an agency endpoint, unless HUB_OUTBOUND_ALLOW names its host", () => {
    const load = (env: NodeJS.ProcessEnv) => () => configFromEnv({ HUB_DATA_DIR: dir, ...env });
    expect(load({ HUB_JWT_JWKS_URL: "http://169.254.169.254/keys" })).toThrow(/HUB_JWT_JWKS_URL: .*METADATA_ADDRESS/);
    expect(load({ NODE_ENV: "production", HUB_JWT_JWKS_URL: "http://idp.court.example/jwks" })).toThrow(/HTTPS_REQUIRED/);
    expect(load({ NODE_ENV: "production", HUB_JWT_JWKS_URL: "https://10.1.2.3/jwks" })).toThrow(/PRIVATE_ADDRESS/);
    const allowed = load({ NODE_ENV: "production", HUB_JWT_JWKS_URL: "https://10.1.2.3/jwks", HUB_OUTBOUND_ALLOW: "10.1.2.3" })();
    expect(allowed.tokenKeys.jwksUrl).toBe("https://10.1.2.3/jwks");
  });

  it("is fetched through the outbound agent: a name resolving to this machine is not reached outside development", async () => {
    const refused = await loadOrCreateTokenKeys(dir, { jwksUrl, outbound: { development: false, allow: [] } });
    await expect(jwtVerify(token, refused.publicKey as never)).rejects.toThrow();
    const allowed = await loadOrCreateTokenKeys(dir, { jwksUrl, outbound: { development: false, allow: ["localhost"] } });
    expect((await jwtVerify(token, allowed.publicKey as never)).payload.sub).toBe("officer");
  });
});
