import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { debtorProfile } from "../../sandbox/debtorProfile.js";
import { startSandbox, type Sandbox } from "../../sandbox/index.js";
import { fastKnobs, findId, withWrongCheck } from "./fixtures.js";

const SOAP_ACTION = '"urn:gongan:zxlk:v1#PersonInquiry"';
const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, isArray: (name) => name === "Record" });

let sandbox: Sandbox;
let endpoint: string;
beforeAll(async () => {
  sandbox = await startSandbox({ knobs: fastKnobs() });
  endpoint = `${sandbox.agencies.POLICE.url}/national/services/PersonInquiry`;
});
afterAll(() => sandbox.close());

function envelope(key: string, idNumber: string, name = "张伟"): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ga="urn:gongan:zxlk:v1">
  <soap:Body><ga:PersonInquiryRequest>
    <ga:RequestId>${key}</ga:RequestId><ga:CaseNumber>（2024）豫0225执123号</ga:CaseNumber><ga:Court>豫0225</ga:Court>
    <ga:IdNumber>${idNumber}</ga:IdNumber><ga:Name>${name}</ga:Name><ga:Purpose>查找被执行人</ga:Purpose>
  </ga:PersonInquiryRequest></soap:Body></soap:Envelope>`;
}

async function call(body: string, soapAction = SOAP_ACTION) {
  const headers: Record<string, string> = { "content-type": "text/xml; charset=utf-8" };
  if (soapAction) headers.soapaction = soapAction;
  const response = await fetch(endpoint, { method: "POST", headers, body });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get("content-type"), text, body: parser.parse(text).Envelope.Body };
}

describe("police (SOAP)", () => {
  it("finds a person's household record and whereabouts", async () => {
    const id = findId((p) => p.household?.differingLastCharacter === null && p.household.whereabouts.length > 0);
    const reply = await call(envelope("pol-happy", id));
    expect(reply.status).toBe(200);
    expect(reply.contentType).toMatch(/^text\/xml/);
    const answer = reply.body.PersonInquiryResponse;
    const household = debtorProfile(id).household!;
    expect(answer.RequestId).toBe("pol-happy");
    expect(answer.Result).toBe("FOUND");
    expect(answer.Person).toEqual({
      Name: "张伟",
      Sex: household.sex === "MALE" ? "1" : "2",
      BirthDate: household.birthDate,
      HouseholdAddress: household.householdAddress,
      RegistrationAuthority: household.registrationAuthority,
    });
    expect(answer.Whereabouts.Record.map((r: { Type: string }) => r.Type)).toEqual(household.whereabouts.map((w) => w.type));
    for (const record of answer.Whereabouts.Record) expect(Date.parse(record.Time)).toBeGreaterThan(Date.now() - 31 * 86_400_000);
  });

  it("reports a differing registered name for a few people", async () => {
    const id = findId((p) => !!p.household?.differingLastCharacter);
    const answer = (await call(envelope("pol-mismatch", id, "张伟"))).body.PersonInquiryResponse;
    expect(answer.Person.Name).not.toBe("张伟");
    expect(answer.Person.Name).toMatch(/^张/);
  });

  it("answers NOT_FOUND for a person without a record and NOT_APPLICABLE for an organisation", async () => {
    const missing = findId((p) => p.household === undefined);
    expect((await call(envelope("pol-missing", missing))).body.PersonInquiryResponse.Result).toBe("NOT_FOUND");
    const organisation = findId(() => true, { kind: "ORGANISATION" });
    const answer = (await call(envelope("pol-org", organisation, "开封某某商贸有限公司"))).body.PersonInquiryResponse;
    expect(answer.Result).toBe("NOT_APPLICABLE");
    expect(answer.Person).toBeUndefined();
  });

  it("refuses a wrong check digit with a soap:Client fault", async () => {
    const reply = await call(envelope("pol-bad-id", withWrongCheck(findId(() => true))));
    expect(reply.status).toBe(400);
    expect(reply.body.Fault.faultcode).toBe("soap:Client");
    expect(reply.body.Fault.faultstring).toEqual(expect.any(String));
  });

  it("answers bad XML, a missing SOAPAction or a missing RequestId with a soap:Client fault", async () => {
    for (const reply of [
      await call("<soap:Envelope><unclosed>"),
      await call(
        envelope(
          "pol-no-action",
          findId(() => true),
        ),
        "",
      ),
      await call(
        envelope(
          "",
          findId(() => true),
        ),
      ),
      await call('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>'),
    ]) {
      expect(reply.status).toBe(400);
      expect(reply.body.Fault.faultcode).toBe("soap:Client");
    }
    expect(sandbox.agencies.POLICE.stats.submissionsFor("pol-no-action")).toBe(0);
  });

  it("replays the original answer for a repeated RequestId", async () => {
    const agency = sandbox.agencies.POLICE;
    agency.reset();
    const body = envelope(
      "pol-replay",
      findId((p) => (p.household?.whereabouts.length ?? 0) > 0),
    );
    const first = await call(body);
    const second = await call(body);
    expect(second.text).toBe(first.text);
    expect(agency.stats).toMatchObject({ submissions: 2, executions: 1, duplicateSubmissions: 1 });
  });
});
