/**
 * Traces exported over OTLP/HTTP to a real receiver: a court's request to register a case yields the HTTP span,
 * the GraphQL operation, the database statements and the agency exchanges it started, in one trace, sent when
 * the hub shuts down at the latest.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { caseNumber, residentId } from "../../support/identities.js";
import { CASE_INQUIRIES, REGISTER_CASE, eventually, startTestHub, type TestHub } from "../../support/testHub.js";

interface ExportedSpan {
  name: string;
  traceId: string;
  attributes: { key: string; value: { stringValue?: string } }[];
}

const spans: ExportedSpan[] = [];
let receiver: Server;
let t: TestHub;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      const payload = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[] };
      for (const resource of payload.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const { port } = receiver.address() as AddressInfo;
  t = await startTestHub({ tracesEndpoint: `http://127.0.0.1:${port}/v1/traces` });
});
afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

it("exports one trace per request, with its operation, statements and agency exchanges", async () => {
  const officer = await t.token("豫0225");
  const number = caseNumber();
  const registered = await t.gql(
    REGISTER_CASE,
    {
      input: {
        caseNumber: number,
        creditorName: "开封农商银行",
        claimAmount: "1000",
        debtors: [{ kind: "PERSON", idNumber: residentId(), name: "李四" }],
      },
    },
    officer,
  );
  expect(registered.errors).toBeUndefined();
  await eventually(
    () => t.gql(CASE_INQUIRIES, { caseNumber: number }, officer),
    (r) => r.data?.case.inquiries.edges[0]?.node.complete === true,
  );
  // The exchanges end after the mutation has answered, so their spans may come in a later export than its own.
  const traceOfOperation = () => {
    const operation = spans.find((span) => span.name === "graphql mutation registerCase");
    return operation ? spans.filter((span) => span.traceId === operation.traceId).map((span) => span.name) : [];
  };
  const trace = await eventually(
    async () => traceOfOperation(),
    (names) => names.includes("agency exchange PROPERTY_REGISTRY") && names.includes("agency exchange BANK"),
  );
  expect(trace).toContain("POST /graphql");
  expect(trace).toEqual(expect.arrayContaining(["db INSERT", "agency exchange PROPERTY_REGISTRY", "agency exchange BANK"]));
  // Statements are traced by their text, never by their parameters (names and ID numbers).
  const texts = spans.flatMap((span) => span.attributes.filter((a) => a.key === "db.query.text").map((a) => a.value.stringValue ?? ""));
  expect(texts.length).toBeGreaterThan(0);
  expect(texts.some((text) => text.includes("李四"))).toBe(false);
}, 60_000);
