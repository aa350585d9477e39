/**
 * The hub killed outright (SIGKILL) in the middle of a burst of registrations,
 * with agency requests in flight, then started again on the same data: every
 * request it had acknowledged is answered, nothing is lost, and no agency
 * receives any request twice: before resending one that may have arrived, the
 * restarted hub asks the agency about its idempotency key and takes the stored
 * answer.
 *
 * The hub runs as a child process (`node --import tsx gateway/main.ts`), the
 * production entry, configured only through its environment; the sandbox
 * agencies run in this process so their statistics can be read directly.
 */
import { describe, expect, it } from "vitest";
import { AGENCY_KINDS } from "../../../connectors/connector.js";
import type { SandboxKnobs } from "../../../sandbox/index.js";
import { useCrashHarness } from "../../support/crashHarness.js";
import { caseNumber, residentId } from "../../support/identities.js";
import { REGISTER_CASE, eventually } from "../../support/testHub.js";

const LEASE_MS = 2_000;
const CASES = 30;
const KILL_AFTER_ACKNOWLEDGED = 10;
const CONCURRENCY = 6;
/** The agencies that answer by callback (tax, bank) take this long, so their answers outlast the restart. */
const CALLBACK_PROCESSING_MS = 6_000;

const ALL_PARTS = `query AllParts {
  cases(first: 100) { edges { node { caseNumber
    inquiries(first: 10) { edges { node { id trigger openParts parts { id agency status attempts error } } } } } } }
}`;

interface Part {
  id: string;
  agency: string;
  status: string;
  attempts: number;
  error: string | null;
}
interface CaseParts {
  caseNumber: string;
  inquiries: { edges: { node: { id: string; trigger: string; openParts: number; parts: Part[] } }[] };
}

// Requests stay at the agencies long enough (≈200 ms each) for the kill to catch many in flight.
const knobs: Record<string, Partial<SandboxKnobs>> = Object.fromEntries(
  AGENCY_KINDS.map((kind) => [kind, { latencyMs: 200, jitterMs: 50 }]),
);
// The tax bureau and the bank call back once their processing time has passed, retrying for under 2 s.
// Taking longer than the restart, their callbacks for requests the killed hub sent reach the new one;
// callbacks lost during the outage would leave those requests to the 15 s fallback poll.
for (const kind of ["TAX", "BANK"] as const) knobs[kind] = { ...knobs[kind], processingMs: CALLBACK_PROCESSING_MS };
const h = useCrashHarness({ name: "hub-crash", leaseMs: LEASE_MS, sandbox: { knobs } });
const gql = <T = any>(query: string, variables?: Record<string, unknown>) => h.gql<T>(query, variables);

