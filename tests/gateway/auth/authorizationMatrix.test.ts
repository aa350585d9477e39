/**
 * Every query, mutation and subscription of the hub's schema (read from the schema itself, so a new
 * one cannot be forgotten) against every kind of caller: no debtor datum of a court's case reaches
 * anyone but that court's officers and the supervisors above it, and every bad token is refused as
 * UNAUTHENTICATED with its reason. One hub, one case, many requests.
 */
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
} from "graphql";
import { generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../gateway/auth/principal.js";
import { WS_UNAUTHENTICATED } from "../../../gateway/http/hubServer.js";
import { craftToken } from "../../support/craftedTokens.js";
import { caseNumber, residentId } from "../../support/identities.js";
import { collect, REGISTER_CASE, startTestHub, type GraphQLResult, type TestHub } from "../../support/testHub.js";

const OWNER = "豫0225";
const held = { caseNumber: caseNumber(OWNER), debtor: residentId(), name: "权限矩阵测试人" };

/** Callers that must never see the held case's debtor: [label, org, roles]. */
const OUTSIDERS: [string, string, Role[]][] = [
  ["a foreign court's officer", "豫0223", ["CASE_OFFICER", "JUDGE"]],
  ["a supervisor of another prefecture", "豫03", ["SUPERVISOR"]],
  ["a supervisor of another province", "皖", ["SUPERVISOR"]],
  ["a basic court's supervisor of a neighbour", "豫0223", ["SUPERVISOR"]],
  ["an agency", "BANK", ["AGENCY"]],
  ["an agency naming the owner court", OWNER, ["AGENCY"]],
  ["an operator", "HUB", ["OPERATOR"]],
  ["the hub administrator", "HUB", ["HUB_ADMIN"]],
];

let t: TestHub;
let operations: { kind: "query" | "mutation" | "subscription"; name: string; document: string; variables: Record<string, unknown> }[];

beforeAll(async () => {
  t = await startTestHub();
  const officer = await t.token(OWNER);
  const registered = await t.gql(
    REGISTER_CASE,
    {
      input: {
        caseNumber: held.caseNumber,
        creditorName: "开封农商银行",
        claimAmount: "380000",
        debtors: [{ kind: "PERSON", idNumber: held.debtor, name: held.name }],
      },
    },
    officer,
  );
  expect(registered.errors).toBeUndefined();
  const introspection = await t.gql(getIntrospectionQuery(), {}, officer);
  const schema = buildClientSchema(introspection.data);
  operations = (
    [
      ["query", schema.getQueryType()],
      ["mutation", schema.getMutationType()],
      ["subscription", schema.getSubscriptionType()],
    ] as const
  ).flatMap(([kind, root]) =>
    Object.values((root as GraphQLObjectType | null)?.getFields() ?? {}).map((field) => ({ kind, ...operationOf(kind, field) })),
  );
}, 120_000);

afterAll(() => t?.close());

/** The call of one root field with every argument filled in, pointing at the held case where it can. */
function operationOf(kind: string, field: GraphQLField<unknown, unknown>) {
  const variables: Record<string, unknown> = {};
  const declared = field.args.map((arg) => {
    variables[arg.name] = sample(arg.name, arg.type);
    return `$${arg.name}: ${arg.type.toString()}`;
  });
  const args = field.args.map((arg) => `${arg.name}: $${arg.name}`);
  const document =
    `${kind} M${declared.length ? `(${declared.join(", ")})` : ""} ` +
    `{ ${field.name}${args.length ? `(${args.join(", ")})` : ""} ${selection(field.type, 3)} }`;
  return { name: field.name, document, variables };
}

function sample(name: string, type: GraphQLInputType): unknown {
  const inner = getNullableType(type) as GraphQLInputType;
  if (isListType(inner)) return [sample(name, inner.ofType)];
  if (isEnumType(inner)) return inner.getValues()[0].name;
  if (isInputObjectType(inner)) {
    return Object.fromEntries(
      Object.values(inner.getFields())
        .filter((f) => isNonNullType(f.type))
        .map((f) => [f.name, sample(f.name, f.type)]),
    );
  }
  if (inner.name === "_Any") return { __typename: "EnforcementCase", caseNumber: held.caseNumber };
  if (/caseNumber/i.test(name)) return held.caseNumber;
  if (/courtCode/i.test(name)) return OWNER;
  if (/debtorIdNumber|^idNumber$/i.test(name)) return held.debtor;
  if (inner.name === "Int" || inner.name === "Float") return 1;
  if (inner.name === "Boolean") return false;
  if (inner.name === "ID") return "00000000-0000-4000-8000-000000000000";
  if (/date|On$/i.test(name)) return "2026-01-01";
  return "1";
}

/** Every scalar, and objects to `depth` levels, skipping fields that need arguments. */
function selection(type: GraphQLOutputType, depth: number): string {
  const named = getNamedType(type);
  if (isScalarType(named) || isEnumType(named)) return "";
  if (!isObjectType(named) || depth === 0) return "{ __typename }";
  const fields = Object.values(named.getFields())
    .filter((f) => f.args.every((arg) => !isNonNullType(arg.type)))
    .map((f) => {
      const sub = selection(f.type, depth - 1);
      return isScalarType(getNamedType(f.type)) || isEnumType(getNamedType(f.type)) ? f.name : sub ? `${f.name} ${sub}` : "";
    })
    .filter(Boolean);
  return `{ __typename ${fields.join(" ")} }`;
}

async function call(op: (typeof operations)[number], token: string): Promise<GraphQLResult> {
  if (op.kind !== "subscription") return t.gql(op.document, op.variables, token);
  const client = t.ws(token);
  const stream = collect(client, op.document, op.name, op.variables);
  // Every subscription the outsiders open here is refused at once; a refusal or an event ends the wait.
  for (let i = 0; i < 200 && stream.errors.length === 0 && stream.events.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  stream.stop();
  await client.dispose();
  // A refused token closes the connection (4401, the reason as the close reason) instead of answering an error.
  const errors = (stream.errors as { code?: number; reason?: string; message?: string; extensions?: Record<string, unknown> }[]).map(
    (error) =>
      error.code === WS_UNAUTHENTICATED
        ? { message: "closed", extensions: { code: "UNAUTHENTICATED", reason: error.reason } }
        : { message: error.message ?? "", extensions: error.extensions },
  );
  return { data: stream.events.length ? { [op.name]: stream.events[0] } : undefined, errors };
}

const leaks = (result: GraphQLResult) => {
  const text = JSON.stringify(result.data ?? null);
  return text.includes(held.debtor) || text.includes(held.name);
};

describe("the authorisation matrix", () => {
  it("covers the whole schema, and the owner court does see the held debtor (so the check can see a leak)", async () => {
    expect(operations.length).toBeGreaterThan(40);
    const own = await t.gql(
      `query C($n: String!) { case(caseNumber: $n) { debtors { idNumber name } } }`,
      { n: held.caseNumber },
      await t.token(OWNER),
    );
    expect(leaks(own)).toBe(true);
    for (const supervisor of ["豫02", "豫"]) {
      const above = await t.gql(
        `query C($n: String!) { case(caseNumber: $n) { debtors { idNumber } } }`,
        { n: held.caseNumber },
        await t.token(supervisor, ["SUPERVISOR"]),
      );
      expect(leaks(above), supervisor).toBe(true);
    }
  });

  it("no operation gives an outsider the held case's debtor", async () => {
    const found: string[] = [];
    for (const [label, org, roles] of OUTSIDERS) {
      const token = await t.token(org, roles);
      for (const op of operations) {
        const result = await call(op, token);
        if (leaks(result)) found.push(`${op.name} → ${label}: leaked`);
        const internal = result.errors?.find((error) => error.extensions?.code === "INTERNAL_SERVER_ERROR");
        if (internal) found.push(`${op.name} → ${label}: ${internal.message}`);
      }
    }
    expect(found).toEqual([]);
  }, 180_000);

  it("refuses every operation with a bad token as UNAUTHENTICATED, naming the reason", async () => {
    const now = Math.floor(Date.now() / 1000);
    const stranger = await generateKeyPair("EdDSA");
    const bad: [string, Promise<string>][] = [
      ["EXP_MISSING", craftToken(t.keys, { exp: undefined })],
      ["TOKEN_EXPIRED", craftToken(t.keys, { iat: now - 7200, exp: now - 3600 })],
      ["LIFETIME_TOO_LONG", craftToken(t.keys, { exp: now + 100 * 365 * 86400 })],
      ["WRONG_ISSUER", craftToken(t.keys, { iss: "someone-else" })],
      ["WRONG_AUDIENCE", craftToken(t.keys, { aud: "another-service" })],
      ["ALGORITHM_NOT_ALLOWED", craftToken(t.keys, {}, { alg: "HS256" }, new TextEncoder().encode("a shared secret of 32 bytes!!!!"))],
      ["BAD_SIGNATURE", craftToken(stranger)],
      ["UNKNOWN_ORG", craftToken(t.keys, { org: "豫9999" })],
      ["NO_ROLES", craftToken(t.keys, { roles: [] })],
      ["INVALID_CLAIMS", craftToken(t.keys, { sub: undefined })],
    ];
    const found: string[] = [];
    for (const [reason, pending] of bad) {
      const token = await pending;
      for (const op of operations) {
        const result = await call(op, token);
        const refusal = result.errors?.[0]?.extensions;
        if (leaks(result) || refusal?.code !== "UNAUTHENTICATED" || refusal.reason !== reason) {
          found.push(`${op.name} with ${reason}: ${JSON.stringify(refusal ?? result.data)}`);
        }
      }
    }
    expect(found).toEqual([]);
  }, 180_000);
});
