/**
 * The operator CLI (`npm run hub -- …`) spawned against a real hub: every subcommand acts through the hub's
 * API with the operator's token, so the hub's roles refuse what they refuse over GraphQL and its audit trail
 * records what was done; every group and subcommand answers --help.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOrCreateTokenKeys } from "../../../gateway/auth/tokenKeys.js";
import { startPartner, type RunningPartner } from "../../../sandbox/partners/partnerAgency.js";
import { caseNumber, residentId } from "../../support/identities.js";
import { DEAD_LETTERS, facts, registerPartner, RESTRICT } from "../../support/sanctions.js";
import { eventually, REGISTER_CASE, startTestHub, type TestHub } from "../../support/testHub.js";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let t: TestHub;
let dataDir: string;
let aviation: RunningPartner;
let operator: string;
let supervisor: string;
let officer: string;
let stuckCase: string;
let deadBatch: string;
let debtor: string;

function cli(args: string[], token?: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "gateway/cli/hub.ts", "--url", t.graphqlUrl, ...args],
      // token mint signs with the data folder's key and refuses a production configuration.
      { env: { ...process.env, TOKEN: token ?? "", HUB_DATA_DIR: dataDir, DATABASE_URL: "" } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "hub-cli-"));
  t = await startTestHub({
    keys: await loadOrCreateTokenKeys(dataDir),
    // The property registry is down: its part of an inquiry stays open, as an operator would find it.
    knobs: { PROPERTY_REGISTRY: { down: true } },
    sanctionDelivery: { sweepIntervalMs: 50, maxBackoffMs: 300, requestTimeoutMs: 1_000, maxAttempts: 2 },
  });
  operator = await t.token("HUB", ["OPERATOR"]);
  supervisor = await t.token("豫0225", ["SUPERVISOR"]);
  officer = await t.token("豫0225");
  aviation = await startPartner("CIVIL_AVIATION", { secret: "aviation-shared-secret-for-the-tests-01" });
  aviation.receiver.refuseBatches = true;
  await registerPartner(t, {
    code: "CIVIL_AVIATION",
    lists: ["CONSUMPTION_RESTRICTION"],
    fields: ["name", "startsOn", "expiresOn"],
    endpoint: aviation.endpoint,
    signing: "HMAC_SM3",
    secret: "aviation-shared-secret-for-the-tests-01",
  });
  stuckCase = caseNumber();
  debtor = residentId();
  const registered = await t.gql(
    REGISTER_CASE,
    {
      input: {
        caseNumber: stuckCase,
        creditorName: "开封农商银行",
        claimAmount: "70000",
        debtors: [{ kind: "PERSON", idNumber: debtor, name: "孙八" }],
      },
    },
    officer,
  );
  expect(registered.errors).toBeUndefined();
  expect((await t.gql(RESTRICT, { input: facts(stuckCase, debtor) }, officer)).errors).toBeUndefined();
  const dead = await eventually(
    () => t.gql(DEAD_LETTERS, { partner: "CIVIL_AVIATION" }, supervisor),
    (r) => r.data?.sanctionDeadLetters.length > 0,
  );
  deadBatch = dead.data.sanctionDeadLetters[0].batchId;
}, 60_000);

afterAll(async () => {
  await aviation?.close();
  await t?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function auditActions(action: string): Promise<{ actor_org: string; subject_id: string | null }[]> {
  return t.hub.db.sql.query("SELECT actor_org, subject_id FROM audit_event WHERE action = $1", [action]);
}

describe("npm run hub", () => {
  it("answers --help for itself, each group and each subcommand", async () => {
    const commands = [
      [],
      ["requests"],
      ["requests", "stuck"],
      ["requests", "oldest"],
      ["dead-letters", "list"],
      ["dead-letters", "replay"],
      ["audit", "verify"],
      ["keys", "rotate"],
      ["partners", "activate"],
      ["partners", "deactivate"],
      ["token", "mint"],
    ];
    const runs = await Promise.all(commands.map((command) => cli([...command, "--help"])));
    runs.forEach((run, index) => {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`Usage: hub ${commands[index].join(" ")}`.trim());
    });
    expect(runs[0].stdout).toMatch(/requests[\s\S]*dead-letters[\s\S]*audit[\s\S]*keys[\s\S]*partners[\s\S]*token/);
    expect((await cli(["requests", "stuck", "--minutes", "soon"], operator)).code).toBe(2);
  }, 60_000);

  it("shows the oldest and the stuck agency requests per agency, to operators only", async () => {
    const oldest = await cli(["requests", "oldest", "--agency", "PROPERTY_REGISTRY"], operator);
    expect(oldest.code, oldest.stderr).toBe(0);
    expect(oldest.stdout).toContain("PROPERTY_REGISTRY: 1 open");
    expect(oldest.stdout).toContain(stuckCase);
    const stuck = await cli(["requests", "stuck", "--minutes", "0", "--json"], operator);
    expect(stuck.code, stuck.stderr).toBe(0);
    const open = JSON.parse(stuck.stdout) as { agency: string; caseNumber: string }[];
    expect(open.filter((r) => r.caseNumber === stuckCase).map((r) => r.agency)).toContain("PROPERTY_REGISTRY");
    const notYet = await cli(["requests", "stuck", "--minutes", "60", "--agency", "PROPERTY_REGISTRY"], operator);
    expect(notYet.stdout).toContain("PROPERTY_REGISTRY: none open");
    const refused = await cli(["requests", "oldest"], officer);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("FORBIDDEN");
    const anonymous = await cli(["requests", "oldest"]);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain("no token");
  }, 120_000);

  it("lists a dead-lettered batch and replays it as a supervisor", async () => {
    const listed = await cli(["dead-letters", "list", "--partner", "CIVIL_AVIATION"], supervisor);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(deadBatch);
    expect((await cli(["dead-letters", "replay", deadBatch], officer)).stderr).toContain("FORBIDDEN");
    aviation.receiver.refuseBatches = false;
    const replayed = await cli(["dead-letters", "replay", deadBatch], supervisor);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(replayed.stdout).toContain("1 changes queued again");
    await eventually(
      async () => aviation.receiver.entriesOf(debtor).length,
      (held) => held === 1,
    );
  });

  it("verifies the audit chain through the running hub", async () => {
    const verified = await cli(["audit", "verify"], operator);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/audit chain intact: \d+ sealed rows verified/);
  });

  it("deactivates and activates a partner, audited by the hub as the caller", async () => {
    const off = await cli(["partners", "deactivate", "CIVIL_AVIATION", "--reason", "证书过期"], supervisor);
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toContain("CIVIL_AVIATION (CIVIL_AVIATION): inactive: 证书过期");
    const on = await cli(["partners", "activate", "CIVIL_AVIATION"], supervisor);
    expect(on.stdout).toContain("CIVIL_AVIATION (CIVIL_AVIATION): active");
    expect(await auditActions("SANCTION_PARTNER_DEACTIVATED")).toEqual([expect.objectContaining({ actor_org: "豫0225" })]);
    expect(await auditActions("SANCTION_PARTNER_REACTIVATED")).toEqual([expect.objectContaining({ actor_org: "豫0225" })]);
    const again = await cli(["partners", "activate", "CIVIL_AVIATION"], supervisor);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("PARTNER_ACTIVATION_UNCHANGED");
  });

  it("writes a new signing key pair and never overwrites one", async () => {
    const out = join(dataDir, "hub-sm2-next.pem");
    const rotated = await cli(["keys", "rotate", "signing", "--out", out]);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("BEGIN PRIVATE KEY");
    expect(rotated.stdout).toContain(readFileSync(`${out}.pub`, "utf8").trim());
    const again = await cli(["keys", "rotate", "signing", "--out", out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("exists already");
    expect((await cli(["keys", "rotate", "data", "--out", join(dataDir, "x.pem")])).code).toBe(2);
    expect(existsSync(join(dataDir, "x.pem"))).toBe(false);
  });

  it("mints a development token the hub accepts, and records it", async () => {
    const minted = await cli(["token", "mint", "--org", "豫0225", "--role", "case-officer", "--ttl", "600"]);
    expect(minted.code, minted.stderr).toBe(0);
    const token = minted.stdout.trim();
    const reply = await t.gql(`query { case(caseNumber: "${stuckCase}") { caseNumber } }`, undefined, token);
    expect(reply.data?.case.caseNumber).toBe(stuckCase);
    expect(readFileSync(join(dataDir, "keys", "minted-tokens.jsonl"), "utf8")).toContain('"TOKEN_MINTED"');
  });
});
