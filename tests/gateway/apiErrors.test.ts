/**
 * Every bad input gets a clear, typed GraphQL error (extensions.code, and
 * extensions.field / extensions.reason where they help the case system fix the
 * request), and a refused request writes nothing: no case, debtor, inquiry,
 * agency request, asset or audit row, and nothing reaches an agency.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueToken } from "../../gateway/auth/tokens.js";
import { craftToken } from "../support/craftedTokens.js";
import { caseNumber, creditCode, residentId } from "../support/identities.js";
import { CASE_INQUIRIES, REGISTER_CASE, eventually, startTestHub, type GraphQLResult, type TestHub } from "../support/testHub.js";

const REQUEST_INQUIRY = `mutation Inquire($input: InquiryRequestInput!) {
  requestInquiry(input: $input) { id channel openParts parts { agency endpoint status } }
}`;
const CASE = `query Case($caseNumber: String!) { case(caseNumber: $caseNumber) { id caseNumber claimAmount } }`;
const CASES = `query Cases($first: Int, $after: String, $courtCode: String) {
  cases(first: $first, after: $after, courtCode: $courtCode) { edges { node { caseNumber } } pageInfo { hasNextPage endCursor } }
}`;
const AUDIT_TRAIL = `query Trail($caseNumber: String!) { auditTrail(caseNumber: $caseNumber) { edges { node { action } } } }`;
const INQUIRY = `query Inquiry($id: ID!) { inquiry(id: $id) { id } }`;

let t: TestHub;
/** An officer of 豫0225 (the court that owns `held`), one of the neighbouring court 豫0223, their prefecture's supervisor. */
let officer: string;
let otherCourt: string;
let supervisor: string;

/** A case registered (and fully inquired) before the error tests, so there is something to be refused access to. */
const held = { caseNumber: caseNumber(), debtor: residentId(), inquiryId: "" };
const heldInput = () => ({
  caseNumber: held.caseNumber,
  creditorName: "开封农商银行",
  claimAmount: "380000",
  debtors: [{ kind: "PERSON", idNumber: held.debtor, name: "李四" }],
});

beforeAll(async () => {
  t = await startTestHub();
  officer = await t.token("豫0225");
  otherCourt = await t.token("豫0223");
  supervisor = await t.token("豫02", ["SUPERVISOR"], "command-centre");
  const registered = await t.gql(REGISTER_CASE, { input: heldInput() }, officer);
  expect(registered.errors).toBeUndefined();
  // Wait for the registration inquiry to finish, so that no write of its own lands while a test counts rows.
  const done = await eventually(
    () => t.gql(CASE_INQUIRIES, { caseNumber: held.caseNumber }, officer),
    (r) => r.data?.case.inquiries.edges[0]?.node.complete === true,
  );
  held.inquiryId = done.data.case.inquiries.edges[0].node.id;
});
afterAll(() => t?.close());

interface Footprint {
  cases: number;
  debtors: number;
  inquiries: number;
  requests: number;
  assets: number;
  audit: number;
  submissions: number;
}

/** Everything a request could leave behind: rows in every table, and submissions the agencies received. */
async function footprint(): Promise<Footprint> {
  const [rows] = await t.hub.db.sql.query<Omit<Footprint, "submissions">>(
    `SELECT (SELECT count(*)::int FROM enforcement_case) AS cases,
            (SELECT count(*)::int FROM debtor) AS debtors,
            (SELECT count(*)::int FROM inquiry) AS inquiries,
            (SELECT count(*)::int FROM agency_request) AS requests,
            (SELECT count(*)::int FROM asset) AS assets,
            (SELECT count(*)::int FROM audit_event) AS audit`,
  );
  const submissions = Object.values(t.sandbox.agencies).reduce((sum, agency) => sum + agency.stats.submissions, 0);
  return { ...rows, submissions };
}

/**
 * Waits until no inquiry has parts still open: the tests that register cases start inquiries whose
 * answers (assets, audit rows) land in the background, and must not be mistaken for a refused request's.
 */
async function settled(): Promise<void> {
  await eventually(
    () => t.hub.db.sql.query<{ open: number }>(`SELECT count(*)::int AS open FROM inquiry WHERE open_parts > 0`),
    ([{ open }]) => open === 0,
  );
}

