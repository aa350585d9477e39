/**
 * The hub as an Apollo Federation 2 subgraph: the SDL it serves (`_service`,
 * over HTTP) composes with a court's own case-management subgraph, which
 * extends the hub's cases by 案号, and `_entities` follows the same access
 * rules as the hub's queries.
 */
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseNumber, residentId } from "../support/identities.js";
import { REGISTER_CASE, startTestHub, type TestHub } from "../support/testHub.js";

/** A court's case-management subgraph: its own view of the hub's cases, joined on 案号. */
const COURT_CASE_MANAGEMENT = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type EnforcementCase @key(fields: "caseNumber") {
    caseNumber: String!
    judge: String
    hearingDates: [String!]!
  }

  type Query {
    myDocket(judge: String!): [EnforcementCase!]!
  }
`);

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on EnforcementCase { caseNumber courtCode claimAmount debtors { id idNumber } }
    ... on Debtor { id idNumber name }
  }
}`;

let t: TestHub;
let officer: string;
let otherCourt: string;
let supervisor: string;
const held = { caseNumber: caseNumber(), debtor: residentId(), debtorId: "" };

beforeAll(async () => {
  t = await startTestHub();
  officer = await t.token("豫0225");
  otherCourt = await t.token("豫0223");
  supervisor = await t.token("豫", ["SUPERVISOR"], "command-centre");
  const registered = await t.gql(
    REGISTER_CASE,
    {
      input: {
        caseNumber: held.caseNumber,
        creditorName: "开封农商银行",
        claimAmount: "52000",
        debtors: [{ kind: "PERSON", idNumber: held.debtor, name: "王五" }],
      },
    },
    officer,
  );
  expect(registered.errors).toBeUndefined();
  held.debtorId = registered.data.registerCase.case.debtors[0].id;
});
afterAll(() => t?.close());

describe("the served SDL", () => {
  it("composes with a court's case-management subgraph, the court's fields joining the hub's on EnforcementCase", async () => {
    const served = await t.gql<{ _service: { sdl: string } }>("{ _service { sdl } }");
    expect(served.errors).toBeUndefined();
    const sdl = served.data!._service.sdl;
    expect(sdl).toContain(`@key(fields: "caseNumber")`);

    const composed = composeServices([
      { name: "hub", url: t.graphqlUrl, typeDefs: parse(sdl) },
      { name: "court-case-management", url: "http://court.example/graphql", typeDefs: COURT_CASE_MANAGEMENT },
    ]);
    expect(composed.errors).toBeUndefined();
    const supergraph = composed.schema!.toAPISchema().toGraphQLJSSchema();
    const caseFields = Object.keys((supergraph.getType("EnforcementCase") as any).getFields());
    expect(caseFields).toEqual(expect.arrayContaining(["caseNumber", "debtors", "inquiries", "measures", "judge", "hearingDates"]));
    expect(Object.keys(supergraph.getSubscriptionType()!.getFields()).length).toBeGreaterThan(0);
  });
});

describe("_entities", () => {
  it("resolves a case, with its debtors, for its own court and for a supervisor", async () => {
    for (const token of [officer, supervisor]) {
      const result = await t.gql(ENTITIES, { representations: [{ __typename: "EnforcementCase", caseNumber: held.caseNumber }] }, token);
      expect(result.errors).toBeUndefined();
      expect(result.data._entities).toEqual([
        {
          __typename: "EnforcementCase",
          caseNumber: held.caseNumber,
          courtCode: "豫0225",
          claimAmount: "52000.00",
          debtors: [{ id: held.debtorId, idNumber: held.debtor }],
        },
      ]);
    }
  });

  it("resolves a debtor by id for its case's court", async () => {
    const result = await t.gql(ENTITIES, { representations: [{ __typename: "Debtor", id: held.debtorId }] }, officer);
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toEqual([{ __typename: "Debtor", id: held.debtorId, idNumber: held.debtor, name: "王五" }]);
  });

  it("refuses another court's case and debtor (FORBIDDEN), and answers the rest of the batch", async () => {
    const result = await t.gql(
      ENTITIES,
      {
        representations: [
          { __typename: "EnforcementCase", caseNumber: held.caseNumber },
          { __typename: "Debtor", id: held.debtorId },
          { __typename: "EnforcementCase", caseNumber: caseNumber("豫0223") },
        ],
      },
      otherCourt,
    );
    expect(result.data._entities.slice(0, 2)).toEqual([null, null]);
    expect(result.errors?.map((e: any) => [e.path, e.extensions?.code])).toEqual(
      expect.arrayContaining([
        [["_entities", 0], "FORBIDDEN"],
        [["_entities", 1], "FORBIDDEN"],
        [["_entities", 2], "CASE_NOT_FOUND"],
      ]),
    );
  });

  it("refuses a call without a token, like every case query", async () => {
    const result = await t.gql(ENTITIES, { representations: [{ __typename: "EnforcementCase", caseNumber: held.caseNumber }] });
    expect(result.data._entities).toEqual([null]);
    expect(result.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });
});
