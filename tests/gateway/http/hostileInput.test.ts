/**
 * The hub facing hostile callers over real HTTP and WebSocket: every bomb of issue 12 is refused before it
 * runs, with a typed error naming the limit and its value, and writes nothing (the rows that a case, an
 * inquiry, an agency request, a task or an audit entry leave are counted before and after). Unexpected
 * input gets typed errors, never a database's or JavaScript's own message; callbacks answer 4xx in JSON; in
 * production the schema is shown only with a token. How long each refusal took is in the test's annotations.
 */
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import WebSocket from "ws";
import { DEFAULT_TRANSPORT_LIMITS } from "../../../gateway/http/hubServer.js";
import { DEFAULT_OPERATION_LIMITS } from "../../../gateway/http/operationLimits.js";
import { DEFAULT_MAX_DEBTORS_PER_CASE } from "../../../capabilities/cases/caseRegistry.js";
import { DEFAULT_MAX_DOCUMENTS } from "../../../capabilities/delegation/taskDocuments.js";
import { ANHUI, DELEGATE } from "../../support/delegation.js";
import { caseNumber, residentId } from "../../support/identities.js";
import {
  CASE_INQUIRIES,
  collect,
  eventually,
  type GraphQLResult,
  REGISTER_CASE,
  startTestHub,
  type TestHub,
} from "../../support/testHub.js";

const REQUEST_INQUIRY = `requestInquiry(input: $input) { id }`;
const INQUIRY_INPUT = (held: { caseNumber: string; debtor: string }) => ({
  caseNumber: held.caseNumber,
  debtorIdNumber: held.debtor,
  purpose: "查询财产",
});

let t: TestHub;
let officer: string;
const held = { caseNumber: caseNumber(), debtor: residentId() };

