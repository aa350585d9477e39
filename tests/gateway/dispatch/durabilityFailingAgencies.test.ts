/**
 * Failing agencies must only hurt their own parts of an inquiry. With one
 * agency slow, one down, one answering garbage and one never answering, the
 * healthy agency's part is answered at once, every failing part ends with a
 * final status and a reason, and the inquiry completes. Transient errors are
 * retried under the same idempotency key, and the agency receives each request
 * once: a reply lost after the agency took the request is looked up by its key
 * rather than submitted again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENCY_KINDS, type AgencyKind } from "../../../connectors/connector.js";
import { caseNumber, residentId } from "../../support/identities.js";
import { REGISTER_CASE, eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const INQUIRY_PARTS = `query Parts($caseNumber: String!) {
  case(caseNumber: $caseNumber) {
    inquiries(first: 10) { edges { node { id complete openParts
      parts { id agency status attempts error durationMs } } } }
  }
}`;

const ALL_INQUIRIES = `query AllInquiries {
  cases(first: 100) { edges { node { inquiries(first: 10) { edges { node { id complete openParts
    parts { id agency status attempts error durationMs } } } } } } }
}`;

interface Part {
  id: string;
  agency: AgencyKind;
  status: string;
  attempts: number;
  error: string | null;
  durationMs: number | null;
}

interface InquiryNode {
  id: string;
  complete: boolean;
  openParts: number;
  parts: Part[];
}

const FINAL = ["ANSWERED", "REFUSED", "FAILED", "TIMED_OUT"];

async function register(t: TestHub, token: string): Promise<string> {
  const number = caseNumber();
  const result = await t.gql(
    REGISTER_CASE,
    {
      input: {
        caseNumber: number,
        creditorName: "开封农商银行",
        claimAmount: "120000",
        debtors: [{ kind: "PERSON", idNumber: residentId(), name: "王五" }],
      },
    },
    token,
  );
  expect(result.errors).toBeUndefined();
  return number;
}

async function inquiryOf(t: TestHub, token: string, number: string): Promise<InquiryNode> {
  const result = await t.gql(INQUIRY_PARTS, { caseNumber: number }, token);
  expect(result.errors).toBeUndefined();
  return result.data.case.inquiries.edges[0].node;
}

const partOf = (inquiry: InquiryNode, agency: AgencyKind) => inquiry.parts.find((p) => p.agency === agency)!;

describe("one slow, one down, one garbled and one silent agency", () => {
  /** Far above what a healthy exchange takes, even on a loaded machine, so "before the slow one" is unambiguous. */
  const SLOW_MS = 3_000;
  const REQUEST_TIMEOUT_MS = 4_000;
  let t: TestHub;
  let token: string;

  beforeAll(async () => {
    // Two submissions per request, 4 s each at most, and a 10 s deadline: every part is final within seconds.
    t = await startTestHub({ requestTimeoutMs: REQUEST_TIMEOUT_MS, answerWithinMs: 10_000, maxAttempts: 2 });
    token = await t.token("豫0225");
  });
  afterAll(() => t?.close());

  it("answers the healthy agency at once, finishes every failing part with its reason, and completes the inquiry", async () => {
    const { agencies } = t.sandbox;
    agencies.TAX.knobs.latencyMs = SLOW_MS; // slow, but within the request timeout: answered late
    agencies.POLICE.knobs.down = true; // connection dropped
    agencies.CREDIT_PLATFORM.knobs.malformedRate = 1; // 200 with half a body
    agencies.PROPERTY_REGISTRY.knobs.timeoutRate = 1; // executes, never answers
    // VEHICLE_REGISTRY stays healthy.

    const number = await register(t, token);

    const done = await eventually(
      () => inquiryOf(t, token, number),
      (inquiry) => inquiry.complete,
      15_000,
    );
    expect(done.openParts).toBe(0);
    expect(done.parts.every((p) => FINAL.includes(p.status))).toBe(true);

    const vehicle = partOf(done, "VEHICLE_REGISTRY");
    const slow = partOf(done, "TAX");
    expect(vehicle.status).toBe("ANSWERED");
    expect(slow.status).toBe("ANSWERED");
    // The healthy part was final before the slow agency had even replied to its submission.
    expect(vehicle.durationMs!).toBeLessThan(SLOW_MS);
    expect(slow.durationMs!).toBeGreaterThanOrEqual(SLOW_MS);

    const garbled = partOf(done, "CREDIT_PLATFORM");
    expect(garbled.status).toBe("FAILED");
    expect(garbled.error).toMatch(/unusable reply/);
    expect(garbled.error).toMatch(/reply is not JSON/);
    expect(garbled.attempts).toBe(1); // garbage is not retried: the same request would get the same answer

    const down = partOf(done, "POLICE");
    expect(["FAILED", "TIMED_OUT"]).toContain(down.status);
    expect(down.error).toMatch(/gave up after 2 attempts|before its deadline/);
    expect(down.error).toMatch(/POST http\S+ failed|deadline/);

    const silent = partOf(done, "PROPERTY_REGISTRY");
    expect(["FAILED", "TIMED_OUT"]).toContain(silent.status);
    expect(silent.error).toMatch(/timed out|before its deadline/);

    // What the agencies saw: the dropped connections never reached the police service; the silent
    // registry was asked again under the same key and executed the query once; garbage is not resent.
    expect(agencies.POLICE.stats.submissions).toBe(0);
    expect(agencies.PROPERTY_REGISTRY.stats.submissionsFor(silent.id)).toBe(silent.attempts);
    expect(agencies.PROPERTY_REGISTRY.stats.executionsFor(silent.id)).toBe(1);
    expect(agencies.CREDIT_PLATFORM.stats.submissionsFor(garbled.id)).toBe(1);
  });
});

