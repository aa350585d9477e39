/**
 * Fencing (issue 18 item 4): an instance that stalls past its lease on an agency request, while another takes the request
 * over, never submits it. Instance A reaches each agency over a single connection and the police answer slowly, so A's
 * third police request passes its fenced claim and then waits for the connection longer than its lease: B takes it over,
 * asks the police about its key, is told they never received it, and sends it. When A's connection frees, the transport
 * finds the send window closed and writes nothing. The police count one submission per key.
 *
 * Two instances need a database server they share, so this file always runs on PostgreSQL (as
 * durabilityTwoInstances.test.ts does); a PGlite hub is one process, which no other instance can take a lease from.
 */
import { Writable } from "node:stream";
import { generateKeyPair } from "jose";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEASURE_FINISHING } from "../../../capabilities/measures/measureStore.js";
import { AgencyRequestStore } from "../../../gateway/dispatch/agencyRequestStore.js";
import { startSandbox, type Sandbox } from "../../../sandbox/index.js";
import { caseNumber, residentId } from "../../support/identities.js";
import { createPostgresTestDatabase, type TestDatabase } from "../../support/testDatabase.js";
import { REGISTER_CASE, eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const LEASE_MS = 4_000;
/** The police answer each request after this long: A's single connection serves its police requests one after the other. */
const POLICE_MS = 2_500;
const CASES = 3;

const ALL_PARTS = `query AllParts {
  cases(first: 100) { edges { node { inquiries(first: 10) { edges { node { complete parts { id agency status } } } } } } }
}`;

/** What each instance's dispatcher said about each request, from its log lines. */
const said = { exchanged: new Map<string, Set<string>>(), notSent: new Map<string, Set<string>>() };

function recordingLogger(instance: string) {
  return pino(
    { level: "info" },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split("\n")) {
          const kind = line.includes('"msg":"agency exchange"')
            ? said.exchanged
            : line.includes("not sent: its lease ran short")
              ? said.notSent
              : undefined;
          if (!kind) continue;
          const { requestId } = JSON.parse(line) as { requestId: string };
          kind.set(requestId, (kind.get(requestId) ?? new Set()).add(instance));
        }
        done();
      },
    }),
  );
}

let database: TestDatabase;
let sandbox: Sandbox;
let a: TestHub;
let b: TestHub;

beforeAll(async () => {
  database = await createPostgresTestDatabase();
  sandbox = await startSandbox({ knobs: { POLICE: { latencyMs: POLICE_MS, jitterMs: 0 } } });
  const keys = await generateKeyPair("EdDSA");
  const shared = { database, sandbox, keys, dispatcher: { leaseMs: LEASE_MS }, requestTimeoutMs: 10_000 };
  a = await startTestHub({ ...shared, agencyConnections: 1, log: recordingLogger("A") });
  b = await startTestHub({ ...shared, log: recordingLogger("B") });
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await sandbox?.close();
  await database?.drop();
});

function registerOn(hub: TestHub, token: string) {
  return hub.gql(
    REGISTER_CASE,
    {
      input: {
        caseNumber: caseNumber(),
        creditorName: "开封农商银行",
        claimAmount: "90000",
        debtors: [{ kind: "PERSON", idNumber: residentId(), name: "孙七" }],
      },
    },
    token,
  );
}

describe("an instance stalled past its lease", () => {
  it("does not send what the instance that took the request over sent: one submission per key at the agency", async () => {
    const token = await a.token("豫0225");
    const registered = await Promise.all(Array.from({ length: CASES }, () => registerOn(a, token)));
    expect(registered.flatMap((r) => r.errors ?? [])).toEqual([]);

    const inquiries = await eventually(
      async () => {
        const result = await b.gql(ALL_PARTS, {}, token);
        expect(result.errors).toBeUndefined();
        return result.data.cases.edges.map((edge: any) => edge.node.inquiries.edges[0].node) as {
          complete: boolean;
          parts: { id: string; agency: string; status: string }[];
        }[];
      },
      (found) => found.length === CASES && found.every((inquiry) => inquiry.complete),
      30_000,
    );
    const parts = inquiries.flatMap((inquiry) => inquiry.parts);
    expect(parts.filter((p) => p.status !== "ANSWERED")).toEqual([]);
    await Promise.all([a.hub.dispatcher.stop(), b.hub.dispatcher.stop()]);

    const police = parts.filter((p) => p.agency === "POLICE");
    // Received once and executed once at the agency, however the work moved between the instances.
    expect(sandbox.agencies.POLICE.stats.duplicateSubmissions).toBe(0);
    for (const part of police) {
      expect(sandbox.agencies.POLICE.stats.submissionsFor(part.id), part.id).toBe(1);
      expect(sandbox.agencies.POLICE.stats.executionsFor(part.id), part.id).toBe(1);
    }
    // A held a police request past its lease, waiting for its connection, and wrote none of it; B sent it.
    const keptBack = police.filter((p) => said.notSent.get(p.id)?.has("A"));
    expect(keptBack.length).toBeGreaterThan(0);
    // Sent once, by whichever instance held it when it was sent (B, or A again once B's lease ran out under load).
    for (const part of keptBack) expect(said.exchanged.get(part.id)?.size ?? 0, part.id).toBeGreaterThan(0);

    console.info(
      `police: ${police.length} requests, ${sandbox.agencies.POLICE.stats.submissions} submissions, ` +
        `${sandbox.agencies.POLICE.stats.lookups} lookups, kept back by A's send window: ${keptBack.length}`,
    );
  });

  it("a lease's token is checked by the statement in front of a submission and by the SENT mark", async () => {
    const token = await a.token("豫0225");
    // Recorded and sent by A at once (the sweeps are stopped): on the wire for POLICE_MS, SENT and leased to A meanwhile.
    expect((await registerOn(a, token)).errors).toBeUndefined();
    const [row] = await eventually(
      () =>
        a.hub.db.sql.query<{ id: string; owner: string; epoch: string; attempts: number }>(
          `SELECT id::text AS id, lease_owner AS owner, lease_epoch::text AS epoch, attempts FROM agency_request
            WHERE agency_kind = 'POLICE' AND status = 'SENT' AND lease_owner IS NOT NULL`,
        ),
      (rows) => rows.length === 1,
      POLICE_MS,
    );
    const store = new AgencyRequestStore(a.hub.db.sql, MEASURE_FINISHING);
    const stale = { owner: row.owner, epoch: String(BigInt(row.epoch) - 1n) };
    expect(await store.claimSubmission(row.id, stale, LEASE_MS)).toBe(false);
    expect(await store.claimSubmission(row.id, { owner: "another-instance", epoch: row.epoch }, LEASE_MS)).toBe(false);
    await store.markSent(row.id, stale);
    const [after] = await a.hub.db.sql.query<{ attempts: number }>(`SELECT attempts FROM agency_request WHERE id = $1::uuid`, [row.id]);
    expect(after.attempts).toBe(row.attempts);
    // The holder's own token passes (and renews the lease it holds).
    expect(await store.claimSubmission(row.id, { owner: row.owner, epoch: row.epoch }, LEASE_MS)).toBe(true);
  });
});