/** Runs a request that must be refused, and checks it left no trace anywhere. */
async function refusedWithoutTrace(request: () => Promise<GraphQLResult>): Promise<{ message: string; extensions: Record<string, any> }> {
  await settled();
  const before = await footprint();
  const result = await request();
  expect(result.errors, JSON.stringify(result.data)).toHaveLength(1);
  // A refused mutation or query returns no data for its field (all our root fields are non-null, so data is null).
  expect(result.data ?? null).toBeNull();
  // Give anything that (wrongly) went on in the background a moment to show up before counting again.
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await footprint()).toEqual(before);
  const [error] = result.errors!;
  expect(error.message.length).toBeGreaterThan(0);
  return error as { message: string; extensions: Record<string, any> };
}

/** `token` null = send no Authorization header (undefined would mean the default officer). */
const register = (input: Record<string, unknown>, token: string | null = officer) => t.gql(REGISTER_CASE, { input }, token ?? undefined);
const inquire = (input: Record<string, unknown>, token: string | null = officer) =>
  t.gql(
    REQUEST_INQUIRY,
    { input: { caseNumber: held.caseNumber, debtorIdNumber: held.debtor, purpose: "财产调查", ...input } },
    token ?? undefined,
  );
const validCase = (overrides: Record<string, unknown> = {}) => ({
  caseNumber: caseNumber(),
  creditorName: "中原银行开封分行",
  claimAmount: "125000.50",
  debtors: [{ kind: "PERSON", idNumber: residentId(), name: "王五" }],
  ...overrides,
});

/** The same identifier with a check character that is wrong (any other valid character). */
const withWrongCheck = (id: string) => id.slice(0, 17) + (id[17] === "0" ? "1" : "0");

/** The supervisor's view: a refused registration must not have created the case. */
async function expectNoSuchCase(number: string): Promise<void> {
  const seen = await t.gql(CASE, { caseNumber: number }, supervisor);
  expect(seen.errors?.[0].extensions?.code).toBe("CASE_NOT_FOUND");
}

describe("registerCase refuses invalid input, naming the field and the reason", () => {
  it("a resident ID whose check digit is wrong", async () => {
    const input = validCase({ debtors: [{ kind: "PERSON", idNumber: withWrongCheck(residentId()), name: "王五" }] });
    const error = await refusedWithoutTrace(() => register(input));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "debtors[0].idNumber" });
    expect(error.extensions.reason).toMatch(/^not a valid resident ID number: check digit should be [\dX], got [\dX]$/);
    await expectNoSuchCase(input.caseNumber as string);
  });

  it("a unified social credit code whose check character is wrong", async () => {
    const input = validCase({
      debtors: [
        { kind: "PERSON", idNumber: residentId(), name: "王五" },
        { kind: "ORGANISATION", idNumber: withWrongCheck(creditCode()), name: "开封某商贸有限公司" },
      ],
    });
    const error = await refusedWithoutTrace(() => register(input));
    // The second debtor is the bad one; the index tells the case system which.
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "debtors[1].idNumber" });
    expect(error.extensions.reason).toMatch(/^not a valid unified social credit code: check character should be \w, got \w$/);
    await expectNoSuchCase(input.caseNumber as string);
  });

  it("a malformed case number", async () => {
    for (const [bad, why] of [
      ["2024豫0225执1号", /four-digit filing year in parentheses/],
      ["（2024）豫0225执01号", /without leading zeros/],
      ["（2024）豫0225民1号", /case kind 民 is not accepted/],
      ["（2024）豫0225执1", /must end with 号/],
    ] as const) {
      const error = await refusedWithoutTrace(() => register(validCase({ caseNumber: bad })));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "caseNumber" });
      expect(error.extensions.reason).toMatch(why);
    }
  });

  it("a case number of another court is FORBIDDEN, not registered under the caller's court", async () => {
    const input = validCase({ caseNumber: caseNumber("豫0223") });
    const error = await refusedWithoutTrace(() => register(input));
    expect(error.extensions).toMatchObject({ code: "FORBIDDEN", field: "caseNumber", reason: "OTHER_COURTS_CASE" });
    await expectNoSuchCase(input.caseNumber as string);
  });

  it("a claim amount that is not a number of yuan, or is zero", async () => {
    for (const [amount, why] of [
      ["abc", /amount in yuan with at most two decimals/],
      ["12.345", /amount in yuan with at most two decimals/],
      ["-5", /amount in yuan with at most two decimals/],
      ["0", /greater than zero/],
      ["0.00", /greater than zero/],
    ] as const) {
      const input = validCase({ claimAmount: amount });
      const error = await refusedWithoutTrace(() => register(input));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "claimAmount" });
      expect(error.extensions.reason).toMatch(why);
    }
  });

  it("no debtors, a blank name, or the same debtor twice", async () => {
    const twice = residentId();
    for (const [overrides, field] of [
      [{ debtors: [] }, "debtors"],
      [{ creditorName: "   " }, "creditorName"],
      [{ debtors: [{ kind: "PERSON", idNumber: residentId(), name: " " }] }, "debtors[0].name"],
      [
        {
          debtors: [
            { kind: "PERSON", idNumber: twice, name: "甲" },
            { kind: "PERSON", idNumber: twice, name: "甲" },
          ],
        },
        "debtors[1].idNumber",
      ],
    ] as const) {
      const error = await refusedWithoutTrace(() => register(validCase(overrides)));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    }
  });

  it("a role that may not register cases is FORBIDDEN", async () => {
    const error = await refusedWithoutTrace(() => register(validCase(), supervisor));
    expect(error.extensions).toMatchObject({ code: "FORBIDDEN", requiredRoles: ["CASE_OFFICER", "JUDGE"] });
  });
});

