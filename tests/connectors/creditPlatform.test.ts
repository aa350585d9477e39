import nock from "nock";
import { describe, expect, it } from "vitest";
import { AgencyProtocolError, TransientAgencyError } from "../../connectors/connector.js";
import { creditPlatformConnector as connector } from "../../connectors/credit-platform/connector.js";
import { agencyContext, inquiryCall, rejection, useNock } from "./helpers.js";

useNock();
const ctx = agencyContext("http://credit.test/national");
const call = inquiryCall();
const ID = call.debtor.idNumber;
const request = () =>
  nock("http://credit.test")
    .get(`/national/credit/v2/subjects/${ID}/sanctions`)
    .query({ requestId: call.idempotencyKey, case: call.caseNumber })
    .matchHeader("idempotency-key", call.idempotencyKey);

const answer = (sanctions: unknown[], subject = ID) => JSON.stringify({ code: 0, data: { subject, sanctions } });

describe("credit platform connector", () => {
  it("queries by ID number with the idempotency key and maps the sanctions", async () => {
    const raw = answer([
      {
        listType: "DISHONEST_DEBTOR",
        authority: "开封市中级人民法院",
        docNo: "（2023）豫02执12号",
        since: "2023-07-01",
        until: "2025-07-01",
      },
      { listType: "CONSUMPTION_RESTRICTION", authority: "兰考县人民法院", docNo: "（2024）豫0225执123号", since: "2024-02-10" },
    ]);
    request().reply(200, raw);

    expect(await connector.inquire(call, ctx)).toEqual({
      kind: "ANSWERED",
      raw,
      findings: {
        assets: [],
        credit: {
          sanctions: [
            {
              list: "DISHONEST_DEBTOR",
              authority: "开封市中级人民法院",
              reference: "（2023）豫02执12号",
              since: "2023-07-01",
              until: "2025-07-01",
            },
            {
              list: "CONSUMPTION_RESTRICTION",
              authority: "兰考县人民法院",
              reference: "（2024）豫0225执123号",
              since: "2024-02-10",
              until: undefined,
            },
          ],
        },
      },
    });
  });

  it("answers with an empty sanctions list", async () => {
    const raw = answer([]);
    request().reply(200, raw);
    expect(await connector.inquire(call, ctx)).toEqual({ kind: "ANSWERED", findings: { assets: [], credit: { sanctions: [] } }, raw });
  });

  it("treats code 4001 as a refusal", async () => {
    const raw = JSON.stringify({ code: 4001, msg: "无权查询该主体" });
    request().reply(200, raw);
    expect(await connector.inquire(call, ctx)).toEqual({ kind: "REFUSED", reason: "无权查询该主体", raw });
  });

  it.each([
    ["not JSON", '{"code":0,'],
    ["an undocumented code", JSON.stringify({ code: 5000, msg: "系统错误" })],
    ["code as a string", JSON.stringify({ code: "0", data: { subject: ID, sanctions: [] } })],
    ["an unknown list", answer([{ listType: "WATCHLIST", authority: "x", docNo: "y", since: "2024-01-01" }])],
    ["a missing since", answer([{ listType: "TAX_BLACKLIST", authority: "x", docNo: "y" }])],
    ["another subject", answer([], "410203199001010011")],
  ])("rejects a reply with %s as a protocol error carrying the raw body", async (_what, raw) => {
    request().reply(200, raw);
    const error = await rejection(connector.inquire(call, ctx));
    expect(error).toBeInstanceOf(AgencyProtocolError);
    expect(error.raw).toBe(raw);
  });

  it("reports 503 as transient", async () => {
    request().reply(503, "");
    expect(await rejection(connector.inquire(call, ctx))).toBeInstanceOf(TransientAgencyError);
  });
});

describe("credit platform connector: recall (GET /credit/v2/requests/{requestId})", () => {
  const lookup = () => nock("http://credit.test").get(`/national/credit/v2/requests/${call.idempotencyKey}`);

  it("reads the platform's stored answer like the original", async () => {
    const raw = answer([]);
    lookup().reply(200, raw);
    expect(await connector.recall!(call, ctx)).toEqual({ kind: "ANSWERED", raw, findings: { assets: [], credit: { sanctions: [] } } });
  });

  it("is undefined on 404 with code 4004 for this request id", async () => {
    lookup().reply(404, JSON.stringify({ code: 4004, requestId: call.idempotencyKey, msg: "未收到该请求" }));
    expect(await connector.recall!(call, ctx)).toBeUndefined();
  });

  it("refuses a 404 naming another request", async () => {
    lookup().reply(404, JSON.stringify({ code: 4004, requestId: "another", msg: "未收到该请求" }));
    expect(await rejection(connector.recall!(call, ctx))).toBeInstanceOf(AgencyProtocolError);
  });
});
