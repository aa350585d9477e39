/**
 * Configuration is checked before the hub starts (gateway/configFile.ts): a misspelt key, a
 * missing or weak secret, an unknown HUB_* variable or a plain-HTTP endpoint in production
 * stops the start with one line naming the file, the key and the rule. Before, an agency
 * without `secret` started with an empty HMAC key and accepted callbacks signed with it.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readPeersFile } from "../../capabilities/peering/peerRegistry.js";
import { configFromEnv } from "../../gateway/config.js";
import { generateSm2KeyPair } from "../../gateway/signing/sm2Keys.js";

const dir = mkdtempSync(join(tmpdir(), "hub-config-"));
const SECRET = "a-shared-secret-of-thirty-two-bytes!";
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};
const agencies = (tax: Record<string, unknown>) => file(`agencies-${Math.random()}.json`, { TAX: tax });
const national = { baseUrl: "https://tax.gov.example/gateway" };
const load = (env: NodeJS.ProcessEnv) => () => configFromEnv({ HUB_DATA_DIR: dir, ...env });

describe("the agencies file (HUB_AGENCIES_FILE)", () => {
  it("is refused, naming file, key and rule, with a misspelt key, a missing, empty or short secret, or an unknown agency", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ TAX: { national, secrett: SECRET } }, "TAX.secrett: unknown key"],
      [{ TAX: { national } }, "TAX.secret: is missing: a shared secret is required"],
      [{ TAX: { national, secret: "" } }, "TAX.secret: is too weak: a shared secret needs at least 32 bytes"],
      [{ TAX: { national, secret: "sandbox-secret" } }, "TAX.secret: is too weak"],
      [{ TAXES: { national, secret: SECRET } }, "TAXES: unknown key"],
      [{ TAX: { national: { ...national, timeoutMs: 5 }, secret: SECRET } }, "TAX.national.timeoutMs: unknown key"],
    ];
    for (const [content, rule] of cases) {
      const path = file(`case-${Math.random()}.json`, content);
      expect(load({ HUB_AGENCIES_FILE: path }), rule).toThrow(`${path}: ${rule}`);
    }
  });

  it("takes plain HTTP endpoints in development, and in production only to this machine when HUB_OUTBOUND_ALLOW names it", () => {
    const path = agencies({ national: { baseUrl: "http://tax.gov.example/gateway" }, secret: SECRET });
    expect(load({ HUB_AGENCIES_FILE: path })().agencies?.TAX?.secret).toBe(SECRET);
    expect(load({ HUB_AGENCIES_FILE: path, NODE_ENV: "production" })).toThrow(
      `${path}: TAX.national.baseUrl: the URL must be an https:// URL outside development (NODE_ENV=production) (HTTPS_REQUIRED)`,
    );
    const loopback = agencies({ national: { baseUrl: "http://127.0.0.1:4101/national" }, secret: SECRET });
    expect(load({ HUB_AGENCIES_FILE: loopback, NODE_ENV: "production" })).toThrow(
      `${loopback}: TAX.national.baseUrl: 127.0.0.1 is a loopback address (this machine); ` +
        "HUB_OUTBOUND_ALLOW can allow it (LOOPBACK_ADDRESS)",
    );
    const allowed = load({ HUB_AGENCIES_FILE: loopback, NODE_ENV: "production", HUB_OUTBOUND_ALLOW: "127.0.0.1" })();
    expect(allowed.agencies?.TAX?.national?.baseUrl).toContain("127.0.0.1");
  });

  it("refuses endpoints at metadata services and private addresses in production, and metadata services always", () => {
    const metadata = agencies({ national: { baseUrl: "http://169.254.169.254/latest" }, secret: SECRET });
    expect(load({ HUB_AGENCIES_FILE: metadata })).toThrow(`${metadata}: TAX.national.baseUrl: 169.254.169.254 is a cloud metadata service`);
    const named = agencies({ national: { baseUrl: "https://metadata.google.internal/" }, secret: SECRET });
    expect(load({ HUB_AGENCIES_FILE: named })).toThrow("(METADATA_ADDRESS)");
    const lan = agencies({ local: { "41": { baseUrl: "https://10.1.2.3/tax" } }, secret: SECRET });
    expect(load({ HUB_AGENCIES_FILE: lan, NODE_ENV: "production" })).toThrow(`${lan}: TAX.local.41.baseUrl: 10.1.2.3 is a private network`);
    expect(load({ HUB_AGENCIES_FILE: lan, NODE_ENV: "production", HUB_OUTBOUND_ALLOW: "tax.internal, 10.1.0.0/16" })).not.toThrow();
    expect(load({ HUB_OUTBOUND_ALLOW: "10.1.0.0/99" })).toThrow(
      'environment: HUB_OUTBOUND_ALLOW: "10.1.0.0/99" is not a host name, an IP address or a CIDR range',
    );
  });
});

describe("the environment", () => {
  it("refuses an unknown HUB_* variable and a malformed number, naming it", () => {
    expect(load({ HUB_AGENCY_FILE: "agencies.json" })).toThrow("environment: HUB_AGENCY_FILE: unknown variable");
    expect(load({ HUB_DB_POOL_SIZE: "many" })).toThrow("environment: HUB_DB_POOL_SIZE: must be a positive whole number");
    expect(load({ HUB_RATE_LIMIT_REQUESTS: "0" })).toThrow(
      "environment: HUB_RATE_LIMIT_REQUESTS: must be a positive whole number of requests",
    );
    expect(load({ HUB_RATE_LIMIT_REQUESTS: "50", HUB_RATE_LIMIT_WINDOW_SECONDS: "1" })().rateLimits).toEqual({
      requests: 50,
      windowSeconds: 1,
    });
  });
});

describe("the peers file (HUB_PEERS_FILE)", () => {
  const DEVELOPMENT = { development: true, allow: [] };
  const peer = { hubId: "anhui", baseUrl: "https://hub.ah.court.example", publicKey: generateSm2KeyPair().publicKeyPem, provinces: ["34"] };

  it("reads each peer with its signer ID, and refuses unknown keys and a peer without a key", () => {
    expect(readPeersFile(file("peers-ok.json", { peers: [{ ...peer, signerId: "hub-anhui" }] }), DEVELOPMENT)[0]).toMatchObject({
      hubId: "anhui",
      signerId: "hub-anhui",
      accepts: [],
    });
    const typo = file("peers-typo.json", { peers: [{ ...peer, signerID: "hub-anhui" }] });
    expect(() => readPeersFile(typo, DEVELOPMENT)).toThrow(`${typo}: peers.0.signerID: unknown key`);
    const keyless = file("peers-keyless.json", { peers: [{ ...peer, publicKey: undefined }] });
    expect(() => readPeersFile(keyless, DEVELOPMENT)).toThrow(`${keyless}: peers.0.publicKey: is missing`);
    const plain = file("peers-http.json", { peers: [{ ...peer, baseUrl: "http://hub.ah.court.example" }] });
    expect(() => readPeersFile(plain, { development: false, allow: [] })).toThrow(
      `${plain}: peers.0.baseUrl: the URL must be an https:// URL`,
    );
  });
});

describe("the production entry (gateway/main.ts)", () => {
  const start = (env: NodeJS.ProcessEnv) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "gateway/main.ts"], {
        env: { ...process.env, ...env, HUB_DATA_DIR: dir },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("exit", (code) => resolve({ code, stderr }));
    });

  it("exits 1 before starting, with one line naming the file, the key and the rule", async () => {
    const path = agencies({ national, secrett: SECRET });
    const { code, stderr } = await start({ HUB_AGENCIES_FILE: path, PORT: "0" });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`configuration refused: ${path}: TAX.secrett: unknown key`);
  }, 90_000);
});
