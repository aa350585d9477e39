import nock from "nock";
import { describe, expect, it } from "vitest";
import { AgencyProtocolError, canControl } from "../../connectors/connector.js";
import { civilAffairsConnector as connector } from "../../connectors/civil-affairs/connector.js";
import { agencyContext, inquiryCall, rejection, useNock } from "./helpers.js";

useNock();
const ctx = agencyContext("http://mzj.test/national");
const agency = () => nock("http://mzj.test");
const call = inquiryCall();
const PATH = "/national/mzhy/query";
const SPOUSE = { po_xm: "李秀英", po_sfzh: "410203198702140025" };

const okReply = {
  fhdm: "0",
  qqbh: call.idempotencyKey,
  jl: [
    { djlx: "离婚", djrq: "2019-06-03", djjg: "开封市龙亭区民政局", ...SPOUSE },
    { djlx: "结婚", djrq: "2011-10-01", djjg: "开封市龙亭区民政局", ...SPOUSE },
  ],
};

describe("civil affairs connector (婚姻登记)", () => {
  it("posts the register's form with the request id, and maps the registrations oldest first", async () => {
    const raw = JSON.stringify(okReply);
    let sent: unknown;
    agency()
      .post(PATH, (body) => ((sent = body), true))
      .matchHeader("x-request-id", call.idempotencyKey)
      .matchHeader("content-type", "application/x-www-form-urlencoded")
      .reply(200, raw);

    const outcome = await connector.inquire(call, ctx);

    expect(sent).toEqual({
      qqbh: call.idempotencyKey,
      ah: "（2024）豫0225执123号",
      fydm: "豫0225",
      xm: "张三",
      sfzh: "41020319850615001X",
      cxyy: "查询被执行人财产",
      cbr: "李法官",
    });
    const spouse = { authority: "开封市龙亭区民政局", spouseName: "李秀英", spouseIdNumber: "410203198702140025" };
    expect(outcome).toEqual({
      kind: "ANSWERED",
      raw,
      findings: {
        assets: [],
        marriages: [
          { kind: "MARRIAGE", registeredOn: "2011-10-01", ...spouse },
          { kind: "DIVORCE", registeredOn: "2019-06-03", ...spouse },
        ],
      },
    });
  });

  it("maps an answer with no registrations to an empty list, and fhdm 1 to a refusal", async () => {
    agency()
      .post(PATH)
      .reply(200, JSON.stringify({ fhdm: "0", qqbh: call.idempotencyKey, jl: [] }));
    expect(await connector.inquire(call, ctx)).toMatchObject({ kind: "ANSWERED", findings: { assets: [], marriages: [] } });
    const raw = JSON.stringify({ fhdm: "1", qqbh: call.idempotencyKey, cwxx: "身份证号码校验失败" });
    agency().post(PATH).reply(200, raw);
    expect(await connector.inquire(call, ctx)).toEqual({ kind: "REFUSED", reason: "身份证号码校验失败", raw });
  });

  it.each([
    ["an answer to another request", { ...okReply, qqbh: "another" }],
    ["an unknown registration type", { ...okReply, jl: [{ ...okReply.jl[0], djlx: "复婚" }] }],
    ["a spouse without a resident ID", { ...okReply, jl: [{ ...okReply.jl[0], po_sfzh: "4102031987" }] }],
    ["a date that is not ISO-8601", { ...okReply, jl: [{ ...okReply.jl[0], djrq: "2019年6月3日" }] }],
  ])("rejects %s as a protocol error", async (_what, body) => {
    agency().post(PATH).reply(200, JSON.stringify(body));
    expect(await rejection(connector.inquire(call, ctx))).toBeInstanceOf(AgencyProtocolError);
  });

  it("recalls an earlier request through the lookup, and reads a 404 UNKNOWN as never received", async () => {
    agency().get(`/national/mzhy/requests/${call.idempotencyKey}`).reply(200, JSON.stringify(okReply));
    expect(await connector.recall!(call, ctx)).toMatchObject({ kind: "ANSWERED" });
    agency()
      .get(`/national/mzhy/requests/${call.idempotencyKey}`)
      .reply(404, JSON.stringify({ requestId: call.idempotencyKey, status: "UNKNOWN", message: "未收到该请求" }));
    expect(await connector.recall!(call, ctx)).toBeUndefined();
  });

  it("carries out no measures: the register holds nothing to freeze", () => {
    expect(canControl(connector)).toBe(false);
  });
});