describe("transient agency errors", () => {
  let t: TestHub;
  let token: string;

  beforeAll(async () => {
    // Generous attempts: at a 50 % error rate, giving up would be a (rare) correct outcome, not a bug.
    // Short rounds: the test is about keys and lookups, not about how long the hub waits between rounds.
    t = await startTestHub({ maxAttempts: 20, dispatcher: { backoff: { firstMs: 200, maxMs: 2_000 } } });
    token = await t.token("豫0225");
  });
  afterAll(() => t?.close());

  it("are retried under the same key until answered; a lost reply is looked up, so each request is received once", async () => {
    const { agencies } = t.sandbox;
    agencies.PROPERTY_REGISTRY.knobs.errorRate = 0.5; // 503 before executing
    agencies.CREDIT_PLATFORM.knobs.timeoutRate = 0.4; // executed, reply lost: looked up by key, never submitted again

    await Promise.all(Array.from({ length: 16 }, () => register(t, token)));
    const inquiries = await eventually(
      async () => {
        const result = await t.gql(ALL_INQUIRIES, {}, token);
        expect(result.errors).toBeUndefined();
        return result.data.cases.edges.map((edge: any) => edge.node.inquiries.edges[0].node) as InquiryNode[];
      },
      (all) => all.length === 16 && all.every((inquiry) => inquiry.complete),
      25_000,
    );
    const parts = inquiries.flatMap((inquiry) => inquiry.parts);
    expect(parts).toHaveLength(16 * AGENCY_KINDS.length);
    expect(parts.filter((p) => p.status !== "ANSWERED")).toEqual([]);

    const property = parts.filter((p) => p.agency === "PROPERTY_REGISTRY");
    const credit = parts.filter((p) => p.agency === "CREDIT_PLATFORM");
    // Sixteen requests each: all answered at the first try would happen once in 65 536 runs (50 % errors)
    // and once in 3 500 (40 % lost replies).
    expect(property.some((p) => p.attempts > 1)).toBe(true);
    expect(credit.some((p) => agencies.CREDIT_PLATFORM.stats.lookupsFor(p.id) > 0)).toBe(true);
    // A 503 comes before the registry takes the request: it was never received, so it is submitted again.
    for (const part of property) {
      expect(agencies.PROPERTY_REGISTRY.stats.submissionsFor(part.id)).toBe(1);
      expect(agencies.PROPERTY_REGISTRY.stats.executionsFor(part.id)).toBe(1);
    }
    // A lost reply is asked for by key and the stored answer taken: one submission, however many lookups.
    for (const part of credit) {
      expect(agencies.CREDIT_PLATFORM.stats.submissionsFor(part.id)).toBe(1);
      expect(part.attempts).toBe(1);
    }
    expect(agencies.PROPERTY_REGISTRY.stats.submissions).toBe(property.length);
    expect(agencies.CREDIT_PLATFORM.stats.submissions).toBe(credit.length);
    console.info(
      `transient errors: property attempts ${JSON.stringify(property.map((p) => p.attempts))}, ` +
        `property lookups ${agencies.PROPERTY_REGISTRY.stats.lookups}, credit lookups ${agencies.CREDIT_PLATFORM.stats.lookups}`,
    );
  });
});
