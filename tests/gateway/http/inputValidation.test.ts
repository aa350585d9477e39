/**
 * Every input is checked at the edge (schema/common/checkedInput.ts): hostile text, dates and amounts sent
 * to every text argument of every operation, enumerated from the built schema, are refused with
 * BAD_USER_INPUT naming the field path and the rule, and leave no row in any table and nothing at an agency.
 * Subscriptions' arguments (over WebSocket) and `_entities` representations meet the same rules.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseNumber, residentId } from "../../support/identities.js";
import { collect, eventually, startTestHub, type GraphQLResult, type TestHub } from "../../support/testHub.js";

/** A type as introspection gives it. */
interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface InputValue {
  name: string;
  type: TypeRef;
}
interface FullType {
  kind: string;
  name: string;
  fields: { name: string; args: InputValue[]; type: TypeRef }[] | null;
  inputFields: InputValue[] | null;
  enumValues: { name: string }[] | null;
}

const TYPE_REF = "kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }";
const INTROSPECTION = `{ __schema { queryType { name } mutationType { name } types {
  kind name enumValues { name } inputFields { name type { ${TYPE_REF} } }
  fields { name type { ${TYPE_REF} } args { name type { ${TYPE_REF} } } }
} } }`;

let t: TestHub;
let types: Map<string, FullType>;
let token: string;

beforeAll(async () => {
  t = await startTestHub();
  token = await t.token("豫0225", ["CASE_OFFICER", "JUDGE", "SUPERVISOR", "HUB_ADMIN"]);
  const introspected = await t.gql(INTROSPECTION, {}, token);
  types = new Map(introspected.data.__schema.types.map((type: FullType) => [type.name, type]));
});
afterAll(() => t?.close());

/** A value each required text field passes its own rule with, by the field's name, so that only the field under test is refused. */
function validText(name: string): string {
  if (name === "caseNumber") return caseNumber();
  if (/idNumber$/i.test(name)) return residentId();
  if (/(Date|On|Deadline|^date|^from|^until)$/.test(name)) return "2024-01-02";
  if (/(Amount|^amount|^costs|^value|Value|Standard|Reserve|PerPerson)$/.test(name)) return "100";
  if (name === "contentBase64") return "aGk=";
  if (/^plate/.test(name)) return "豫B12345";
  if (name === "divisionCode") return "410225";
  return "张三";
}

const named = (type: TypeRef): TypeRef => (type.ofType ? named(type.ofType) : type);
const inputFields = (type: TypeRef): InputValue[] => types.get(named(type).name!)?.inputFields ?? [];
const printType = (type: TypeRef): string =>
  type.kind === "NON_NULL" ? `${printType(type.ofType!)}!` : type.kind === "LIST" ? `[${printType(type.ofType!)}]` : type.name!;

/** The smallest value GraphQL accepts for a type, `name` being the field's. */
function skeleton(type: TypeRef, name: string): unknown {
  if (type.kind === "NON_NULL") return skeleton(type.ofType!, name);
  if (type.kind === "LIST") return [skeleton(type.ofType!, name)];
  if (type.kind === "INPUT_OBJECT") {
    const required = inputFields(type).filter((field) => field.type.kind === "NON_NULL");
    return Object.fromEntries(required.map((field) => [field.name, skeleton(field.type, field.name)]));
  }
  if (type.kind === "ENUM") return types.get(type.name!)!.enumValues![0].name;
  if (type.name === "String") return validText(name);
  if (type.name === "Boolean") return false;
  return type.name === "ID" ? "1" : 1;
}

/** Every text field under an argument, as a path of field names. */
function textPaths(type: TypeRef, path: string[]): string[][] {
  const inner = named(type);
  if (inner.kind === "INPUT_OBJECT") return inputFields(inner).flatMap((field) => textPaths(field.type, [...path, field.name]));
  return inner.name === "String" ? [path] : [];
}

/** A value of `type` with `value` at `path` (lists get one item) and `at`, the path's suffix as the error names it. */
function place(type: TypeRef, path: string[], value: string, name: string): { value: unknown; at: string } {
  const inner = type.kind === "NON_NULL" ? type.ofType! : type;
  if (inner.kind === "LIST") {
    const placed = place(inner.ofType!, path, value, name);
    return { value: [placed.value], at: `[0]${placed.at}` };
  }
  if (path.length === 0) return { value, at: "" };
  const [key, ...rest] = path;
  const placed = place(inputFields(inner).find((field) => field.name === key)!.type, rest, value, key);
  return { value: { ...(skeleton(inner, name) as object), [key]: placed.value }, at: `.${key}${placed.at}` };
}

