/**
 * The supergraph that runs (`npm run supergraph`): a real Apollo Gateway composes the hub and a court's
 * case-management subgraph and executes one query joining the court's fields with the hub's assets for a
 * case. The caller's token reaches both subgraphs, so the hub refuses another court's case through the
 * gateway as it does directly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { courtRecord, startCourtSubgraph, type CourtSubgraph } from "../../sandbox/courtSubgraph.js";
import { startSupergraph, type Supergraph } from "../../sandbox/supergraph.js";
import { caseNumber, residentId } from "../support/identities.js";
import { debtorWith, registerCase, type RegisteredCase } from "../support/measures.js";
import { startTestHub, type GraphQLResult, type TestHub } from "../support/testHub.js";

const JOINED = `query Joined($caseNumber: String!) {
  case(caseNumber: $caseNumber) {
    caseNumber
    courtCode
    judge
    parties { role name }
    assets { __typename identifier }
  }
}`;

let t: TestHub;
let court: CourtSubgraph;
let supergraph: Supergraph;
let officer: string;
let own: RegisteredCase;
let others: RegisteredCase;

async function throughGateway(token: string, caseNumber: string): Promise<GraphQLResult> {
  const response = await fetch(supergraph.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: JOINED, variables: { caseNumber } }),
  });
  return (await response.json()) as GraphQLResult;
}

beforeAll(async () => {
  t = await startTestHub({ production: true });
  officer = await t.token("豫0225");
  // A debtor the sandbox gives a flat, so the join has assets to show.
  own = await registerCase(t, officer, { debtor: debtorWith({ flat: true }).idNumber, claimAmount: "80000", number: caseNumber("豫0225") });
  others = await registerCase(t, await t.token("豫0223"), { debtor: residentId(), claimAmount: "60000", number: caseNumber("豫0223") });
  court = await startCourtSubgraph({ court: "豫0225" });
  supergraph = await startSupergraph({ hubUrl: t.graphqlUrl, courtUrl: court.url, introspectionToken: await t.token("HUB", ["OPERATOR"]) });
}, 60_000);

afterAll(async () => {
  await supergraph?.close();
  await court?.close();
  await t?.close();
});

describe("the supergraph", () => {
  it("joins the court's judge and parties with the hub's assets for one case, with the caller's token at both", async () => {
    const before = court.authorizations.length;
    const reply = await throughGateway(officer, own.caseNumber);
    expect(reply.errors).toBeUndefined();
    const record = courtRecord(own.caseNumber);
    expect(reply.data.case).toMatchObject({
      caseNumber: own.caseNumber,
      courtCode: "豫0225",
      judge: record.judge,
      parties: record.parties,
    });
    expect(reply.data.case.assets.map((asset: { identifier: string }) => asset.identifier).sort()).toEqual([...own.assetIds.keys()].sort());
    expect(reply.data.case.assets.length).toBeGreaterThan(0);
    expect(court.authorizations.slice(before)).toEqual([`Bearer ${officer}`]);
  });

  it("refuses another court's case through the gateway, as the hub does directly", async () => {
    const direct = await t.gql(`query { case(caseNumber: "${others.caseNumber}") { caseNumber } }`, undefined, officer);
    const reply = await throughGateway(officer, others.caseNumber);
    expect(reply.data?.case ?? null).toBeNull();
    expect(reply.errors?.[0].extensions?.code).toBe(direct.errors?.[0].extensions?.code);
    expect(reply.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect(JSON.stringify(reply)).not.toContain("judge");
  });

  it("refuses a caller without a token", async () => {
    const response = await fetch(supergraph.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: JOINED, variables: { caseNumber: own.caseNumber } }),
    });
    const reply = (await response.json()) as GraphQLResult;
    expect(reply.data?.case ?? null).toBeNull();
    expect(reply.errors?.length).toBeGreaterThan(0);
  });
});
