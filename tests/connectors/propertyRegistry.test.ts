import nock from "nock";
import { describe, expect, it } from "vitest";
import { AgencyProtocolError, TransientAgencyError } from "../../connectors/connector.js";
import { propertyRegistryConnector as connector } from "../../connectors/property-registry/connector.js";
import { agencyContext, inquiryCall, organisationDebtor, rejection, useNock } from "./helpers.js";

useNock();
const ctx = agencyContext("http://property.test/national");
const agency = () => nock("http://property.test");
const call = inquiryCall();
const PATH = "/national/v1/property-inquiries";

const okReply = {
  requestId: call.idempotencyKey,
  status: "OK",
  records: [
    {
      certNo: "豫(2021)开封市不动产权第0012345号",
      location: "开封市龙亭区大梁路18号3单元502室",
      area: 89.5,
      use: "住宅",
      share: "单独所有",
      appraisal: "1250000.00",
      encumbrances: [
        {
          type: "MORTGAGE",
          authority: "中国工商银行开封分行",
          docNo: "豫(2021)开封市不动产证明第0004567号",
          since: "2021-06-01",
          rank: 1,
          amount: "600000.00",
        },
        { type: "SEAL", authority: "开封市龙亭区人民法院", docNo: "（2023）豫0202执保45号", since: "2023-05-01", rank: 2 },
      ],
    },
  ],
};

describe("property registry connector", () => {
  it("sends the inquiry with the idempotency key in header and body, and maps the records", async () => {
    const raw = JSON.stringify(okReply);
    let sent: unknown;
    agency()
      .post(PATH, (body) => ((sent = body), true))
      .matchHeader("idempotency-key", call.idempotencyKey)
      .matchHeader("content-type", "application/json")
      .reply(200, raw);

    const outcome = await connector.inquire(call, ctx);

    expect(sent).toEqual({
      requestId: call.idempotencyKey,
      caseNumber: "（2024）豫0225执123号",
      court: "豫0225",
      subject: { type: "PERSON", idNumber: "41020319850615001X", name: "张三" },
      purpose: "查询被执行人财产",
      officer: "李法官",
    });
    expect(outcome).toEqual({
      kind: "ANSWERED",
      raw,
      findings: {
        assets: [
          {
            type: "REAL_ESTATE",
            identifier: "豫(2021)开封市不动产权第0012345号",
            certificateNumber: "豫(2021)开封市不动产权第0012345号",
            description: "住宅，开封市龙亭区大梁路18号3单元502室，89.5平方米",
            address: "开封市龙亭区大梁路18号3单元502室",
            areaSquareMetres: 89.5,
            usage: "住宅",
            ownershipShare: "单独所有",
            estimatedValue: "1250000.00",
            encumbrances: [
              {
                type: "MORTGAGE",
                byAuthority: "中国工商银行开封分行",
                reference: "豫(2021)开封市不动产证明第0004567号",
                since: "2021-06-01",
                rank: 1,
                amount: "600000.00",
              },
              { type: "SEAL", byAuthority: "开封市龙亭区人民法院", reference: "（2023）豫0202执保45号", since: "2023-05-01", rank: 2 },
            ],
          },
        ],
      },
    });
  });

  it("sends organisations as ORG subjects", async () => {
    let sent: { subject?: { type?: string } } = {};
    agency()
      .post(PATH, (body) => ((sent = body), true))
      .reply(200, { requestId: call.idempotencyKey, status: "OK", records: [] });
    await connector.inquire(inquiryCall({ debtor: organisationDebtor }), ctx);
    expect(sent.subject).toEqual({ type: "ORG", idNumber: organisationDebtor.idNumber, name: organisationDebtor.name });
  });

  it("keeps the raw body byte for byte, whitespace and unknown fields included", async () => {
    const raw = `{ "requestId": "${call.idempotencyKey}", "status": "OK", "records": [], "servedBy": "node-7" }\n`;
    agency().post(PATH).reply(200, raw);
    expect(await connector.inquire(call, ctx)).toEqual({ kind: "ANSWERED", findings: { assets: [] }, raw });
  });

  it("treats a rejection as a refusal with the registry's reason", async () => {
    const raw = JSON.stringify({ requestId: call.idempotencyKey, status: "REJECTED", message: "案号与法院不符" });
    agency().post(PATH).reply(200, raw);
    expect(await connector.inquire(call, ctx)).toEqual({ kind: "REFUSED", reason: "案号与法院不符", raw });
  });

  it.each([
    ["not JSON", "<html>busy</html>"],
    ["an unknown status", JSON.stringify({ requestId: call.idempotencyKey, status: "MAYBE" })],
    ["records missing", JSON.stringify({ requestId: call.idempotencyKey, status: "OK" })],
    ["a float appraisal", JSON.stringify({ ...okReply, records: [{ ...okReply.records[0], appraisal: 1250000 }] })],
    ["three-decimal yuan", JSON.stringify({ ...okReply, records: [{ ...okReply.records[0], appraisal: "1.005" }] })],
    [
      "an impossible date",
      JSON.stringify({
        ...okReply,
        records: [{ ...okReply.records[0], encumbrances: [{ type: "SEAL", authority: "x", since: "2023-02-30" }] }],
      }),
    ],
    [
      "an unknown encumbrance type",
      JSON.stringify({ ...okReply, records: [{ ...okReply.records[0], encumbrances: [{ type: "LIEN", authority: "x" }] }] }),
    ],
    ["another request's answer", JSON.stringify({ ...okReply, requestId: "someone-else" })],
  ])("rejects a reply with %s as a protocol error carrying the raw body", async (_what, raw) => {
    agency().post(PATH).reply(200, raw);
    const error = await rejection(connector.inquire(call, ctx));
    expect(error).toBeInstanceOf(AgencyProtocolError);
    expect(error.raw).toBe(raw);
  });

  it("rejects an undocumented 4xx as a protocol error", async () => {
    agency().post(PATH).reply(400, "bad court code");
    const error = await rejection(connector.inquire(call, ctx));
    expect(error).toBeInstanceOf(AgencyProtocolError);
    expect(error.message).toContain("400");
    expect(error.raw).toBe("bad court code");
  });

  it("reports 503 as transient", async () => {
    agency().post(PATH).reply(503, "maintenance");
    const error = await rejection(connector.inquire(call, ctx));
    expect(error).toBeInstanceOf(TransientAgencyError);
    expect(error.raw).toBe("maintenance");
  });

  it("reports a timeout as transient", async () => {
    agency().post(PATH).delay(2_000).reply(200, JSON.stringify(okReply));
    expect(await rejection(connector.inquire(call, ctx))).toBeInstanceOf(TransientAgencyError);
  });
});