describe("registering is idempotent", () => {
  it("the same case sent again returns created:false and starts no second inquiry", async () => {
    await settled();
    const before = await footprint();
    // The same claim written another way (380000 vs 380000.00) and the name with stray spaces are still the same case.
    const again = await register({ ...heldInput(), claimAmount: "380000.00", creditorName: " 开封农商银行 " });
    expect(again.errors).toBeUndefined();
    expect(again.data.registerCase.created).toBe(false);
    expect(again.data.registerCase.case.caseNumber).toBe(held.caseNumber);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await footprint()).toEqual(before);
    const inquiries = await t.gql(CASE_INQUIRIES, { caseNumber: held.caseNumber }, officer);
    expect(inquiries.data.case.inquiries.edges.map((e: any) => e.node.id)).toEqual([held.inquiryId]);
  });

  it("the same case sent twice at once is registered once, with one inquiry", async () => {
    // A case system retrying a request that timed out on its side races its own first attempt.
    const input = validCase();
    const results = await Promise.all([register(input), register(input)]);
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined]);
    expect(results.map((r) => r.data.registerCase.created).sort()).toEqual([false, true]);
    expect(new Set(results.map((r) => r.data.registerCase.case.id)).size).toBe(1);
    const [{ inquiries }] = await t.hub.db.sql.query<{ inquiries: number }>(
      `SELECT count(*)::int AS inquiries FROM inquiry WHERE case_id = $1::uuid`,
      [results[0].data.registerCase.case.id],
    );
    expect(inquiries).toBe(1);
  });

  it("a case number written with half-width parentheses is the same case as with full-width ones", async () => {
    const input = validCase();
    const halfWidth = (input.caseNumber as string).replace("（", "(").replace("）", ")");
    const first = await register({ ...input, caseNumber: halfWidth });
    expect(first.errors).toBeUndefined();
    expect(first.data.registerCase).toMatchObject({ created: true, case: { caseNumber: input.caseNumber } });
    const again = await register(input);
    expect(again.data.registerCase).toMatchObject({ created: false, case: { id: first.data.registerCase.case.id } });
  });

  it("the same number with a different claim, creditor or debtors is CASE_CONFLICT", async () => {
    for (const overrides of [
      { claimAmount: "380001" },
      { creditorName: "另一家银行" },
      { debtors: [{ kind: "PERSON", idNumber: residentId(), name: "李四" }] },
    ]) {
      const error = await refusedWithoutTrace(() => register({ ...heldInput(), ...overrides }));
      expect(error.extensions).toMatchObject({ code: "CASE_CONFLICT", field: "caseNumber" });
    }
    const unchanged = await t.gql(CASE, { caseNumber: held.caseNumber }, officer);
    expect(unchanged.data.case.claimAmount).toBe("380000.00");
  });
});

