import { createHmac } from "node:crypto";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { debtorProfile } from "../../sandbox/debtorProfile.js";
import { startSandbox, type Sandbox } from "../../sandbox/index.js";
import { CallbackReceiver, fastKnobs, findId, withWrongCheck } from "./fixtures.js";

const SECRET = "police-test-secret";
const SOAP_ACTION = '"urn:gongan:zxlk:v1#Assistance"';
const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false });

let sandbox: Sandbox;
let endpoint: string;
const receiver = new CallbackReceiver();
beforeAll(async () => {
  await receiver.start();
  sandbox = await startSandbox({ secret: SECRET, knobs: fastKnobs() });
  endpoint = `${sandbox.agencies.POLICE.url}/national/services/Assistance`;
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});
beforeEach(() => {
  sandbox.agencies.POLICE.reset();
  receiver.received.length = 0;
});

const person = findId((p) => p.household !== undefined && p.vehicles.length > 0);
const plate = debtorProfile(person).vehicles[0].plate;

interface Fields {
  Kind: string;
  IdNumber?: string;
  Court?: string;
  Plate?: string;
  From?: string;
  Until?: string;
  RestrictionRef?: string;
  Judges?: string[];
}

function envelope(key: string, fields: Fields): string {
  const { Judges = ["王明"], ...rest } = fields;
  const all: Record<string, string | undefined> = {
    RequestId: key,
    CaseNumber: "（2024）豫0225执123号",
    Court: "豫0225",
    IdNumber: person,
    Name: "张伟",
    DecisionNumber: "（2024）豫0225执123号之三",
    DecisionDate: "2024-05-20",
    CallbackUrl: receiver.urlFor("POLICE", "assistance"),
    ...rest,
  };
  const elements = Object.entries(all)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<ga:${name}>${value}</ga:${name}>`)
    .concat(Judges.map((judge) => `<ga:Judge>${judge}</ga:Judge>`));
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" \
xmlns:ga="urn:gongan:zxlk:v1">
  <soap:Body><ga:AssistanceRequest>${elements.join("")}</ga:AssistanceRequest></soap:Body></soap:Envelope>`;
}

async function ask(key: string, fields: Fields, soapAction = SOAP_ACTION) {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "text/xml; charset=utf-8", soapaction: soapAction },
    body: envelope(key, fields),
  });
  const text = await response.text();
  return { status: response.status, text, body: parser.parse(text).Envelope.Body };
}

/** The signed report of `key`, once it has arrived; the signature is checked. */
async function reportOf(key: string): Promise<Record<string, string>> {
  for (let count = 1; ; count++) {
    await receiver.waitFor(count);
    const match = receiver.received.find((r) => JSON.parse(r.body).requestId === key);
    if (match) {
      expect(match.headers["x-signature"]).toBe(createHmac("sm3", SECRET).update(match.body, "utf8").digest("hex"));
      return JSON.parse(match.body);
    }
  }
}

async function accepted(key: string, fields: Fields): Promise<string> {
  const reply = await ask(key, fields);
  expect(reply.status).toBe(200);
  expect(reply.body.AssistanceResponse).toMatchObject({ RequestId: key, Result: "ACCEPTED" });
  return reply.body.AssistanceResponse.Reference;
}

async function refused(key: string, fields: Fields): Promise<string> {
  const reply = await ask(key, fields);
  expect(reply.status).toBe(400);
  expect(reply.body.Fault.faultcode).toBe("soap:Client");
  return reply.body.Fault.faultstring;
}

