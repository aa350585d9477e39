/**
 * Keeps README.md and docs/guide/*.md true: every ```sh block of a file runs, in order, in one bash
 * session against a real hub with the sandbox agencies, as a reader would paste them into one terminal
 * after `npm start`. ```bash blocks are shown, not run (installing, starting hubs, operators' openssl).
 * A block fails the test when it exits non-zero; scripts/gql.sh exits 1 on a GraphQL reply with
 * `errors`, and no output may carry them either. The files run side by side, each on its own cases.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOrCreateTokenKeys } from "../../gateway/auth/tokenKeys.js";
import { startTestHub, type TestHub } from "../support/testHub.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const GUIDES = ["README.md", ...readdirSync(join(REPO, "docs/guide")).map((name) => `docs/guide/${name}`)].filter((path) =>
  path.endsWith(".md"),
);

/** The ```sh blocks of a markdown file, in order. */
function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runBash(script: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile("bash", ["-eo", "pipefail", "-c", script], { cwd: REPO, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

let hub: TestHub;
let dataDir: string;
let runs: Map<string, Promise<Run>>;

beforeAll(async () => {
  // `npm run token` in the guides signs with the key in HUB_DATA_DIR, so the hub must trust that one.
  dataDir = mkdtempSync(join(tmpdir(), "hub-guides-"));
  hub = await startTestHub({ keys: await loadOrCreateTokenKeys(dataDir) });
  // The token CLI refuses a production configuration; the hub under test keeps its own database.
  const env = { ...process.env, PORT: new URL(hub.hub.url).port, HUB_DATA_DIR: dataDir, GRAPHQL_URL: "", DATABASE_URL: "" };
  runs = new Map(
    GUIDES.map((path) => {
      const blocks = shellBlocks(readFileSync(join(REPO, path), "utf8"));
      const script = blocks.map((block, index) => `echo '--- ${path} block ${index + 1}' >&2\n${block}`).join("\n");
      return [path, runBash(script, env)];
    }),
  );
}, 60_000);

afterAll(async () => {
  await hub?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the guides run as written", () => {
  it("every guide has something to run", () => {
    for (const path of GUIDES.filter((path) => path.startsWith("docs/guide/"))) {
      expect(shellBlocks(readFileSync(join(REPO, path), "utf8")).length, path).toBeGreaterThan(0);
    }
  });

  it.each(GUIDES)(
    "%s",
    async (path) => {
      const run = await runs.get(path)!;
      const report = `${path} exited ${run.code}\n--- stderr\n${run.stderr.slice(-4000)}\n--- stdout\n${run.stdout.slice(-4000)}`;
      expect(run.code, report).toBe(0);
      expect(run.stdout, report).not.toContain('"errors"');
    },
    240_000,
  );
});