describe("requestInquiry refuses what it may not do", () => {
  it("an unknown case is CASE_NOT_FOUND, in requestInquiry and in the case query", async () => {
    const unknown = caseNumber();
    const error = await refusedWithoutTrace(() => inquire({ caseNumber: unknown }));
    expect(error.extensions).toMatchObject({ code: "CASE_NOT_FOUND", field: "caseNumber" });
    const queried = await refusedWithoutTrace(() => t.gql(CASE, { caseNumber: unknown }, officer));
    expect(queried.extensions).toMatchObject({ code: "CASE_NOT_FOUND", field: "caseNumber" });
  });

  it("a malformed case number is BAD_USER_INPUT before any lookup", async () => {
    const error = await refusedWithoutTrace(() => inquire({ caseNumber: "豫0225执1号" }));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "caseNumber" });
  });

  it("a debtor who is not a party to the case is DEBTOR_NOT_A_PARTY", async () => {
    const stranger = residentId();
    const error = await refusedWithoutTrace(() => inquire({ debtorIdNumber: stranger }));
    expect(error.extensions).toMatchObject({ code: "DEBTOR_NOT_A_PARTY", field: "debtorIdNumber" });
    expect(error.message).toContain(stranger);
    // The case's assets filtered by debtor give the same error, in the same words (gateway/cases/caseAccess.ts).
    const assets = await refusedWithoutTrace(() =>
      t.gql(
        `query A($caseNumber: String!, $debtor: String!) { case(caseNumber: $caseNumber) { assets(debtorIdNumber: $debtor) { id } } }`,
        { caseNumber: held.caseNumber, debtor: stranger },
        officer,
      ),
    );
    expect([assets.message, assets.extensions]).toEqual([error.message, error.extensions]);
  });

  it("an empty purpose is refused: every inquiry must say why (audit trail)", async () => {
    for (const purpose of ["", "   "]) {
      const error = await refusedWithoutTrace(() => inquire({ purpose }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "purpose" });
    }
  });

  it("an invalid division code is refused", async () => {
    for (const divisionCode of ["4102", "abcdef", "990100", "4102250"]) {
      const error = await refusedWithoutTrace(() => inquire({ channel: "LOCAL", divisionCode }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "divisionCode" });
    }
  });

  it("the local channel for a division no endpoint serves is NO_ROUTE, and nothing is recorded", async () => {
    // 340100 (Hefei, Anhui): the sandbox routes configure local endpoints for Henan (41) and Kaifeng (4102) only.
    const error = await refusedWithoutTrace(() => inquire({ channel: "LOCAL", divisionCode: "340100", agencies: ["POLICE", "TAX"] }));
    expect(error.extensions).toMatchObject({ code: "NO_ROUTE", channel: "LOCAL", divisionCode: "340100" });
    expect(["POLICE", "TAX"]).toContain(error.extensions.agency);
  });

  it("an agency kind that does not exist is refused by the schema", async () => {
    const result = await inquire({ agencies: ["INSURER"] });
    expect(result.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0].message).toMatch(/INSURER/);
  });
});

describe("another court's case is FORBIDDEN", () => {
  it("to query, to inquire about, to read its audit trail or its inquiries", async () => {
    for (const request of [
      () => t.gql(CASE, { caseNumber: held.caseNumber }, otherCourt),
      () => inquire({}, otherCourt),
      () => t.gql(AUDIT_TRAIL, { caseNumber: held.caseNumber }, otherCourt),
      () => t.gql(INQUIRY, { id: held.inquiryId }, otherCourt),
      () => t.gql(CASES, { courtCode: "豫0225" }, otherCourt),
    ]) {
      const error = await refusedWithoutTrace(request);
      expect(error.extensions).toMatchObject({ code: "FORBIDDEN", reason: "OTHER_COURTS_CASE" });
    }
  });

  it("whether or not the case exists, so other courts cannot probe which case numbers are registered", async () => {
    const unregistered = caseNumber("豫0225");
    for (const request of [
      () => t.gql(CASE, { caseNumber: unregistered }, otherCourt),
      () => inquire({ caseNumber: unregistered }, otherCourt),
    ]) {
      const error = await refusedWithoutTrace(request);
      expect(error.extensions).toMatchObject({ code: "FORBIDDEN", reason: "OTHER_COURTS_CASE" });
    }
  });

  it("while a supervisor sees it", async () => {
    const seen = await t.gql(CASE, { caseNumber: held.caseNumber }, supervisor);
    expect(seen.errors).toBeUndefined();
    expect(seen.data.case.caseNumber).toBe(held.caseNumber);
  });
});