describe("a hub killed mid-burst and restarted on the same data", () => {
  it("answers every acknowledged request, loses none, and no agency receives any twice", async () => {
    const numbers = Array.from({ length: CASES }, () => caseNumber());
    const inputOf = new Map(
      numbers.map((number) => [
        number,
        {
          caseNumber: number,
          creditorName: "开封农商银行",
          claimAmount: "250000",
          debtors: [{ kind: "PERSON", idNumber: residentId(), name: "赵六" }],
        },
      ]),
    );
    const acknowledged = new Set<string>();
    const queue = [...numbers];
    let killing: Promise<void> | undefined;
    let submissionsAtKill = 0;
    /** The submission whose reply the kill is sure to lose: the agency has just executed it and not yet replied. */
    let lostReplyKey: string | undefined;

    // Once enough registrations are acknowledged, the next submission an agency executes kills the hub,
    // between the agency executing it and the hub reading the reply.
    const { sandbox, hub } = h;
    for (const kind of AGENCY_KINDS) {
      const stats = sandbox.agencies[kind].stats;
      const record = stats.recordSubmission.bind(stats);
      stats.recordSubmission = (key, duplicate) => {
        record(key, duplicate);
        if (killing || acknowledged.size < KILL_AFTER_ACKNOWLEDGED) return;
        lostReplyKey = key;
        submissionsAtKill = AGENCY_KINDS.reduce((sum, k) => sum + sandbox.agencies[k].stats.submissions, 0);
        killing = hub.kill("SIGKILL");
      };
    }
    const worker = async () => {
      for (let number = queue.shift(); number !== undefined && !killing; number = queue.shift()) {
        const result = await gql(REGISTER_CASE, { input: inputOf.get(number) }).catch(() => undefined);
        if (result?.data?.registerCase) acknowledged.add(number);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await killing;
    expect(killing, "the burst ended before the hub was killed").toBeDefined();
    const acknowledgedBeforeCrash = new Set(acknowledged);
    expect(acknowledgedBeforeCrash.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKNOWLEDGED);
    expect(acknowledgedBeforeCrash.size).toBeLessThan(CASES);

    const killedAt = Date.now();
    await hub.start("restarted");
    const restartMs = Date.now() - killedAt;

    // Clients resend what was not acknowledged; registration is idempotent, so a case that was
    // recorded just before the crash comes back as it is, with its first inquiry not repeated.
    let recordedUnacknowledged = 0;
    for (const number of numbers.filter((n) => !acknowledged.has(n))) {
      const result = await gql(REGISTER_CASE, { input: inputOf.get(number) });
      expect(result.errors, hub.output).toBeUndefined();
      if (!result.data.registerCase.created) recordedUnacknowledged++;
      acknowledged.add(number);
    }

    const settled = await eventually(
      async () => {
        const result = await gql<{ cases: { edges: { node: CaseParts }[] } }>(ALL_PARTS);
        expect(result.errors, hub.output).toBeUndefined();
        return result.data!.cases.edges.map((edge) => edge.node);
      },
      (cases) => cases.length === CASES && cases.every((c) => c.inquiries.edges.every((e) => e.node.openParts === 0)),
      30_000,
    );
    const settleMs = Date.now() - killedAt - restartMs;

    const parts = settled.flatMap((c) => c.inquiries.edges.flatMap((e) => e.node.parts));
    for (const enforcementCase of settled) {
      expect(enforcementCase.inquiries.edges, enforcementCase.caseNumber).toHaveLength(1); // one debtor, one first inquiry
      expect(enforcementCase.inquiries.edges[0].node.parts.map((p) => p.agency).sort()).toEqual([...AGENCY_KINDS].sort());
    }
    expect(parts).toHaveLength(CASES * AGENCY_KINDS.length);
    // Every request ends answered: those acknowledged before the crash, and those recorded unacknowledged.
    expect(parts.filter((p) => p.status !== "ANSWERED")).toEqual([]);

    // Exactly once at the agencies: each key received (submitted) once, not only executed once.
    const submissions = AGENCY_KINDS.reduce((sum, kind) => sum + sandbox.agencies[kind].stats.submissions, 0);
    expect(submissions).toBe(parts.length);
    for (const part of parts) {
      const stats = sandbox.agencies[part.agency as keyof typeof sandbox.agencies].stats;
      expect(stats.submissionsFor(part.id), `${part.agency} ${part.id}`).toBe(1);
      expect(stats.executionsFor(part.id), `${part.agency} ${part.id}`).toBe(1);
    }
    for (const kind of AGENCY_KINDS) expect(sandbox.agencies[kind].stats.duplicateSubmissions, kind).toBe(0);
    // The crash lost the reply to a request the agency had already taken: the restarted hub asked the
    // agency about its key and took the stored answer instead of submitting it again.
    expect(parts.map((p) => p.id)).toContain(lostReplyKey);
    const lostReplyAgency = parts.find((p) => p.id === lostReplyKey)!.agency as keyof typeof sandbox.agencies;
    expect(sandbox.agencies[lostReplyAgency].stats.lookupsFor(lostReplyKey!)).toBeGreaterThanOrEqual(1);
    const lookups = Object.fromEntries(AGENCY_KINDS.map((kind) => [kind, sandbox.agencies[kind].stats.lookups]));
    console.info(
      `crash after ${acknowledgedBeforeCrash.size} acknowledged registrations (${recordedUnacknowledged} more recorded but not ` +
        `acknowledged) ` +
        `and ${submissionsAtKill} agency submissions; restart ${restartMs} ms, all final ${settleMs} ms later; ` +
        `${parts.length} requests, ${submissions} submissions; lookups before resending, by agency ${JSON.stringify(lookups)}`,
    );

    // Stopped cleanly, the hub leaves its database to be read here: every request was finished once
    // (one AGENCY_EXCHANGE audit row each).
    const finishes = await h.afterCleanStop((db) =>
      db.sql.query<{ subject_id: string; n: number }>(
        `SELECT subject_id, count(*)::int AS n FROM audit_event WHERE action = 'AGENCY_EXCHANGE' GROUP BY subject_id`,
      ),
    );
    expect(finishes).toHaveLength(parts.length);
    expect(finishes.filter((row) => row.n !== 1)).toEqual([]);
  }, 180_000);
});
