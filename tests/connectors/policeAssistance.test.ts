import { XMLParser } from "fast-xml-parser";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { AgencyProtocolError, TransientAgencyError } from "../../connectors/connector.js";
import { policeConnector as connector } from "../../connectors/police/connector.js";
import { signHmacSm3 } from "../../connectors/signature.js";
import { agencyContext, assistanceCall, rejection, useNock } from "./helpers.js";

useNock();
const ctx = agencyContext("http://police.test/national", "police-secret");
const call = assistanceCall();
const PATH = "/national/services/Assistance";
const agency = () => nock("http://police.test").post(PATH);

const envelope = (body: string) =>
  `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:p="urn:gongan:zxlk:v1">` +
  `<s:Body>${body}</s:Body></s:Envelope>`;
const accepted = (
  requestId = call.idempotencyKey,
  inner = "<p:Result>ACCEPTED</p:Result><p:Reference>公协(2024)第000001号</p:Reference>",
) => envelope(`<p:AssistanceResponse><p:RequestId>${requestId}</p:RequestId>${inner}</p:AssistanceResponse>`);
const fault = (code: string, reason: string) =>
  envelope(`<s:Fault><faultcode>${code}</faultcode><faultstring>${reason}</faultstring></s:Fault>`);

describe("police connector: assistance (SOAP Assistance operation)", () => {
  it("sends the request as SOAP 1.1 with its own SOAPAction, the judges repeated, and only the fields its kind takes", async () => {
    let sent = "";
    agency()
      .matchHeader("soapaction", '"urn:gongan:zxlk:v1#Assistance"')
      .matchHeader("content-type", "text/xml; charset=utf-8")
      .reply((_uri, body) => {
        sent = String(body);
        return [200, accepted()];
      });

    await connector.assist(
      assistanceCall({
        kind: "SEIZE_VEHICLE",
        plate: "豫B<12345>",
        decision: { number: "（2024）豫0225执123号之三", date: "2024-05-20", judges: ["张三", "李四", "王五"] },
      }),
      ctx,
    );

    const parsed = new XMLParser({ parseTagValue: false }).parse(sent);
    expect(parsed["soap:Envelope"]["soap:Body"]["ga:AssistanceRequest"]).toEqual({
      "ga:RequestId": call.idempotencyKey,
      "ga:Kind": "SEIZE_VEHICLE",
      "ga:CaseNumber": call.caseNumber,
      "ga:Court": call.courtCode,
      "ga:IdNumber": call.debtor.idNumber,
      "ga:Name": call.debtor.name,
      "ga:Plate": "豫B<12345>",
      "ga:DecisionNumber": "（2024）豫0225执123号之三",
      "ga:DecisionDate": "2024-05-20",
      "ga:Judge": ["张三", "李四", "王五"],
      "ga:Officer": call.officer,
      "ga:CallbackUrl": call.callbackUrl,
    });
  });

  it("sends a restriction's period and a lift's reference to the restriction", async () => {
    const bodies: string[] = [];
    agency()
      .twice()
      .reply((_uri, body) => {
        bodies.push(String(body));
        return [200, accepted()];
      });
    await connector.assist(assistanceCall({ kind: "RESTRICT_EXIT", from: "2024-06-01", until: "2024-12-01" }), ctx);
    await connector.assist(assistanceCall({ kind: "LIFT_EXIT_RESTRICTION", restrictionRef: "9a8b7c6d-0000-4000-8000-000000000001" }), ctx);
    const element = (xml: string) =>
      new XMLParser({ parseTagValue: false, removeNSPrefix: true }).parse(xml).Envelope.Body.AssistanceRequest;
    expect(element(bodies[0])).toMatchObject({ Kind: "RESTRICT_EXIT", From: "2024-06-01", Until: "2024-12-01" });
    expect(element(bodies[0]).RestrictionRef).toBeUndefined();
    expect(element(bodies[1])).toMatchObject({ Kind: "LIFT_EXIT_RESTRICTION", RestrictionRef: "9a8b7c6d-0000-4000-8000-000000000001" });
  });

  it("maps an acceptance to its reference", async () => {
    const raw = accepted();
    agency().reply(200, raw);
    expect(await connector.assist(call, ctx)).toEqual({ kind: "ACCEPTED", reference: "公协(2024)第000001号", raw });
  });

  it("treats a soap:Client fault (HTTP 400) as the police's refusal, with their reason", async () => {
    const raw = fault("soap:Client", "未找到对该人员的限制出境登记");
    agency().reply(400, raw);
    expect(await connector.assist(call, ctx)).toEqual({ kind: "REFUSED", reason: "未找到对该人员的限制出境登记", raw });
  });

  it("treats a soap:Server fault as transient, to be resent with the same key", async () => {
    agency().reply(500, fault("soap:Server", "边控系统暂不可用"));
    const error = await rejection(connector.assist(call, ctx));
    expect(error).toBeInstanceOf(TransientAgencyError);
    expect(error.message).toContain("边控系统暂不可用");
  });

  it.each([
    ["not XML", "garbage"],
    ["another request's acceptance", accepted("someone-else")],
    ["no reference", accepted(call.idempotencyKey, "<p:Result>ACCEPTED</p:Result>")],
    ["a result other than ACCEPTED", accepted(call.idempotencyKey, "<p:Result>DONE</p:Result><p:Reference>x</p:Reference>")],
    [
      "the inquiry's response element",
      envelope(`<p:PersonInquiryResponse><p:RequestId>${call.idempotencyKey}</p:RequestId></p:PersonInquiryResponse>`),
    ],
  ])("rejects a reply with %s as a protocol error carrying the raw body", async (_what, raw) => {
    agency().reply(200, raw);
    const error = await rejection(connector.assist(call, ctx));
    expect(error).toBeInstanceOf(AgencyProtocolError);
    expect(error.raw).toBe(raw);
  });
});

