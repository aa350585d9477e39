/**
 * The GraphQL-over-HTTP compliance audit (graphql-http's `serverAudits`, the
 * reference implementation of the GraphQL over HTTP specification) against the
 * hub's real HTTP server, plus the few HTTP behaviours of our own around it:
 * CSRF prevention, health, unknown paths.
 *
 * Every MUST audit has to pass. SHOULD and MAY audits are recommendations; the
 * ones the hub deliberately does not follow are listed below with the reason,
 * and any other one failing is a regression.
 */
import { serverAudits, type AuditResult } from "graphql-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENCY_KINDS } from "../../../connectors/connector.js";
import { caseNumber, residentId } from "../../support/identities.js";
import { REGISTER_CASE, startTestHub, type TestHub } from "../../support/testHub.js";

let t: TestHub;

beforeAll(async () => {
  t = await startTestHub();
});
afterAll(() => t?.close());

// The URL is a function because the hub's port is known only once beforeAll has started it.
const audits = serverAudits({ url: () => t.graphqlUrl, fetchFn: fetch });
const must = audits.filter((audit) => audit.name.startsWith("MUST"));
const recommended = audits.filter((audit) => !audit.name.startsWith("MUST"));

/**
 * Recommendations the hub does not follow, on purpose:
 * - Apollo Server answers a document that does not parse or validate, and variables that do not
 *   coerce, with 400 even for `Accept: application/json`; the spec's SHOULD of 200 there exists only
 *   for legacy clients, and a 400 tells the case systems plainly that the request itself is wrong.
 * - GET requests without a preflight-forcing header are refused by Apollo's CSRF prevention: a
 *   browser on another site could otherwise make an officer's browser run queries. Case systems
 *   POST JSON (or send `apollo-require-preflight`), so GET is not needed for them.
 */
const KNOWN_DEVIATIONS = new Set([
  "SHOULD use 200 status code on document parsing failure when accepting application/json",
  "SHOULD use 200 status code on document validation failure when accepting application/json",
  "SHOULD use a status code of 200 on variable coercion failure when accepting application/json",
  "MAY accept application/x-www-form-urlencoded formatted GET requests",
  "MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json",
  "MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json",
]);

/** What a failed audit says, with the response the hub gave, for the test output. */
async function describeFailure(result: AuditResult): Promise<string> {
  if (result.status === "ok") return `${result.name}: ok`;
  const body = await result.response
    .clone()
    .text()
    .catch(() => "(body already read)");
  return (
    `[${result.status}] ${result.name} (${result.id}): ${result.reason}\n  HTTP ${result.response.status} ` +
    `${result.response.headers.get("content-type")}: ${body.slice(0, 300)}`
  );
}

describe("GraphQL over HTTP: every MUST", () => {
  it("the audit list has MUST audits to run", () => {
    // Guards against a graphql-http upgrade renaming levels and this suite silently checking nothing.
    expect(must.length).toBeGreaterThanOrEqual(10);
  });

  for (const audit of must) {
    it(audit.name, async () => {
      const result = await audit.fn();
      // The message carries the audit's reason and the hub's response, printed when it fails.
      expect(result.status, await describeFailure(result)).toBe("ok");
    });
  }
});

describe("GraphQL over HTTP: SHOULD and MAY", () => {
  it("fail only where the hub deliberately deviates (listed with reasons above)", async () => {
    const results = await Promise.all(recommended.map((audit) => audit.fn()));
    const failed = results.filter((result) => result.status !== "ok");
    // Printed, so that a reader of the test output sees exactly where the hub departs from the recommendations.
    for (const result of failed) console.info(await describeFailure(result));
    const unexpected = failed.filter((result) => !KNOWN_DEVIATIONS.has(result.name));
    expect(await Promise.all(unexpected.map(describeFailure))).toEqual([]);
    // Most recommendations are followed.
    expect(results.filter((result) => result.status === "ok").length).toBeGreaterThan(failed.length * 5);
  });
});

describe("the hub's HTTP endpoint", () => {
  it("refuses a simple (non-preflighted) POST as a possible CSRF, and executes nothing", async () => {
    const token = await t.token("豫0225");
    const number = caseNumber();
    // A cross-site HTML form can send text/plain without a CORS preflight; Apollo's CSRF prevention refuses it.
    const response = await fetch(t.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "text/plain", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: REGISTER_CASE,
        variables: {
          input: {
            caseNumber: number,
            creditorName: "x",
            claimAmount: "1",
            debtors: [{ kind: "PERSON", idNumber: residentId(), name: "x" }],
          },
        },
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Cross-Site Request Forgery/);
    const [{ count }] = await t.hub.db.sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM enforcement_case WHERE case_number = $1`,
      [number],
    );
    expect(count).toBe(0);
  });

  it("answers a GET query when the client forces a preflight, but never runs a mutation on GET", async () => {
    const token = await t.token("豫0225");
    const query = await fetch(`${t.graphqlUrl}?query=${encodeURIComponent("{ agencies { kind } }")}`, {
      headers: { "apollo-require-preflight": "true", authorization: `Bearer ${token}`, accept: "application/graphql-response+json" },
    });
    expect(query.status).toBe(200);
    expect(query.headers.get("content-type")).toMatch(/^application\/graphql-response\+json/);
    expect(((await query.json()) as any).data.agencies).toHaveLength(AGENCY_KINDS.length);

    const mutation = await fetch(
      `${t.graphqlUrl}?query=` +
        encodeURIComponent(
          'mutation { registerCase(input: {caseNumber: "x", creditorName: "x", claimAmount: "1", debtors: []}) { created } }',
        ),
      {
        headers: { "apollo-require-preflight": "true", authorization: `Bearer ${token}` },
      },
    );
    expect(mutation.status).toBe(405);
  });

  it("answers body that is not JSON with 400 and a GraphQL-shaped error", async () => {
    const response = await fetch(t.graphqlUrl, { method: "POST", headers: { "content-type": "application/json" }, body: "{ not json" });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ errors: [{ message: "request body is not valid JSON", extensions: { code: "BAD_REQUEST" } }] });
  });

  it("serves /healthz for load balancers and 404 elsewhere", async () => {
    const health = await fetch(`${t.hub.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const elsewhere = await fetch(`${t.hub.url}/graphiql`);
    expect(elsewhere.status).toBe(404);
  });
});
