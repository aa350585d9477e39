import { XMLParser } from "fast-xml-parser";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { AgencyProtocolError, TransientAgencyError } from "../../connectors/connector.js";
import { policeConnector as connector } from "../../connectors/police/connector.js";
import { agencyContext, inquiryCall, organisationDebtor, rejection, useNock } from "./helpers.js";

useNock();
const ctx = agencyContext("http://police.test/national");
const call = inquiryCall();
const PATH = "/national/services/PersonInquiry";
const agency = () => nock("http://police.test").post(PATH);

const envelope = (body: string, soap = "soap", ga = "ga") =>
  `<?xml version="1.0" encoding="utf-8"?>\n<${soap}:Envelope xmlns:${soap}="http://schemas.xmlsoap.org/soap/envelope/" ` +
  `xmlns:${ga}="urn:gongan:zxlk:v1">` +
  `<${soap}:Body>${body.replaceAll("ga:", `${ga}:`)}</${soap}:Body></${soap}:Envelope>`;
const response = (inner: string, requestId = call.idempotencyKey) =>
  envelope(`<ga:PersonInquiryResponse><ga:RequestId>${requestId}</ga:RequestId>${inner}</ga:PersonInquiryResponse>`);
const fault = (code: string, reason: string) =>
  envelope(`<soap:Fault><faultcode>${code}</faultcode><faultstring>${reason}</faultstring></soap:Fault>`);

const person = (sex = "1") =>
  `<ga:Person><ga:Name>张三</ga:Name><ga:Sex>${sex}</ga:Sex><ga:BirthDate>1985-06-15</ga:BirthDate>` +
  `<ga:HouseholdAddress>河南省开封市龙亭区北门大街12号</ga:HouseholdAddress><ga:RegistrationAuthority>` +
  `开封市公安局龙亭分局北书店派出所</ga:RegistrationAuthority></ga:Person>`;
const found = (personXml = person(), whereabouts = "") => response(`<ga:Result>FOUND</ga:Result>${personXml}${whereabouts}`);