describe("police (SOAP Assistance): taken on at once, reported later by signed callback", () => {
  it("locates a debtor at their latest whereabouts and reports it, signed, to the CallbackUrl", async () => {
    const reference = await accepted("pa-locate", { Kind: "LOCATE_DEBTOR" });
    expect(reference).toMatch(/^公协\(\d{4}\)第\d{6}号$/);
    const report = await reportOf("pa-locate");
    const household = debtorProfile(person).household!;
    expect(report).toMatchObject({
      reference,
      kind: "LOCATE_DEBTOR",
      result: "DONE",
      place: household.whereabouts.at(-1)?.place ?? household.householdAddress,
    });
    expect(report.at).toMatch(/\+08:00$/);
  });

  it("takes a debtor under temporary control by their household's police station", async () => {
    await accepted("pa-control", { Kind: "TEMPORARY_CONTROL" });
    expect(await reportOf("pa-control")).toMatchObject({ result: "DONE", unit: debtorProfile(person).household!.registrationAuthority });
  });

  it("reports a person it holds no record of as not found", async () => {
    const stranger = findId((p) => p.household === undefined);
    await accepted("pa-stranger", { Kind: "LOCATE_DEBTOR", IdNumber: stranger });
    expect(await reportOf("pa-stranger")).toMatchObject({ result: "UNSUCCESSFUL", reason: expect.any(String) });
  });

  it("answers a repeated RequestId from the stored original: one request, one report", async () => {
    const first = await ask("pa-twice", { Kind: "LOCATE_DEBTOR" });
    const second = await ask("pa-twice", { Kind: "LOCATE_DEBTOR" });
    expect(second.text).toBe(first.text);
    await reportOf("pa-twice");
    expect(sandbox.agencies.POLICE.stats.executionsFor("pa-twice")).toBe(1);
    expect(receiver.received).toHaveLength(1);
  });

  it("answers a status query with PENDING until carried out, then the report as sent; an unknown request is 404", async () => {
    sandbox.agencies.POLICE.knobs.processingMs = 300;
    try {
      await accepted("pa-status", { Kind: "LOCATE_DEBTOR" });
      const status = async (key: string) => {
        const response = await fetch(`${endpoint}/${encodeURIComponent(key)}`);
        return { status: response.status, body: await response.text() };
      };
      expect(await status("pa-status")).toEqual({ status: 200, body: JSON.stringify({ state: "PENDING" }) });
      const sent = await reportOf("pa-status");
      expect(JSON.parse((await status("pa-status")).body)).toEqual(sent);
      expect((await status("pa-never")).status).toBe(404);
    } finally {
      sandbox.agencies.POLICE.knobs.processingMs = 100;
    }
  });

  it("seizes only a vehicle registered to the debtor, and only once", async () => {
    expect(await refused("pa-not-theirs", { Kind: "SEIZE_VEHICLE", Plate: "豫B99999" })).toContain("不登记在被执行人名下");
    await accepted("pa-seize", { Kind: "SEIZE_VEHICLE", Plate: plate });
    expect(await refused("pa-seize-again", { Kind: "SEIZE_VEHICLE", Plate: plate })).toContain("已被查扣");
    expect(await reportOf("pa-seize")).toMatchObject({ result: "DONE", plate, heldAt: expect.any(String) });
    expect(await refused("pa-no-plate", { Kind: "SEIZE_VEHICLE" })).toContain("号牌");
  });

  it("keeps an exit-restriction register: a lift needs a registered restriction, by the court that asked, lifted once", async () => {
    const restriction = { Kind: "RESTRICT_EXIT", From: "2024-06-01", Until: "2099-12-31" };
    expect(await refused("pa-lift-nothing", { Kind: "LIFT_EXIT_RESTRICTION", RestrictionRef: "pa-restrict" })).toContain("未找到");
    await accepted("pa-restrict", restriction);
    // Taken on but not yet carried out: nothing is registered to lift.
    expect(await refused("pa-lift-early", { Kind: "LIFT_EXIT_RESTRICTION", RestrictionRef: "pa-restrict" })).toContain("未找到");
    expect(await reportOf("pa-restrict")).toMatchObject({
      result: "DONE",
      until: "2099-12-31",
      borderControlRef: expect.stringMatching(/^边控/),
    });

    expect(
      await refused("pa-lift-other-court", { Kind: "LIFT_EXIT_RESTRICTION", RestrictionRef: "pa-restrict", Court: "豫0102" }),
    ).toContain("豫0225");
    const other = findId((p) => p.household !== undefined && p.vehicles.length === 0);
    expect(
      await refused("pa-lift-other-person", { Kind: "LIFT_EXIT_RESTRICTION", RestrictionRef: "pa-restrict", IdNumber: other }),
    ).toContain("未找到");
    await accepted("pa-lift", { Kind: "LIFT_EXIT_RESTRICTION", RestrictionRef: "pa-restrict" });
    expect(await refused("pa-lift-twice", { Kind: "LIFT_EXIT_RESTRICTION", RestrictionRef: "pa-restrict" })).toContain("已解除或正在解除");
    expect(await reportOf("pa-lift")).toMatchObject({
      result: "DONE",
      kind: "LIFT_EXIT_RESTRICTION",
      borderControlRef: expect.stringMatching(/^撤控/),
    });
  });

  it("refuses a restriction whose last day has passed or comes before its first", async () => {
    expect(await refused("pa-past", { Kind: "RESTRICT_EXIT", From: "2020-01-01", Until: "2020-06-30" })).toContain("已过");
    expect(await refused("pa-backwards", { Kind: "RESTRICT_EXIT", From: "2099-06-01", Until: "2099-01-01" })).toContain("早于");
  });

  it("refuses requests it cannot act on: an organisation to locate, no decision, a bad ID, a bad SOAPAction", async () => {
    const organisation = findId(() => true, { kind: "ORGANISATION" });
    expect(await refused("pa-org", { Kind: "LOCATE_DEBTOR", IdNumber: organisation })).toContain("自然人");
    expect(await refused("pa-no-judge", { Kind: "LOCATE_DEBTOR", Judges: [] })).toContain("决定");
    expect(await refused("pa-bad-id", { Kind: "LOCATE_DEBTOR", IdNumber: withWrongCheck(person) })).toContain("校验");
    expect(await refused("pa-kind", { Kind: "ARREST" })).toContain("Kind");
    const wrongAction = await ask("pa-action", { Kind: "LOCATE_DEBTOR" }, '"urn:gongan:zxlk:v1#PersonInquiry"');
    expect(wrongAction.status).toBe(400);
    expect(wrongAction.body.Fault.faultstring).toContain("#Assistance");
  });
});
