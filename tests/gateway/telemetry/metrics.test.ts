/**
 * /metrics scraped as Prometheus would, after a real case has gone to the sandbox agencies: the figures of the
 * issue are there under conventional names, a scrape without an operator's token is refused, and the log lines
 * written while serving a request name its request id.
 */
import { Writable } from "node:stream";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createLogger } from "../../../gateway/logger.js";
import { caseNumber, residentId } from "../../support/identities.js";
import { collect } from "../../support/subscriptionStream.js";
import { CASE_INQUIRIES, REGISTER_CASE, eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const REINQUIRIES = `subscription R($caseNumber: String!) { reinquiryUpdates(caseNumber: $caseNumber) { round status } }`;

let t: TestHub;
const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});

beforeAll(async () => {
  t = await startTestHub({ metricsOpen: false, log: createLogger("info", sink) });
});
afterAll(() => t?.close());

async function scrape(token?: string): Promise<Response> {
  return fetch(`${t.hub.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

/** Samples by metric name, each with its labels and value. */
function samples(text: string): Map<string, { labels: string; value: number }[]> {
  const byName = new Map<string, { labels: string; value: number }[]>();
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match) continue;
    const list = byName.get(match[1]) ?? [];
    list.push({ labels: match[2] ?? "", value: Number(match[3]) });
    byName.set(match[1], list);
  }
  return byName;
}

it("counts operations, agency exchanges and queues under Prometheus names, for operators only", async () => {
  const officer = await t.token("豫0225");
  const number = caseNumber();
  const registered = await fetch(t.graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${officer}`, "x-request-id": "court-system-req-0001" },
    body: JSON.stringify({
      query: REGISTER_CASE,
      variables: {
        input: {
          caseNumber: number,
          creditorName: "开封农商银行",
          claimAmount: "1000",
          debtors: [{ kind: "PERSON", idNumber: residentId(), name: "李四" }],
        },
      },
    }),
  });
  expect(registered.headers.get("x-request-id")).toBe("court-system-req-0001");
  await eventually(
    () => t.gql(CASE_INQUIRIES, { caseNumber: number }, officer),
    (r) => r.data?.case.inquiries.edges[0]?.node.complete === true,
  );

  expect((await scrape()).status).toBe(401);
  expect((await scrape(officer)).status).toBe(401);
  const response = await scrape(await t.token("HUB", ["OPERATOR"]));
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await response.text();

  // Conventions: counters end in _total, histograms name their unit, every name is snake case.
  const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => ({ name, type }));
  expect(types.length).toBeGreaterThan(20);
  for (const { name, type } of types) {
    expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
    if (type === "counter") expect(name).toMatch(/_total$/);
    if (type === "histogram") expect(name).toMatch(/_(seconds|bytes)$/);
  }

  const found = samples(text);
  const registrations = found.get("hub_graphql_operations_total")?.find((s) => s.labels.includes('field="registerCase"'));
  expect(registrations?.labels).toContain('code="OK"');
  expect(registrations?.value).toBeGreaterThanOrEqual(1);
  // Some agencies answer at once, others with a ticket (PENDING) answered later by poll or callback.
  const exchanged = found.get("hub_agency_exchanges_total") ?? [];
  expect(exchanged.every((s) => /outcome="(ANSWERED|PENDING)"/.test(s.labels))).toBe(true);
  expect(exchanged.map((s) => /agency="(\w+)"/.exec(s.labels)?.[1])).toEqual(
    expect.arrayContaining([
      "BANK",
      "CIVIL_AFFAIRS",
      "CREDIT_PLATFORM",
      "MARKET_REGULATION",
      "PAYMENT_PLATFORM",
      "POLICE",
      "PROPERTY_REGISTRY",
      "PROVIDENT_FUND",
      "SECURITIES_DEPOSITORY",
      "SOCIAL_INSURANCE",
      "TAX",
      "VEHICLE_REGISTRY",
    ]),
  );
  expect(found.get("hub_agency_exchange_duration_seconds_count")?.length).toBeGreaterThan(0);
  expect(found.get("hub_db_pool_connections")?.map((s) => s.labels)).toEqual(
    expect.arrayContaining(['{state="total"}', '{state="idle"}', '{state="waiting"}']),
  );
  expect(found.has("nodejs_eventloop_lag_seconds")).toBe(true);
  // Queue gauges are declared even when nothing waits; the inquiry is finished, so no request is open.
  expect(types.map((type) => type.name)).toEqual(
    expect.arrayContaining([
      "hub_agency_requests",
      "hub_agency_requests_oldest_age_seconds",
      "hub_measures",
      "hub_peer_outbox_messages",
      "hub_list_delivery_backlog",
      "hub_list_delivery_lag_seconds",
    ]),
  );
  expect((found.get("hub_agency_requests") ?? []).reduce((sum, s) => sum + s.value, 0)).toBe(0);

  // The exchanges this request started log under its id: a court's support desk finds them from its own.
  const exchanges = lines.filter((line) => line.msg === "agency exchange" && line.reqId === "court-system-req-0001");
  expect(exchanges.length).toBeGreaterThanOrEqual(6);
});

it("shows a waiting request in the queue gauges with its age", async () => {
  const officer = await t.token("豫0225");
  t.sandbox.agencies.BANK.knobs.down = true;
  try {
    const number = caseNumber();
    await t.gql(
      REGISTER_CASE,
      {
        input: {
          caseNumber: number,
          creditorName: "开封农商银行",
          claimAmount: "1000",
          debtors: [{ kind: "PERSON", idNumber: residentId(), name: "王五" }],
        },
      },
      officer,
    );
    const operator = await t.token("HUB", ["OPERATOR"]);
    const waiting = await eventually(
      async () => samples(await (await scrape(operator)).text()),
      (found) =>
        (found.get("hub_agency_requests") ?? []).some((s) => s.labels.includes('agency="BANK"') && s.value >= 1) &&
        (found.get("hub_agency_exchanges_total") ?? []).some(
          (s) => s.labels.includes('agency="BANK"') && s.labels.includes('outcome="ERROR"'),
        ),
    );
    const age = waiting.get("hub_agency_requests_oldest_age_seconds")?.find((s) => s.labels.includes('agency="BANK"'));
    expect(age?.value).toBeGreaterThanOrEqual(0);
  } finally {
    t.sandbox.agencies.BANK.knobs.down = false;
  }
});

it("counts operations over WebSocket (graphql-ws) by type, root field and code, as those over HTTP", async () => {
  // A case the court cannot see: the subscription is accepted, then refused with its first answer.
  const stream = collect(t.ws(await t.token("豫0225")), REINQUIRIES, { caseNumber: caseNumber() }, "reinquiryUpdates");
  await eventually(
    async () => stream.completed,
    (done) => done,
    5_000,
  );
  const code = stream.errors[0]?.extensions?.code;
  expect(code).toBeDefined();
  const operator = await t.token("HUB", ["OPERATOR"]);
  const counted = (await samples(await (await scrape(operator)).text())).get("hub_graphql_operations_total") ?? [];
  expect(counted).toContainEqual({ labels: `{operation_type="subscription",field="reinquiryUpdates",code="${code}"}`, value: 1 });
});
