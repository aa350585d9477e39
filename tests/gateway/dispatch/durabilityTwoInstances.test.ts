/**
 * Two hub instances on one PostgreSQL database share the work: each records
 * the cases registered through it, either may poll a ticket or retry a request
 * once it falls due, and a request whose lease runs out while its instance is
 * still waiting on the agency (a stalled instance, as far as anyone can tell)
 * is taken over by whichever instance sweeps first. However the work is split,
 * every request is answered, finished once in the hub, and executed once at
 * its agency.
 *
 * Several instances need a database server they can share, so this file always
 * runs on PostgreSQL (a fresh database on DATABASE_URL's server, or on the
 * local server every dev and CI machine of this project runs), also when the
 * rest of the suite runs on PGlite.
 */
import { Writable } from "node:stream";
import { generateKeyPair } from "jose";
import pg from "pg";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENCY_KINDS, type AgencyKind } from "../../../connectors/connector.js";
import { startSandbox, type Sandbox } from "../../../sandbox/index.js";
import { caseNumber, residentId } from "../../support/identities.js";
import { createPostgresTestDatabase, type TestDatabase } from "../../support/testDatabase.js";
import { REGISTER_CASE, eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const CASES = 24;
/**
 * Short, so that work moves between the instances within the test; not so short that an instance
 * slowed by a loaded machine loses most of its leases, which would only make both resend everything.
 */
const LEASE_MS = 3_000;
/** Longer than the lease: every request to this agency outlives its lease and is taken over while in flight. */
const STALLING_AGENCY_MS = 3_500;

const ALL_PARTS = `query AllParts {
  cases(first: 100) { edges { node { inquiries(first: 10) { edges { node { complete parts { id agency status attempts } } } } } } }
}`;

interface Part {
  id: string;
  agency: AgencyKind;
  status: string;
  attempts: number;
}

/** Which instances spoke to an agency about each request, from the dispatcher's "agency exchange" log lines. */
const exchangedBy = new Map<string, Set<string>>();

function exchangeLogger(instance: string) {
  return pino(
    { level: "info" },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split("\n")) {
          if (!line.includes('"msg":"agency exchange"')) continue;
          const { requestId } = JSON.parse(line) as { requestId: string };
          exchangedBy.set(requestId, (exchangedBy.get(requestId) ?? new Set()).add(instance));
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
  sandbox = await startSandbox({
    knobs: {
      // Tickets that take a while: much of the work is polling, which any instance may do.
      VEHICLE_REGISTRY: { processingMs: 1_000 },
      TAX: { processingMs: 600 },
      POLICE: { latencyMs: STALLING_AGENCY_MS, jitterMs: 0 },
    },
  });
  const keys = await generateKeyPair("EdDSA");
  const shared = { database, sandbox, keys, dispatcher: { leaseMs: LEASE_MS }, requestTimeoutMs: 10_000 };
  a = await startTestHub({ ...shared, log: exchangeLogger("A") });
  b = await startTestHub({ ...shared, log: exchangeLogger("B") });
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await sandbox?.close();
  await database?.drop();
});

describe("two hub instances on one database", () => {
  it("answer every request once between them, and no agency executes any twice", async () => {
    const token = await a.token("豫0225"); // same keys: valid at both
    // Alternately on each instance, all at once.
    const registered = await Promise.all(
      Array.from({ length: CASES }, (_, i) =>
        (i % 2 === 0 ? a : b).gql(
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
        ),
      ),
    );
    expect(registered.flatMap((r) => r.errors ?? [])).toEqual([]);

    // One reader, alternating between the instances: each sees what the other recorded.
    let reads = 0;
    const settled = await eventually(
      async () => {
        const result = await (reads++ % 2 === 0 ? a : b).gql(ALL_PARTS, {}, token);
        expect(result.errors).toBeUndefined();
        return result.data.cases.edges.map((edge: any) => edge.node.inquiries.edges[0].node) as { complete: boolean; parts: Part[] }[];
      },
      (inquiries) => inquiries.length === CASES && inquiries.every((inquiry) => inquiry.complete),
      20_000,
    );
    const parts = settled.flatMap((inquiry) => inquiry.parts);
    expect(parts).toHaveLength(CASES * AGENCY_KINDS.length);
    expect(parts.filter((p) => p.status !== "ANSWERED")).toEqual([]);

    // The takeovers of the stalling agency's requests are still waiting on it. Every request is final,
    // so nothing new can be claimed: stop both dispatchers, which waits for the exchanges in flight to
    // come back (to an instance that then finds the request already finished), before counting anything.
    await Promise.all([a.hub.dispatcher.stop(), b.hub.dispatcher.stop()]);
    const police = parts.filter((p) => p.agency === "POLICE");

    // Executed once at the agencies, however many submissions the instances made between them.
    const executions = AGENCY_KINDS.reduce((sum, kind) => sum + sandbox.agencies[kind].stats.executions, 0);
    expect(executions).toBe(parts.length);
    for (const part of parts) {
      expect(sandbox.agencies[part.agency].stats.executionsFor(part.id), `${part.agency} ${part.id}`).toBe(1);
    }

    // Finished once in the hub: one AGENCY_EXCHANGE audit row per request, every inquiry at exactly zero
    // open parts (a second finish would have counted one down twice), no asset recorded twice, no lease left.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows: finishes } = await client.query<{ subject_id: string; n: number }>(
        `SELECT subject_id, count(*)::int AS n FROM audit_event WHERE action = 'AGENCY_EXCHANGE' GROUP BY subject_id`,
      );
      expect(finishes).toHaveLength(parts.length);
      expect(finishes.filter((row) => row.n !== 1)).toEqual([]);
      const { rows: inquiries } = await client.query<{ open_parts: number }>(`SELECT open_parts FROM inquiry`);
      expect(inquiries).toHaveLength(CASES);
      expect(inquiries.filter((row) => row.open_parts !== 0)).toEqual([]);
      const { rows: twice } = await client.query(
        `SELECT agency_request_id, asset_id FROM asset_sighting GROUP BY agency_request_id, asset_id HAVING count(*) > 1`,
      );
      expect(twice).toEqual([]);
      const { rows: leased } = await client.query(`SELECT id FROM agency_request WHERE lease_owner IS NOT NULL`);
      expect(leased).toEqual([]);
    } finally {
      await client.end();
    }

    // Both instances worked, also on each other's requests: every stalled request was taken over by
    // whichever instance swept first, and some of those were the other instance's. The taker asks the
    // police about the key first and takes the stored answer; it sends again only if the original had
    // not arrived yet, which a lease this short allows on a loaded machine (an agency then receives a
    // key twice and executes it once, as checked above).
    const byA = parts.filter((p) => exchangedBy.get(p.id)?.has("A"));
    const byB = parts.filter((p) => exchangedBy.get(p.id)?.has("B"));
    const byBoth = parts.filter((p) => exchangedBy.get(p.id)?.size === 2);
    expect(byA.length).toBeGreaterThan(0);
    expect(byB.length).toBeGreaterThan(0);
    expect(police.every((p) => sandbox.agencies.POLICE.stats.lookupsFor(p.id) + p.attempts >= 2)).toBe(true);
    expect(byBoth.filter((p) => p.agency === "POLICE").length).toBeGreaterThan(0);

    const perAgency = (list: Part[]) =>
      Object.fromEntries(AGENCY_KINDS.map((kind) => [kind, list.filter((p) => p.agency === kind).length]));
    console.info(
      `${parts.length} requests, ${executions} executions; instance A spoke to agencies about ${byA.length}, B about ${byB.length}, ` +
        `both about ${byBoth.length} ${JSON.stringify(perAgency(byBoth))}; ` +
        `lookups ${JSON.stringify(Object.fromEntries(AGENCY_KINDS.map((k) => [k, sandbox.agencies[k].stats.lookups])))}, ` +
        `duplicate submissions ` +
        `${JSON.stringify(Object.fromEntries(AGENCY_KINDS.map((k) => [k, sandbox.agencies[k].stats.duplicateSubmissions])))}; ` +
        `polls: vehicle ${sandbox.agencies.VEHICLE_REGISTRY.stats.polls}, tax ${sandbox.agencies.TAX.stats.polls}; tax callbacks ` +
        `${sandbox.agencies.TAX.stats.callbacksSent}`,
    );
  });
});
