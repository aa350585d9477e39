import nock from "nock";
import { describe, expect, it } from "vitest";
import { AgencyProtocolError, canControl } from "../../connectors/connector.js";
import { marketRegulationConnector as connector } from "../../connectors/market-regulation/connector.js";
import { agencyContext, controlCall, inquiryCall, organisationDebtor, rejection, useNock } from "./helpers.js";
import { describeRegistryControl, SECRET } from "./registryControlSuite.js";

useNock();
const ctx = agencyContext("http://samr.test/national", SECRET);
const agency = () => nock("http://samr.test");
const call = inquiryCall();
const PATH = "/national/api/v2/equity/query";
const USCC = "91410225MA45ABC125";

const okReply = {
  code: "00",
  req_no: call.idempotencyKey,
  data: [
    {
      entname: "兰考鑫源商贸有限公司",
      uniscid: USCC,
      fundedratio: "35.00",
      subconam: "350000.00",
      acconam: "120000.00",
      restrictions: [
        { kind: "PLEDGE", org: "中国银行股份有限公司开封分行", doc_no: "开封市监股质登字[2022]第0042号", since: "2022-04-01", rank: 1 },
        { kind: "FREEZE", org: "杞县人民法院", doc_no: "（2024）豫0221执88号", since: "2024-01-05", rank: 1 },
      ],
    },
  ],
};

describe("market regulation connector: equity inquiry", () => {
  it("sends the request number in header and body, in the register's field names, and maps the stakes", async () => {
    const raw = JSON.stringify(okReply);
    let sent: unknown;
    agency()
      .post(PATH, (body) => ((sent = body), true))
      .matchHeader("x-request-no", call.idempotencyKey)
      .matchHeader("content-type", "application/json")
      .reply(200, raw);

    const outcome = await connector.inquire(call, ctx);

    expect(sent).toEqual({
      req_no: call.idempotencyKey,
      case_no: "（2024）豫0225执123号",
      court_code: "豫0225",
      investor: { cert_type: "SFZ", cert_no: "41020319850615001X", name: "张三" },
      reason: "查询被执行人财产",
      handler: "李法官",
    });
    expect(outcome).toEqual({
      kind: "ANSWERED",
      raw,
      findings: {
        assets: [
          {
            type: "EQUITY",
            identifier: USCC,
            companyName: "兰考鑫源商贸有限公司",
            uscc: USCC,
            sharePercent: "35.00",
            subscribedCapital: "350000.00",
            paidCapital: "120000.00",
            description: "兰考鑫源商贸有限公司 35.00% 股权（认缴 350000.00 元，实缴 120000.00 元）",
            estimatedValue: "120000.00",
            encumbrances: [
              {
                type: "PLEDGE",
                byAuthority: "中国银行股份有限公司开封分行",
                reference: "开封市监股质登字[2022]第0042号",
                since: "2022-04-01",
                rank: 1,
              },
              { type: "FREEZE", byAuthority: "杞县人民法院", reference: "（2024）豫0221执88号", since: "2024-01-05", rank: 1 },
            ],
          },
        ],
      },
    });
  });

  it("names an organisation by its credit code (TYSHXYDM)", async () => {
    const org = inquiryCall({ debtor: organisationDebtor });
    let sent: any;
    agency()
      .post(PATH, (body) => ((sent = body), true))
      .reply(200, JSON.stringify({ code: "00", req_no: org.idempotencyKey, data: [] }));
    expect(await connector.inquire(org, ctx)).toMatchObject({ kind: "ANSWERED", findings: { assets: [] } });
    expect(sent.investor).toEqual({ cert_type: "TYSHXYDM", cert_no: organisationDebtor.idNumber, name: organisationDebtor.name });
  });

  it("maps code 40 to a refusal with the regulator's reason", async () => {
    const raw = JSON.stringify({ code: "40", req_no: call.idempotencyKey, msg: "投资人名称不能为空" });
    agency().post(PATH).reply(200, raw);
    expect(await connector.inquire(call, ctx)).toEqual({ kind: "REFUSED", reason: "投资人名称不能为空", raw });
  });

  it.each([
    ["an answer to another request", { ...okReply, req_no: "another" }],
    ["a malformed credit code", { ...okReply, data: [{ ...okReply.data[0], uniscid: "91410225MA45ABC12" }] }],
    ["a share over 100%", { ...okReply, data: [{ ...okReply.data[0], fundedratio: "135.00" }] }],
    ["an unknown restriction", { ...okReply, data: [{ ...okReply.data[0], restrictions: [{ kind: "SEAL", org: "某法院" }] }] }],
    ["an unknown code", { code: "99", req_no: call.idempotencyKey }],
  ])("rejects %s as a protocol error", async (_what, body) => {
    agency().post(PATH).reply(200, JSON.stringify(body));
    expect(await rejection(connector.inquire(call, ctx))).toBeInstanceOf(AgencyProtocolError);
  });

  it("recalls an earlier request through the lookup, and reads a 404 UNKNOWN as never received", async () => {
    agency().get(`/national/api/v2/requests/${call.idempotencyKey}`).reply(200, JSON.stringify(okReply));
    expect(await connector.recall!(call, ctx)).toMatchObject({ kind: "ANSWERED" });
    agency()
      .get(`/national/api/v2/requests/${call.idempotencyKey}`)
      .reply(404, JSON.stringify({ requestId: call.idempotencyKey, status: "UNKNOWN", message: "未收到该请求" }));
    expect(await connector.recall!(call, ctx)).toBeUndefined();
  });
});

describeRegistryControl({
  name: "market regulation",
  connector,
  origin: "http://samr.test",
  path: "/national/api/v2/equity/freezes",
  lookupPath: "/national/api/v2/requests",
  assetField: "uscc",
  assetIdentifier: USCC,
  measureKind: "FREEZE",
});

describe("market regulation connector: what it controls", () => {
  it("is a control connector that freezes equity only", () => {
    expect(canControl(connector)).toBe(true);
    expect(connector.measureKinds).toEqual(["FREEZE"]);
  });

  it.each(["SEAL", "DEDUCT"] as const)("refuses %s on equity before sending anything", async (measureKind) => {
    const error = await rejection(connector.control(controlCall({ measureKind, assetIdentifier: USCC }), ctx));
    expect(error).toBeInstanceOf(AgencyProtocolError);
    expect(error.message).toContain(measureKind);
  });
});