describe("property registry connector: recall (GET /v1/requests/{key})", () => {
  const lookup = () => agency().get(`/national/v1/requests/${call.idempotencyKey}`);

  it("reads the registry's stored reply like the original answer", async () => {
    const raw = JSON.stringify(okReply);
    lookup().reply(200, raw);
    const outcome = await connector.recall!(call, ctx);
    expect(outcome).toMatchObject({
      kind: "ANSWERED",
      raw,
      findings: { assets: [{ certificateNumber: "豫(2021)开封市不动产权第0012345号" }] },
    });
  });

  it("is undefined when the registry never received the key (404 UNKNOWN echoing it)", async () => {
    lookup().reply(404, JSON.stringify({ requestId: call.idempotencyKey, status: "UNKNOWN", message: "未收到该请求" }));
    expect(await connector.recall!(call, ctx)).toBeUndefined();
  });

  it("refuses a 404 that is not the registry's UNKNOWN for this key, rather than resending blind", async () => {
    lookup().reply(404, JSON.stringify({ requestId: null, status: "REJECTED", message: "no such endpoint" }));
    expect(await rejection(connector.recall!(call, ctx))).toBeInstanceOf(AgencyProtocolError);
  });

  it("reports a failed lookup as transient", async () => {
    lookup().reply(503, "busy");
    expect((await rejection(connector.recall!(call, ctx))).transient).toBe(true);
  });
});