/** Rows that any write of the operations under test leaves behind. */
async function writes(): Promise<Record<string, number>> {
  const [row] = await t.hub.db.sql.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM enforcement_case)::int AS cases, (SELECT count(*) FROM debtor)::int AS debtors,
            (SELECT count(*) FROM inquiry)::int AS inquiries, (SELECT count(*) FROM agency_request)::int AS agency_requests,
            (SELECT count(*) FROM delegated_task)::int AS tasks, (SELECT count(*) FROM audit_event)::int AS audit_rows`,
  );
  return row;
}

/** Sends one request, and checks that it was refused with `code` (and `limit`, when given) and wrote nothing. */
async function refusedWithoutWrites(
  context: TestContext,
  send: () => Promise<GraphQLResult>,
  expected: { code: string; limit?: number },
): Promise<GraphQLResult> {
  const before = await writes();
  const started = performance.now();
  const result = await send();
  context.annotate(`refused in ${Math.round(performance.now() - started)} ms`);
  expect(result.data?.[Object.keys(result.data ?? {})[0]] ?? null).toBeNull();
  expect(result.errors?.map((error) => error.extensions)).toContainEqual(expect.objectContaining(expected));
  expect(await writes()).toEqual(before);
  return result;
}

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(t.graphqlUrl, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

beforeAll(async () => {
  t = await startTestHub();
  officer = await t.token("豫0225");
  const registered = await t.gql(
    REGISTER_CASE,
    {
      input: {
        caseNumber: held.caseNumber,
        creditorName: "开封农商银行",
        claimAmount: "50000",
        debtors: [{ kind: "PERSON", idNumber: held.debtor, name: "王五" }],
      },
    },
    officer,
  );
  expect(registered.errors).toBeUndefined();
  // Its first inquiry's answers add audit rows of their own: counted writes must be still before the bombs.
  await eventually(
    () => t.gql(CASE_INQUIRIES, { caseNumber: held.caseNumber }, officer),
    (result) => result.data?.case.inquiries.edges.every((edge: { node: { complete: boolean } }) => edge.node.complete),
  );
});
afterAll(() => t?.close());

describe("cost bombs are refused before they run", () => {
  it("a 490-byte query with `first: 4` and seven levels of cycles: QUERY_TOO_DEEP", async (context) => {
    let selection = "id";
    for (let level = 0; level < 7; level++) selection = `inquiries(first: 4) { edges { node { case { ${selection} } } } }`;
    const query = `{ case(caseNumber: "${held.caseNumber}") { ${selection} } }`;
    expect(query.length).toBeLessThan(600);
    await refusedWithoutWrites(context, () => t.gql(query, {}, officer), {
      code: "QUERY_TOO_DEEP",
      limit: DEFAULT_OPERATION_LIMITS.maxDepth,
    });
  });

  it("1,000 aliases of requestInquiry: QUERY_TOO_LONG (the document alone), 100: TOO_MANY_ALIASES; not one inquiry", async (context) => {
    for (const [count, code, limit] of [
      [1_000, "QUERY_TOO_LONG", DEFAULT_OPERATION_LIMITS.maxTokens],
      [100, "TOO_MANY_ALIASES", DEFAULT_OPERATION_LIMITS.maxAliases],
    ] as const) {
      const fields = Array.from({ length: count }, (_, i) => `a${i}: ${REQUEST_INQUIRY}`).join(" ");
      const mutation = `mutation Bomb($input: InquiryRequestInput!) { ${fields} }`;
      await refusedWithoutWrites(context, () => t.gql(mutation, { input: INQUIRY_INPUT(held) }, officer), { code, limit });
    }
  });

  it("more mutation fields than allowed, even under the alias limit: TOO_MANY_MUTATIONS", async (context) => {
    const count = DEFAULT_OPERATION_LIMITS.maxMutationFields + 1;
    const fields = Array.from({ length: count }, (_, i) => `a${i}: ${REQUEST_INQUIRY}`).join(" ");
    const mutation = `mutation Several($input: InquiryRequestInput!) { ${fields} }`;
    await refusedWithoutWrites(context, () => t.gql(mutation, { input: INQUIRY_INPUT(held) }, officer), {
      code: "TOO_MANY_MUTATIONS",
      limit: DEFAULT_OPERATION_LIMITS.maxMutationFields,
    });
  });

  it("200 aliases of verifyAuditTrail: TOO_MANY_ALIASES", async (context) => {
    const fields = Array.from({ length: 200 }, (_, i) => `v${i}: verifyAuditTrail { ok }`).join(" ");
    const admin = await t.token("HUB", ["HUB_ADMIN"]);
    await refusedWithoutWrites(context, () => t.gql(`{ ${fields} }`, {}, admin), {
      code: "TOO_MANY_ALIASES",
      limit: DEFAULT_OPERATION_LIMITS.maxAliases,
    });
  });

  it("a wide query under the depth and alias limits but over the cost limit: QUERY_TOO_COSTLY", async (context) => {
    // A case with every inquiry, part and asset (about 21,000), twelve times over.
    const oneCase = CASE_INQUIRIES.slice(CASE_INQUIRIES.indexOf("case("), CASE_INQUIRIES.lastIndexOf("}"));
    const aliases = Array.from({ length: 12 }, (_, i) => `c${i}: ${oneCase}`);
    const wide = `query Wide($caseNumber: String!) { ${aliases.join(" ")} }`;
    await refusedWithoutWrites(context, () => t.gql(wide, { caseNumber: held.caseNumber }, officer), {
      code: "QUERY_TOO_COSTLY",
      limit: DEFAULT_OPERATION_LIMITS.maxCost,
    });
  });

  it("a document of more tokens than allowed: QUERY_TOO_LONG; more directives: TOO_MANY_DIRECTIVES", async (context) => {
    const tokens = `{ case(caseNumber: "${held.caseNumber}") { ${"id ".repeat(DEFAULT_OPERATION_LIMITS.maxTokens)} } }`;
    await refusedWithoutWrites(context, () => t.gql(tokens, {}, officer), {
      code: "QUERY_TOO_LONG",
      limit: DEFAULT_OPERATION_LIMITS.maxTokens,
    });
    const tooMany = "@include(if: true) ".repeat(DEFAULT_OPERATION_LIMITS.maxDirectives + 1);
    const directives = `{ case(caseNumber: "${held.caseNumber}") { id ${tooMany} } }`;
    await refusedWithoutWrites(context, () => t.gql(directives, {}, officer), {
      code: "TOO_MANY_DIRECTIVES",
      limit: DEFAULT_OPERATION_LIMITS.maxDirectives,
    });
  });

  it("5,000 _entities representations: TOO_MANY_REPRESENTATIONS; an unknown __typename: BAD_USER_INPUT", async (context) => {
    const entities = `query E($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }`;
    const many = Array.from({ length: 5_000 }, () => ({ __typename: "EnforcementCase", caseNumber: held.caseNumber }));
    await refusedWithoutWrites(context, () => t.gql(entities, { representations: many }, officer), {
      code: "TOO_MANY_REPRESENTATIONS",
      limit: DEFAULT_OPERATION_LIMITS.maxEntityRepresentations,
    });
    await refusedWithoutWrites(context, () => t.gql(entities, { representations: [{ __typename: "Nope", id: "1" }] }, officer), {
      code: "BAD_USER_INPUT",
      field: "representations[0].__typename",
    } as { code: string });
  });

  it("the same limits over WebSocket: 100 aliases refused, nothing written", async () => {
    const before = await writes();
    const fields = Array.from({ length: 100 }, (_, i) => `a${i}: ${REQUEST_INQUIRY}`).join(" ");
    const stream = collect(t.ws(officer), `mutation Bomb($input: InquiryRequestInput!) { ${fields} }`, "a0", {
      input: INQUIRY_INPUT(held),
    });
    await expect.poll(() => stream.errors.length).toBeGreaterThan(0);
    // graphql-ws hands a refusal before execution to the client as the list of its errors.
    expect(stream.errors.flat()).toContainEqual(
      expect.objectContaining({ extensions: expect.objectContaining({ code: "TOO_MANY_ALIASES" }) }),
    );
    expect(await writes()).toEqual(before);
  });
});

describe("domain counts are refused before anything is written", () => {
  it(`a case with 100 debtors: TOO_MANY_DEBTORS (limit ${DEFAULT_MAX_DEBTORS_PER_CASE}), not 600 agency requests`, async (context) => {
    const debtors = Array.from({ length: 100 }, (_, i) => ({ kind: "PERSON", idNumber: residentId(), name: `债务人${i}` }));
    const input = { caseNumber: caseNumber(), creditorName: "开封农商银行", claimAmount: "50000", debtors };
    await refusedWithoutWrites(context, () => t.gql(REGISTER_CASE, { input }, officer), {
      code: "TOO_MANY_DEBTORS",
      limit: DEFAULT_MAX_DEBTORS_PER_CASE,
    });
  });

  it(`a task with 10,000 documents: TOO_MANY_DOCUMENTS (limit ${DEFAULT_MAX_DOCUMENTS})`, async (context) => {
    const documents = Array.from({ length: 10_000 }, (_, i) => ({ name: `d${i}.pdf`, contentBase64: "JVBERg==" }));
    const input = { caseNumber: held.caseNumber, debtorIdNumber: held.debtor, kind: "QUERY", instructions: "查询", targetCourt: ANHUI };
    await refusedWithoutWrites(context, () => t.gql(DELEGATE, { input: { ...input, documents } }, officer), {
      code: "TOO_MANY_DOCUMENTS",
      limit: DEFAULT_MAX_DOCUMENTS,
    });
  });
});

describe("payloads and transports", () => {
  it("an HTTP body over the limit: 413 with a JSON body naming the limit", async () => {
    const response = await post(JSON.stringify({ query: "{ __typename }", padding: "x".repeat(DEFAULT_TRANSPORT_LIMITS.maxPayloadBytes) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE", limit: DEFAULT_TRANSPORT_LIMITS.maxPayloadBytes });
  });

  it("a WebSocket frame over the same limit closes the socket (1009), without a token or with one", async () => {
    const socket = new WebSocket(t.graphqlUrl.replace(/^http/, "ws"), "graphql-transport-ws");
    const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
    socket.on("error", () => undefined);
    await new Promise((resolve) => socket.on("open", resolve));
    socket.send("x".repeat(DEFAULT_TRANSPORT_LIMITS.maxPayloadBytes + 1));
    expect(await closed).toBe(1009);
  });

  it("a subscription over HTTP POST: 400 BAD_REQUEST, not an internal error", async () => {
    const query = `subscription { inquiryUpdates(caseNumber: "${held.caseNumber}") { inquiryId } }`;
    const response = await post(JSON.stringify({ query }), { authorization: `Bearer ${officer}` });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].extensions).toEqual({ code: "BAD_REQUEST" });
  });

  it("a NUL character or a lone surrogate in text: BAD_USER_INPUT naming the field, never the database's message", async () => {
    for (const name of ["王\u0000五", "王\uD800五"]) {
      const debtors = [{ kind: "PERSON", idNumber: residentId(), name }];
      const input = { caseNumber: caseNumber(), creditorName: "开封农商银行", claimAmount: "50000", debtors };
      const before = await writes();
      const result = await t.gql(REGISTER_CASE, { input }, officer);
      expect(result.errors?.[0].extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "debtors[0].name",
        rule: expect.stringMatching(/^(CONTROL_CHARACTER|LONE_SURROGATE)$/),
      });
      expect(await writes()).toEqual(before);
    }
  });
});

describe("agency callbacks answer 4xx in JSON", () => {
  it("an unsigned POST, an agency that does not call back, an unknown agency", async () => {
    for (const [path, status, code] of [
      ["/agency-callbacks/BANK", 401, "CALLBACK_REFUSED"],
      ["/agency-callbacks/TAX", 401, "CALLBACK_REFUSED"],
      ["/agency-callbacks/PROPERTY_REGISTRY", 401, "CALLBACK_REFUSED"],
      ["/agency-callbacks/BANK/measures", 401, "CALLBACK_REFUSED"],
      ["/agency-callbacks/NOPE", 404, "NOT_FOUND"],
      ["/peer-messages", 404, "NOT_FOUND"],
    ] as const) {
      const response = await fetch(`${t.hub.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      expect([path, response.status, response.headers.get("content-type")]).toEqual([path, status, "application/json; charset=utf-8"]);
      expect(await response.json()).toMatchObject({ code });
    }
  });
});

describe("production mode", () => {
  let production: TestHub;
  beforeAll(async () => {
    production = await startTestHub({ production: true });
  });
  afterAll(() => production?.close());

  it("no introspection, SDL or field suggestions without a token; all three with one", async () => {
    const token = await production.token("豫0225");
    for (const query of ["{ __schema { types { name } } }", '{ __type(name: "Debtor") { name } }', "{ _service { sdl } }"]) {
      expect((await production.gql(query)).errors?.[0].extensions).toMatchObject({ code: "UNAUTHENTICATED" });
      expect((await production.gql(query, {}, token)).errors).toBeUndefined();
    }
    const typo = `{ cas(caseNumber: "${held.caseNumber}") { id } }`;
    expect((await production.gql(typo)).errors?.[0].message).not.toMatch(/Did you mean/);
    expect((await production.gql(typo, {}, token)).errors?.[0].message).toMatch(/Did you mean "case"/);
  });
});
