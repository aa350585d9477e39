/**
 * The hub's own PostgreSQL connections die under load (pg_terminate_backend, as an operator or a failover
 * would): the process keeps running (an unhandled 'error' event would fail this file), every request gets an
 * answer, data or the typed DATABASE_UNAVAILABLE (never the driver's words), a subscription on one instance
 * still hears the other instance's events after its LISTEN connection was cut, and `/readyz` says not ready
 * while the database cannot be reached and ready once it can. Always on PostgreSQL: there is no connection
 * to lose on PGlite, whose readiness tests/gateway/http/health.test.ts checks.
 */
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { caseNumber, residentId } from "../../support/identities.js";
import { collect, type Stream } from "../../support/subscriptionStream.js";
import { startTcpProxy, type TcpProxy } from "../../support/tcpProxy.js";
import { createPostgresTestDatabase, type TestDatabase } from "../../support/testDatabase.js";
import { REGISTER_CASE, eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const UPDATES = `subscription Updates($caseNumber: String!) {
  inquiryUpdates(caseNumber: $caseNumber) { inquiryId status openParts }
}`;
const REQUEST_INQUIRY = `mutation Inquire($input: InquiryRequestInput!) { requestInquiry(input: $input) { id } }`;

let database: Required<TestDatabase>;
let proxy: TcpProxy;
let a: TestHub;
let b: TestHub;
let admin: pg.Client;

beforeAll(async () => {
  database = await createPostgresTestDatabase();
  // Hub A reaches PostgreSQL through a proxy the test can cut; hub B directly.
  proxy = await startTcpProxy();
  const server = new URL(database.url);
  proxy.target = { host: server.hostname, port: Number(server.port || 5432) };
  const throughProxy = new URL(database.url);
  throughProxy.host = new URL(proxy.url).host;
  a = await startTestHub({ database: { url: throughProxy.toString(), drop: async () => undefined } });
  b = await startTestHub({ database, sandbox: a.sandbox, keys: a.keys, sanctionKey: a.sanctionKey });
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
}, 60_000);

afterAll(async () => {
  await admin?.end();
  await a?.close();
  await b?.close();
  await proxy?.close();
  await database?.drop();
});

/** Every connection of both hubs, their LISTEN connections among them. */
const terminateHubConnections = () =>
  admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");

const readyz = async (t: TestHub) => {
  const response = await fetch(`${t.hub.url}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, { ok: boolean }> } };
};

const registerCase = async (t: TestHub, officer: string) => {
  const c = { number: caseNumber(), debtor: residentId() };
  const result = await t.gql(
    REGISTER_CASE,
    {
      input: {
        caseNumber: c.number,
        creditorName: "开封农商银行",
        claimAmount: "50000",
        debtors: [{ kind: "PERSON", idNumber: c.debtor, name: "孙八" }],
      },
    },
    officer,
  );
  return { c, result };
};

it("keeps serving while its connections are terminated, and its subscriptions hear the other instance again", async () => {
  const officer = await a.token("豫0225");
  const { c: watched, result: registered } = await registerCase(b, officer);
  expect(registered.errors).toBeUndefined();
  const stream: Stream = collect(a.ws(officer), UPDATES, { caseNumber: watched.number }, "inquiryUpdates");
  const inquire = () =>
    b.gql(REQUEST_INQUIRY, { input: { caseNumber: watched.number, debtorIdNumber: watched.debtor, purpose: "故障测试" } }, officer);
  // Heard on A through NOTIFY from B: probe until the subscription is live.
  const first = await eventually(
    async () => {
      const probe = await inquire();
      await new Promise((resolve) => setTimeout(resolve, 300));
      return stream.events.some((e) => e.inquiryId === probe.data?.requestInquiry.id);
    },
    (heard) => heard,
  );
  expect(first).toBe(true);

  // Load on both instances while every connection of theirs is terminated six times.
  let killing = true;
  const killer = (async () => {
    for (let round = 0; round < 6 && killing; round++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      await terminateHubConnections();
    }
  })();
  const results = await Promise.all(
    [a, b, a, b].map(async (t) => {
      const answers = [];
      for (let i = 0; i < 8; i++) answers.push((await registerCase(t, officer)).result);
      return answers;
    }),
  );
  killing = false;
  await killer;
  const answers = results.flat();
  const failures = answers.flatMap((answer) => answer.errors ?? []);
  expect(failures.map((error) => error.extensions?.code).filter((code) => code !== "DATABASE_UNAVAILABLE")).toEqual([]);
  expect(failures.map((error) => error.message).filter((message) => /terminat|connection/i.test(message))).toEqual([]);
  expect(answers.filter((answer) => answer.data?.registerCase).length).toBeGreaterThan(0);

  // The LISTEN connection of A was cut too: once it is back, B's work is heard on A again.
  await terminateHubConnections();
  await eventually(
    () => readyz(a),
    (r) => r.status === 200,
  );
  const after = await inquire();
  expect(after.errors).toBeUndefined();
  const inquiryId = after.data.requestInquiry.id;
  await eventually(
    async () => stream.events.filter((e) => e.inquiryId === inquiryId),
    (events) => events.some((e) => e.openParts === 0),
  );
  expect(stream.errors).toEqual([]);
}, 90_000);

it("reports not ready, with the reasons, while its database cannot be reached, and ready once it can", async () => {
  expect((await readyz(a)).status).toBe(200);
  proxy.cut();
  const down = await eventually(
    () => readyz(a),
    (r) => r.status === 503,
  );
  expect(down.body.status).toBe("not ready");
  expect(down.body.checks.database.ok).toBe(false);
  expect((await fetch(`${a.hub.url}/livez`)).status).toBe(200);
  proxy.restore();
  const up = await eventually(
    () => readyz(a),
    (r) => r.status === 200,
  );
  expect(Object.values(up.body.checks).every((check) => check.ok)).toBe(true);
}, 60_000);