describe("tokens", () => {
  it("no token is UNAUTHENTICATED with reason TOKEN_MISSING", async () => {
    for (const request of [
      () => register(validCase(), null),
      () => inquire({}, null),
      () => t.gql(CASE, { caseNumber: held.caseNumber }),
    ]) {
      const error = await refusedWithoutTrace(request);
      expect(error.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "TOKEN_MISSING" });
    }
  });

  it("an expired token is UNAUTHENTICATED with reason TOKEN_EXPIRED", async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await craftToken(t.keys, { iat: now - 7200, exp: now - 3600 });
    for (const request of [() => register(validCase(), expired), () => t.gql(CASE, { caseNumber: held.caseNumber }, expired)]) {
      const error = await refusedWithoutTrace(request);
      expect(error.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "TOKEN_EXPIRED" });
    }
  });

  it("a garbage token is UNAUTHENTICATED with reason TOKEN_INVALID, one signed by another key BAD_SIGNATURE", async () => {
    const { generateKeyPair } = await import("jose");
    const foreign = await issueToken(await generateKeyPair("EdDSA"), { org: "豫0225", roles: ["CASE_OFFICER"], officer: "intruder" });
    for (const [token, reason] of [
      ["garbage", "TOKEN_INVALID"],
      ["a.b.c", "TOKEN_INVALID"],
      [foreign, "BAD_SIGNATURE"],
    ]) {
      const error = await refusedWithoutTrace(() => register(validCase(), token));
      expect(error.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason });
    }
  });

  it("a token with a role the hub does not know is UNAUTHENTICATED with reason INVALID_CLAIMS", async () => {
    const token = await issueToken(t.keys, { org: "豫0225", roles: ["EMPEROR" as never], officer: "x" });
    const error = await refusedWithoutTrace(() => register(validCase(), token));
    expect(error.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "INVALID_CLAIMS" });
  });

  it("an Authorization header that is not 'Bearer <token>' is UNAUTHENTICATED with reason MALFORMED_HEADER", async () => {
    await settled();
    const before = await footprint();
    const response = await fetch(t.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from("user:pass").toString("base64")}` },
      body: JSON.stringify({ query: REGISTER_CASE, variables: { input: validCase() } }),
    });
    const result = (await response.json()) as GraphQLResult;
    expect(result.errors?.[0].extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "MALFORMED_HEADER" });
    expect(await footprint()).toEqual(before);
  });
});

describe("pagination arguments", () => {
  it("a page size out of range is BAD_USER_INPUT on field first", async () => {
    for (const first of [0, -1, 101]) {
      const error = await refusedWithoutTrace(() => t.gql(CASES, { first }, officer));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
    }
  });

  it("a cursor the hub did not issue is BAD_USER_INPUT on field after, never an internal error", async () => {
    const forged = [
      "garbage",
      Buffer.from("2024-01-01T00:00:00.000Z|not-a-uuid").toString("base64url"),
      Buffer.from("yesterday|00000000-0000-0000-0000-000000000000").toString("base64url"),
    ];
    for (const after of forged) {
      const error = await refusedWithoutTrace(() => t.gql(CASES, { first: 5, after }, officer));
      expect(error.extensions, after).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
    }
    const trail = await refusedWithoutTrace(() =>
      t.gql(
        `query($c: String!, $a: String) { auditTrail(caseNumber: $c, after: $a) { edges { node { action } } } }`,
        { c: held.caseNumber, a: forged[1] },
        officer,
      ),
    );
    expect(trail.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
  });
});