describe("police connector", () => {
  it("sends a SOAP 1.1 request carrying the idempotency key, with XML escaped", async () => {
    let sent = "";
    agency()
      .matchHeader("soapaction", '"urn:gongan:zxlk:v1#PersonInquiry"')
      .matchHeader("content-type", "text/xml; charset=utf-8")
      .reply((_uri, body) => {
        sent = String(body);
        return [200, response("<ga:Result>NOT_FOUND</ga:Result>")];
      });

    await connector.inquire(inquiryCall({ debtor: { ...call.debtor, name: "张<三>&" } }), ctx);

    const parsed = new XMLParser({ parseTagValue: false }).parse(sent);
    expect(parsed["soap:Envelope"]["soap:Body"]["ga:PersonInquiryRequest"]).toEqual({
      "ga:RequestId": call.idempotencyKey,
      "ga:CaseNumber": call.caseNumber,
      "ga:Court": call.courtCode,
      "ga:IdNumber": call.debtor.idNumber,
      "ga:Name": "张<三>&",
      "ga:Purpose": call.purpose,
    });
  });

  it("maps a found person and their whereabouts to an identity record", async () => {
    const raw = found(
      person("2"),
      "<ga:Whereabouts>" +
        "<ga:Record><ga:Time>2024-08-01T21:15:00+08:00</ga:Time><ga:Place>郑州东站</ga:Place><ga:Type>RAIL</ga:Type></ga:Record>" +
        "<ga:Record><ga:Time>2024-08-02T23:40:00+08:00</ga:Time><ga:Place>郑州市金水区某酒店</ga:Place><ga:Type>HOTEL</ga:Type></ga:Record>" +
        "</ga:Whereabouts>",
    );
    agency().reply(200, raw);

    expect(await connector.inquire(call, ctx)).toEqual({
      kind: "ANSWERED",
      raw,
      findings: {
        assets: [],
        identity: {
          name: "张三",
          nameMatches: true,
          sex: "FEMALE",
          birthDate: "1985-06-15",
          householdAddress: "河南省开封市龙亭区北门大街12号",
          householdRegistrationAuthority: "开封市公安局龙亭分局北书店派出所",
          recentWhereabouts: [
            { at: "2024-08-01T21:15:00+08:00", place: "郑州东站", kind: "RAIL" },
            { at: "2024-08-02T23:40:00+08:00", place: "郑州市金水区某酒店", kind: "HOTEL" },
          ],
        },
      },
    });
  });

  it("accepts any namespace prefixes, one whereabouts record and omitted optional fields", async () => {
    const raw = envelope(
      `<ga:PersonInquiryResponse><ga:RequestId>${call.idempotencyKey}</ga:RequestId><ga:Result>FOUND</ga:Result>` +
        `<ga:Person><ga:Name>张 三</ga:Name><ga:Sex/><ga:HouseholdAddress>开封</ga:HouseholdAddress><ga:RegistrationAuthority>` +
        `派出所</ga:RegistrationAuthority></ga:Person>` +
        `<ga:Whereabouts><ga:Record><ga:Time>2024-08-01T21:15:00Z</ga:Time><ga:Place>网吧</ga:Place><ga:Type>INTERNET_CAFE</ga:Type>` +
        `</ga:Record></ga:Whereabouts>` +
        `</ga:PersonInquiryResponse>`,
      "SOAP-ENV",
      "ns1",
    );
    agency().reply(200, raw);
    const outcome = await connector.inquire(call, ctx);
    expect(outcome.kind === "ANSWERED" && outcome.findings.identity).toEqual({
      name: "张 三",
      nameMatches: true,
      sex: undefined,
      birthDate: undefined,
      householdAddress: "开封",
      householdRegistrationAuthority: "派出所",
      recentWhereabouts: [{ at: "2024-08-01T21:15:00Z", place: "网吧", kind: "INTERNET_CAFE" }],
    });
  });

  it("flags a registered name that differs from the court's", async () => {
    agency().reply(200, found(person().replace("张三", "张叁")));
    const outcome = await connector.inquire(call, ctx);
    expect(outcome.kind === "ANSWERED" && outcome.findings.identity).toMatchObject({ name: "张叁", nameMatches: false, sex: "MALE" });
  });

  it.each([
    ["NOT_FOUND", call],
    ["NOT_APPLICABLE", inquiryCall({ debtor: organisationDebtor })],
  ])("answers %s with no identity", async (result, asked) => {
    const raw = response(`<ga:Result>${result}</ga:Result>`);
    agency().reply(200, raw);
    expect(await connector.inquire(asked, ctx)).toEqual({ kind: "ANSWERED", findings: { assets: [] }, raw });
  });

  it("treats a soap:Client fault as a refusal, whether sent with HTTP 500 or 200", async () => {
    const raw = fault("soap:Client", "未提供执行公务证件编号");
    agency().reply(500, raw);
    agency().reply(200, raw);
    expect(await connector.inquire(call, ctx)).toEqual({ kind: "REFUSED", reason: "未提供执行公务证件编号", raw });
    expect(await connector.inquire(call, ctx)).toEqual({ kind: "REFUSED", reason: "未提供执行公务证件编号", raw });
  });

  it("treats a soap:Server fault as transient", async () => {
    const raw = fault("soap:Server", "人口库暂不可用");
    agency().reply(500, raw);
    const error = await rejection(connector.inquire(call, ctx));
    expect(error).toBeInstanceOf(TransientAgencyError);
    expect(error.message).toContain("人口库暂不可用");
    expect(error.raw).toBe(raw);
  });

  it("rejects a VersionMismatch fault as a protocol error", async () => {
    agency().reply(500, fault("soap:VersionMismatch", "SOAP 1.2 expected"));
    expect(await rejection(connector.inquire(call, ctx))).toBeInstanceOf(AgencyProtocolError);
  });

  it("reports 503 without a fault as transient", async () => {
    agency().reply(503, "<html><body>Service Unavailable</body></html>");
    const error = await rejection(connector.inquire(call, ctx));
    expect(error).toBeInstanceOf(TransientAgencyError);
    expect(error.raw).toBe("<html><body>Service Unavailable</body></html>");
  });

  it.each([
    ["not XML", "garbage"],
    ["truncated XML", found().slice(0, -20)],
    ["a DTD", `<!DOCTYPE x [<!ENTITY a "aaaa">]>${found()}`],
    ["no SOAP envelope", `<PersonInquiryResponse><Result>FOUND</Result></PersonInquiryResponse>`],
    ["an unknown result", response("<ga:Result>MAYBE</ga:Result>")],
    ["FOUND without a person", response("<ga:Result>FOUND</ga:Result>")],
    ["sex 9", found(person("9"))],
    ["a bad birth date", found(person().replace("1985-06-15", "1985-13-01"))],
    [
      "an unknown whereabouts type",
      found(
        person(),
        "<ga:Whereabouts><ga:Record><ga:Time>2024-08-01T21:15:00Z</ga:Time><ga:Place>x</ga:Place><ga:Type>TAXI</ga:Type>" +
          "</ga:Record></ga:Whereabouts>",
      ),
    ],
    ["another request's answer", response("<ga:Result>NOT_FOUND</ga:Result>", "someone-else")],
  ])("rejects a reply with %s as a protocol error carrying the raw body", async (_what, raw) => {
    agency().reply(200, raw);
    const error = await rejection(connector.inquire(call, ctx));
    expect(error).toBeInstanceOf(AgencyProtocolError);
    expect(error.raw).toBe(raw);
  });
});

describe("police connector: recall (SOAP RequestStatus)", () => {
  const lookup = () => {
    let sent = "";
    const scope = nock("http://police.test")
      .post("/national/services/RequestStatus", (body: string) => ((sent = body), true))
      .matchHeader("soapaction", '"urn:gongan:zxlk:v1#RequestStatus"');
    return { scope, sent: () => new XMLParser({ removeNSPrefix: true, parseTagValue: false }).parse(sent).Envelope.Body };
  };

  it("asks by RequestId and reads the stored PersonInquiryResponse like the original answer", async () => {
    const { scope, sent } = lookup();
    const raw = found();
    scope.reply(200, raw);
    expect(await connector.recall!(call, ctx)).toMatchObject({ kind: "ANSWERED", raw, findings: { identity: { name: "张三" } } });
    expect(sent()).toEqual({ RequestStatusRequest: { RequestId: call.idempotencyKey } });
  });

  it("reads a stored refusal (soap:Client) as the refusal it was", async () => {
    const raw = fault("soap:Client", "姓名不能为空");
    lookup().scope.reply(400, raw);
    expect(await connector.recall!(call, ctx)).toEqual({ kind: "REFUSED", reason: "姓名不能为空", raw });
  });

  it("is undefined on a soap:Client.UnknownRequest fault: the police never received it", async () => {
    lookup().scope.reply(400, fault("soap:Client.UnknownRequest", `未收到请求 ${call.idempotencyKey}`));
    expect(await connector.recall!(call, ctx)).toBeUndefined();
  });
});
