import { XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox, type SandboxAgency } from "../../sandbox/index.js";
import { fastKnobs, findId } from "./fixtures.js";

let sandbox: Sandbox;
let property: SandboxAgency;
beforeAll(async () => {
  sandbox = await startSandbox({ knobs: fastKnobs() });
  property = sandbox.agencies.PROPERTY_REGISTRY;
});
afterAll(() => sandbox.close());
beforeEach(() => {
  for (const agency of Object.values(sandbox.agencies)) agency.reset();
});

function propertyInquiry(key: string, init: RequestInit = {}) {
  const body = {
    requestId: key,
    caseNumber: "（2024）豫0225执123号",
    court: "豫0225",
    subject: { type: "PERSON", idNumber: findId((p) => p.flats.length > 0), name: "张伟" },
    purpose: "查询被执行人财产",
    officer: "李法官",
  };
  return fetch(`${property.url}/national/v1/property-inquiries`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify(body),
    ...init,
  });
}

function control(agency: SandboxAgency, path: string, init: RequestInit = {}) {
  return fetch(`${agency.url}/_sandbox/${path}`, init);
}

describe("sandbox agency server", () => {
  it("reports and changes knobs over HTTP, all or nothing", async () => {
    expect(await (await control(property, "knobs")).json()).toMatchObject({ latencyMs: 0, errorRate: 0, down: false });
    const put = await control(property, "knobs", { method: "PUT", body: JSON.stringify({ latencyMs: 5, errorRate: 0.5 }) });
    expect(await put.json()).toMatchObject({ latencyMs: 5, errorRate: 0.5 });
    expect(property.knobs.errorRate).toBe(0.5);
    const bad = await control(property, "knobs", { method: "PUT", body: JSON.stringify({ latencyMs: 9, errorRate: 3 }) });
    expect(bad.status).toBe(400);
    expect(property.knobs.latencyMs).toBe(5);
    expect((await control(property, "knobs", { method: "PUT", body: JSON.stringify({ colour: "red" }) })).status).toBe(400);
    expect((await control(property, "reset", { method: "POST" })).status).toBe(200);
    expect(property.knobs).toMatchObject({ latencyMs: 0, errorRate: 0 });
  });

  it("reports stats over HTTP, per key included, and clears them on reset", async () => {
    await propertyInquiry("srv-stats");
    await propertyInquiry("srv-stats");
    expect(await (await control(property, "stats")).json()).toMatchObject({
      submissions: 2,
      executions: 1,
      duplicateSubmissions: 1,
      submissionsByKey: { "srv-stats": 2 },
    });
    await control(property, "reset", { method: "POST" });
    expect(property.stats).toMatchObject({ submissions: 0, executions: 0 });
  });

  it("executes concurrent submissions of one key once", async () => {
    property.knobs.latencyMs = 30;
    const replies = await Promise.all(Array.from({ length: 5 }, () => propertyInquiry("srv-concurrent").then((r) => r.text())));
    expect(new Set(replies).size).toBe(1);
    expect(property.stats).toMatchObject({ submissions: 5, executions: 1, duplicateSubmissions: 4 });
  });

  it("answers 503 in the agency's shape without executing when errorRate is 1", async () => {
    property.knobs.errorRate = 1;
    const response = await propertyInquiry("srv-503");
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "REJECTED" });
    expect(property.stats.executions).toBe(0);
    const credit = sandbox.agencies.CREDIT_PLATFORM;
    credit.knobs.errorRate = 1;
    const creditReply = await fetch(`${credit.url}/national/credit/v2/subjects/x/sanctions?requestId=k&case=c`, {
      headers: { "idempotency-key": "k" },
    });
    expect(creditReply.status).toBe(503);
    expect(await creditReply.json()).toMatchObject({ code: 5030 });
  });

  it("answers 200 with garbage when malformedRate is 1, after executing", async () => {
    property.knobs.malformedRate = 1;
    const response = await propertyInquiry("srv-garbage");
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(() => JSON.parse(text)).toThrow();
    expect(property.stats.executions).toBe(1);
    property.knobs.malformedRate = 0;
    expect(await (await propertyInquiry("srv-garbage")).json()).toMatchObject({ requestId: "srv-garbage", status: "OK" });

    const police = sandbox.agencies.POLICE;
    police.knobs.malformedRate = 1;
    const soap = await fetch(`${police.url}/national/services/PersonInquiry`, {
      method: "POST",
      headers: { "content-type": "text/xml; charset=utf-8", soapaction: '"urn:gongan:zxlk:v1#PersonInquiry"' },
      body:
        `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ga="urn:gongan:zxlk:v1"><soap:Body>` +
        `<ga:PersonInquiryRequest><ga:RequestId>srv-soap</ga:RequestId><ga:CaseNumber>c</ga:CaseNumber><ga:Court>豫0225</ga:Court>` +
        `<ga:IdNumber>${findId(() => true)}</ga:IdNumber><ga:Name>张伟</ga:Name><ga:Purpose>p</ga:Purpose>` +
        `</ga:PersonInquiryRequest></soap:Body></soap:Envelope>`,
    });
    expect(soap.status).toBe(200);
    expect(XMLValidator.validate(await soap.text())).not.toBe(true);
  });

  it("never answers when timeoutRate is 1, and replays the lost answer on retry", async () => {
    property.knobs.timeoutRate = 1;
    await expect(propertyInquiry("srv-timeout", { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    property.knobs.timeoutRate = 0;
    expect((await propertyInquiry("srv-timeout")).status).toBe(200);
    expect(property.stats).toMatchObject({ executions: 1, duplicateSubmissions: 1 });
  });

  it("drops connections while down but keeps the control routes, and recovers", async () => {
    property.knobs.down = true;
    await expect(propertyInquiry("srv-down")).rejects.toThrow(TypeError);
    expect(property.stats.submissions).toBe(0);
    expect((await control(property, "knobs", { method: "PUT", body: '{"down":false}' })).status).toBe(200);
    expect((await propertyInquiry("srv-down")).status).toBe(200);
  });

  it("adds the configured latency", async () => {
    property.knobs.latencyMs = 120;
    const started = Date.now();
    await propertyInquiry("srv-latency");
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it("answers unknown paths and methods in the agency's shape", async () => {
    const unknown = await fetch(`${property.url}/national/v2/nothing`, { method: "POST", body: "{}" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ status: "REJECTED" });
    expect((await fetch(`${property.url}/local/kaifeng/v1/property-inquiries`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(`${property.url}/national/v1/property-inquiries`)).status).toBe(405);
    const vehicle = sandbox.agencies.VEHICLE_REGISTRY;
    expect((await fetch(`${vehicle.url}/national/api/queries/%E0%A4%A`)).status).toBe(400);
  });

  describe("lookups of a submission by its key (docs/AGENCY_PROTOCOLS.md, Lookups)", () => {
    const lookUp = (key: string) => fetch(`${property.url}/national/v1/requests/${key}`);

    it("answer 404 UNKNOWN for a key never received, then the submission's own reply; counted apart from submissions", async () => {
      const unknown = await lookUp("srv-lookup");
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ requestId: "srv-lookup", status: "UNKNOWN", message: "未收到该请求" });
      const submitted = await (await propertyInquiry("srv-lookup")).text();
      const known = await lookUp("srv-lookup");
      expect(known.status).toBe(200);
      expect(await known.text()).toBe(submitted);
      expect(property.stats).toMatchObject({ submissions: 1, executions: 1, duplicateSubmissions: 0, lookups: 2 });
      expect(property.stats.lookupsFor("srv-lookup")).toBe(2);
      expect(property.stats.submissionsFor("srv-lookup")).toBe(1);
    });

    it("know a submission from the moment it arrives: a lookup during its latency waits for its answer", async () => {
      property.knobs.latencyMs = 300;
      const submission = propertyInquiry("srv-in-flight").then((r) => r.text());
      while (property.stats.submissions === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const lookedUp = await lookUp("srv-in-flight");
      expect(lookedUp.status).toBe(200);
      expect(await lookedUp.text()).toBe(await submission);
      expect(property.stats).toMatchObject({ submissions: 1, executions: 1, lookups: 1 });
    });
  });
});