describe("police connector: signed assistance reports", () => {
  const head = { requestId: call.idempotencyKey, reference: "公协(2024)第000001号", at: "2024-06-01T10:15:30.123+08:00" };
  const signed = (report: object, secret = "police-secret") => {
    const body = JSON.stringify(report);
    return { body, headers: { "X-Signature": signHmacSm3(secret, body) } };
  };
  const accept = ({ body, headers }: { body: string; headers: Record<string, string> }) =>
    connector.acceptAssistanceReport(body, headers, ctx);
  const base = { requestKey: call.idempotencyKey, reference: head.reference, at: head.at };

  it.each([
    [
      { kind: "LOCATE_DEBTOR", place: "郑州东站" },
      { outcome: "DONE", place: "郑州东站" },
    ],
    [
      { kind: "TEMPORARY_CONTROL", place: "开封市某酒店", unit: "北书店派出所" },
      { outcome: "DONE", place: "开封市某酒店", unit: "北书店派出所" },
    ],
    [
      { kind: "SEIZE_VEHICLE", plate: "豫B12345", heldAt: "交警支队停车场" },
      { outcome: "DONE", heldAt: "交警支队停车场" },
    ],
    [
      { kind: "RESTRICT_EXIT", borderControlRef: "边控(2024)第000002号", until: "2024-12-01" },
      { outcome: "DONE", borderControlReference: "边控(2024)第000002号" },
    ],
    [
      { kind: "LIFT_EXIT_RESTRICTION", borderControlRef: "撤控(2024)第000003号" },
      { outcome: "DONE", borderControlReference: "撤控(2024)第000003号" },
    ],
  ])("decodes a DONE report of %o", (fields, expected) => {
    expect(accept(signed({ ...head, result: "DONE", ...fields }))).toEqual({ ...base, ...expected });
  });

  it("decodes an UNSUCCESSFUL report with its reason", () => {
    expect(accept(signed({ ...head, kind: "LOCATE_DEBTOR", result: "UNSUCCESSFUL", reason: "未发现下落" }))).toEqual({
      ...base,
      outcome: "UNSUCCESSFUL",
      reason: "未发现下落",
    });
  });

  it("refuses a report whose signature does not verify, before reading it", () => {
    const report = signed({ ...head, kind: "LOCATE_DEBTOR", result: "DONE", place: "郑州东站" }, "another-secret");
    expect(() => accept(report)).toThrow(AgencyProtocolError);
    expect(() => connector.acceptAssistanceReport(report.body, {}, ctx)).toThrow(/signature/);
  });

  it.each([
    ["a located debtor without a place", { kind: "LOCATE_DEBTOR", result: "DONE" }],
    ["an unknown kind", { kind: "ARREST", result: "DONE", place: "x" }],
    ["an unknown result", { kind: "LOCATE_DEBTOR", result: "MAYBE", place: "x" }],
    ["a bad time", { kind: "LOCATE_DEBTOR", result: "DONE", place: "x", at: "yesterday" }],
    ["an unsuccessful report without a reason", { kind: "LOCATE_DEBTOR", result: "UNSUCCESSFUL" }],
  ])("rejects a signed report with %s", (_what, fields) => {
    expect(() => accept(signed({ ...head, ...fields }))).toThrow(AgencyProtocolError);
  });
});

describe("police connector: asking for a report that never arrived", () => {
  const status = () => nock("http://police.test").get(`/national/services/Assistance/${call.idempotencyKey}`);
  const report = {
    requestId: call.idempotencyKey,
    reference: "公协(2024)第000001号",
    kind: "LOCATE_DEBTOR",
    at: "2024-06-01T10:15:30+08:00",
    result: "DONE",
    place: "郑州东站",
  };

  it("answers nothing yet while the police say PENDING", async () => {
    status().reply(200, { state: "PENDING" });
    expect(await connector.assistanceStatus(call.idempotencyKey, ctx)).toBeUndefined();
  });

  it("decodes the report as it was sent, keeping the raw body", async () => {
    const raw = JSON.stringify(report);
    status().reply(200, raw);
    expect(await connector.assistanceStatus(call.idempotencyKey, ctx)).toEqual({
      report: { requestKey: call.idempotencyKey, reference: report.reference, at: report.at, outcome: "DONE", place: "郑州东站" },
      raw,
    });
  });

  it.each([
    ["another request's report", 200, { ...report, requestId: "someone-else" }],
    ["an unknown request", 404, { state: "UNKNOWN" }],
    ["a report missing its place", 200, { ...report, place: undefined }],
  ])("rejects %s as a protocol error", async (_what, code, body) => {
    status().reply(code, body);
    expect(await rejection(connector.assistanceStatus(call.idempotencyKey, ctx))).toBeInstanceOf(AgencyProtocolError);
  });
});
