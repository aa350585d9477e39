/** `npm run token`: help, the production guard, the lifetime cap, and the record of what it minted. */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadOrCreateTokenKeys } from "../../../gateway/auth/tokenKeys.js";
import { verifyToken } from "../../../gateway/auth/tokens.js";

const dataDir = mkdtempSync(join(tmpdir(), "hub-token-cli-"));

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "gateway/cli/token.ts", ...args],
      { env: { ...process.env, HUB_DATA_DIR: dataDir, DATABASE_URL: "", NODE_ENV: "", ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("npm run token", () => {
  it("--help prints the usage and exits 0; a production configuration or a too long --ttl is refused", async () => {
    const [help, production, tooLong] = await Promise.all([
      run(["--help"]),
      run(["--org", "豫0225", "--role", "judge"], { NODE_ENV: "production" }),
      run(["--org", "豫0225", "--role", "judge", "--ttl", "999999"]),
    ]);
    expect(help).toMatchObject({ code: 0, stdout: expect.stringContaining("usage: npm run token") });
    expect(production).toMatchObject({ code: 2, stderr: expect.stringContaining("--allow-production") });
    expect(tooLong).toMatchObject({ code: 2, stderr: expect.stringContaining("--ttl must be") });
  }, 60_000);

  it("mints a token the hub's key verifies and records TOKEN_MINTED with org, roles, officer, exp and jti", async () => {
    const minted = await run(["--org", "豫0225", "--role", "judge", "--officer", "张法官", "--ttl", "600"]);
    expect(minted.code, minted.stderr).toBe(0);
    const principal = await verifyToken(await loadOrCreateTokenKeys(dataDir), minted.stdout.trim());
    expect(principal).toMatchObject({ org: "豫0225", roles: ["JUDGE"], officer: "张法官" });
    const [record] = readFileSync(join(dataDir, "keys", "minted-tokens.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(record).toMatchObject({ action: "TOKEN_MINTED", detail: { org: "豫0225", roles: ["JUDGE"], officer: "张法官" } });
    expect(record.detail.exp * 1000).toBe(principal.expiresAt);
    expect(record.detail.jti).toMatch(/^[0-9a-f-]{36}$/);
  }, 60_000);
});