type Field = NonNullable<FullType["fields"]>[number];

function operation(kind: "query" | "mutation", field: Field, args: InputValue[]): string {
  const variables = args.map((a) => `$${a.name}: ${printType(a.type)}`).join(", ");
  const passed = args.map((a) => `${a.name}: $${a.name}`).join(", ");
  const selection = ["OBJECT", "INTERFACE", "UNION"].includes(named(field.type).kind) ? " { __typename }" : "";
  return `${kind} (${variables}) { ${field.name}(${passed})${selection} }`;
}

/** Rows in every table of the hub's database, and submissions the sandbox agencies received. */
async function footprint(): Promise<Record<string, number>> {
  const tables = await t.hub.db.sql.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const counts: Record<string, number> = {};
  // The sealer's own position row appears at its first pass whenever that falls; audit_event itself is counted.
  for (const { name } of tables.filter((table) => table.name !== "audit_chain_head")) {
    const [row] = await t.hub.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`);
    counts[name] = row.n;
  }
  counts.submissions = Object.values(t.sandbox.agencies).reduce((sum, agency) => sum + agency.stats.submissions, 0);
  return counts;
}

const HOSTILE: [string, string][] = [
  ["a NUL", "张\u0000三"],
  ["a lone surrogate", "张\ud800三"],
  ["10,001 characters", "张".repeat(10_001)],
];

function expectRefused(result: GraphQLResult, field: string, query: string): void {
  expect(result.errors, `${query}: ${JSON.stringify(result)}`.slice(0, 2000)).toHaveLength(1);
  const [error] = result.errors!;
  expect(error.extensions, query).toMatchObject({ code: "BAD_USER_INPUT", field, rule: expect.stringMatching(/^[A-Z][A-Z0-9_]+$/) });
}

describe("every text argument of every operation", () => {
  it("refuses hostile text naming the field and the rule, and writes and sends nothing", async () => {
    const before = await footprint();
    let sent = 0;
    for (const kind of ["mutation", "query"] as const) {
      const root = kind === "mutation" ? "Mutation" : "Query";
      for (const field of types.get(root)!.fields!) {
        for (const arg of field.args) {
          const others = field.args.filter((other) => other !== arg && other.type.kind === "NON_NULL");
          const query = operation(kind, field, [arg, ...others]);
          for (const path of textPaths(arg.type, [arg.name])) {
            for (const [, value] of HOSTILE) {
              const placed = place(arg.type, path.slice(1), value, arg.name);
              const variables = Object.fromEntries(others.map((other) => [other.name, skeleton(other.type, other.name)]));
              const result = await t.gql(query, { ...variables, [arg.name]: placed.value }, token);
              expectRefused(result, placed.at ? placed.at.replace(/^\./, "") : arg.name, query);
              sent++;
            }
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(250);
    expect(await footprint()).toEqual(before);
  });
});

describe("the values the hostile-input run got through", () => {
  /** `input` of `mutation` with `overrides` at paths such as "notice.date", over the skeleton of its input type. */
  function mutate(mutation: string, overrides: Record<string, unknown>): Promise<GraphQLResult> {
    const field = types.get("Mutation")!.fields!.find((candidate) => candidate.name === mutation)!;
    const arg = field.args.find((candidate) => candidate.name === "input")!;
    const input = skeleton(arg.type, "input") as Record<string, any>;
    for (const [path, value] of Object.entries(overrides)) {
      const keys = path.split(".");
      let holder = input;
      let type = arg.type;
      for (const key of keys.slice(0, -1)) {
        type = inputFields(type).find((candidate) => candidate.name === key)!.type;
        holder[key] ??= skeleton(type, key);
        holder = holder[key];
      }
      holder[keys.at(-1)!] = value;
    }
    return t.gql(operation("mutation", field, [arg]), { input }, token);
  }

  it.each([
    ["correctSanction", "name", "a name of 1 MB", "MAX_LENGTH", "张".repeat(1_000_000)],
    ["correctSanction", "name", "NaN", "NAME_PLACEHOLDER", "NaN"],
    ["correctSanction", "name", "410225199001011234", "NAME_WITHOUT_LETTERS", "410225199001011234"],
    ["correctSanction", "legalRepresentative", "张三 410225199001011234", "NAME_WITH_NUMBER", "张三 410225199001011234"],
    ["orderMeasure", "notice.date", "1.005", "ISO_DATE", "1.005"],
    ["orderMeasure", "decision.decisionDate", "1900-01-01", "DATE_RANGE", "1900-01-01"],
    ["listDishonestDebtor", "startsOn", "1900-01-01", "DATE_RANGE", "1900-01-01"],
    ["registerCase", "claimAmount", "00100", "DECIMAL_AMOUNT", "00100"],
    ["registerCase", "caseNumber", "（2024）豫0225执2147483648号", "CASE_NUMBER", "（2024）豫0225执2147483648号"],
    ["requestInquiry", "debtorIdNumber", "410225199001011235", "ID_NUMBER", "410225199001011235"],
    ["requestPoliceAssistance", "plate", "豫B1234", "PLATE_NUMBER", "豫B1234"],
    ["recordDebtorSecurity", "description", "担保 with a NUL", "CONTROL_CHARACTER", "担保\u0000"],
  ])("%s: %s %s is refused by %s", async (mutation, path, _label, rule, value) => {
    const before = await footprint();
    const result = await mutate(mutation, { [path]: value });
    expectRefused(result, path, mutation);
    expect(result.errors![0].extensions!.rule).toBe(rule);
    expect(await footprint()).toEqual(before);
  });
});

describe("what type-graphql does not validate", () => {
  /** Past the catch-all NUL and lone-surrogate check at the edge: only a field rule refuses these. */
  const FIELD_RULE_ONLY: [string, string, string][] = [
    ["a bell character", "张\u0007三", "CONTROL_CHARACTER"],
    ["201 characters", "张".repeat(201), "MAX_LENGTH"],
  ];

  it("refuses every text argument of every subscription by the field rules, over WebSocket", async () => {
    const client = t.ws(token);
    let sent = 0;
    for (const field of types.get("Subscription")!.fields!) {
      for (const arg of field.args.filter((candidate) => named(candidate.type).name === "String")) {
        const others = field.args.filter((other) => other !== arg && other.type.kind === "NON_NULL");
        const variables = `(${[arg, ...others].map((a) => `$${a.name}: ${printType(a.type)}`).join(", ")})`;
        const passed = [arg, ...others].map((a) => `${a.name}: $${a.name}`).join(", ");
        const query = `subscription ${variables} { ${field.name}(${passed}) { __typename } }`;
        const cases =
          arg.name === "caseNumber" ? [...FIELD_RULE_ONLY, ["no case number", "（2024）豫0225执abc号", "CASE_NUMBER"]] : FIELD_RULE_ONLY;
        for (const [label, value, rule] of cases) {
          const values = Object.fromEntries(others.map((other) => [other.name, skeleton(other.type, other.name)]));
          const subscription = collect(client, query, field.name, { ...values, [arg.name]: value });
          const [error] = await eventually(
            async () => subscription.errors,
            (received) => received.length > 0,
          );
          // An execution error arrives as a result's error; a refusal of the subscribe message as the sink's error list.
          const [first] = [error].flat() as NonNullable<GraphQLResult["errors"]>;
          expect(first.extensions, `${field.name}(${arg.name}: ${label})`).toMatchObject({
            code: "BAD_USER_INPUT",
            field: arg.name,
            rule,
          });
          subscription.stop();
          sent++;
        }
      }
    }
    expect(sent).toBeGreaterThanOrEqual(10);
  });

  it.each([
    ["EnforcementCase", "caseNumber", "（2024）豫0225执abc号", "CASE_NUMBER"],
    ["EnforcementCase", "caseNumber", "（2024）豫0225执1号\u0007", "CONTROL_CHARACTER"],
    ["Debtor", "id", "1".repeat(201), "MAX_LENGTH"],
  ])("refuses an _entities representation of %s whose %s breaks its rule (%s)", async (typename, key, value, rule) => {
    const entities = `query E($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }`;
    const representations = [{ __typename: typename, [key]: value }];
    const result = await t.gql(entities, { representations }, token);
    expect(result.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: `representations[0].${key}`, rule });
  });
});
