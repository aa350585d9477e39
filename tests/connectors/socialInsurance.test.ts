import nock from "nock";
import { describe, expect, it } from "vitest";
import { AgencyProtocolError, canControl } from "../../connectors/connector.js";
import { signHmacSm3 } from "../../connectors/signature.js";
import { socialInsuranceConnector as connector } from "../../connectors/social-insurance/connector.js";
import { agencyContext, controlCall, inquiryCall, rejection, useNock } from "./helpers.js";

useNock();
const SECRET = "si-test-secret";
const ctx = agencyContext("http://hrss.test/national", SECRET);
const agency = () => nock("http://hrss.test");
const call = inquiryCall();
const QUERY = "/national/si/assist/v1/income-query";
const ORDERS = "/national/si/assist/v1/withholding";
const PAYER = "41022512345678";

const okReply = {
  retcode: "0",
  serial_no: call.idempotencyKey,
  records: [
    {
      income_type: "GZ",
      aab001: PAYER,
      aab004: "兰考鑫源商贸有限公司",
      aac040: "6500.00",
      since: "202103",
      orders: [{ court: "杞县人民法院", notice_no: "（2025）豫0221执88号", monthly_amount: "800.00", start_date: "2025-02-01" }],
    },
    { income_type: "YLJ", aab001: "41020000000001", aab004: "开封市社会保险中心", pension: "2310.50", since: "201807", orders: [] },
  ],
};

const withholdCall = controlCall({
  measureKind: "WITHHOLD",
  assetIdentifier: `GZ-${PAYER}`,
  amount: "20000.00",
  monthlyAmount: "2000.00",
  from: "2026-01-01",
  to: "2027-12-31",
  callbackUrl: "http://hub.test/agency-callbacks/SOCIAL_INSURANCE/measures",
});

describe("social insurance connector: income inquiry", () => {
  it("signs the body, keys it by serial number, names the person by aac002/aac003, and maps wages and pensions", async () => {
    const raw = JSON.stringify(okReply);
    const expected = {
      serial_no: call.idempotencyKey,
      case_no: "（2024）豫0225执123号",
      court_code: "豫0225",
      aac002: "41020319850615001X",
      aac003: "张三",
      reason: "查询被执行人财产",
      handler: "李法官",
    };
    agency()
      .post(QUERY, expected)
      .matchHeader("x-serial-no", call.idempotencyKey)
      .matchHeader("x-signature", signHmacSm3(SECRET, JSON.stringify(expected)))
      .reply(200, raw);

    const outcome = await connector.inquire(call, ctx);

    expect(outcome).toMatchObject({
      kind: "ANSWERED",
      raw,
      findings: {
        assets: [
          {
            type: "INCOME",
            identifier: `GZ-${PAYER}`,
            incomeKind: "WAGE",
            payerName: "兰考鑫源商贸有限公司",
            payerCode: PAYER,
            monthlyAmount: "6500.00",
            since: "2021-03",
            encumbrances: [{ type: "WITHHOLDING", byAuthority: "杞县人民法院", amount: "800.00", since: "2025-02-01" }],
          },
          { type: "INCOME", identifier: "YLJ-41020000000001", incomeKind: "PENSION", monthlyAmount: "2310.50", since: "2018-07" },
        ],
      },
    });
  });

  it("passes a refusal on with the agency's reason", async () => {
    agency().post(QUERY).reply(200, { retcode: "1", serial_no: call.idempotencyKey, errmsg: "公民身份号码校验失败" });
    expect(await connector.inquire(call, ctx)).toMatchObject({ kind: "REFUSED", reason: "公民身份号码校验失败" });
  });

  it("rejects an answer to another request, a wage without its base, and a rejected signature", async () => {
    agency()
      .post(QUERY)
      .reply(200, { ...okReply, serial_no: "other" });
    expect(await rejection(connector.inquire(call, ctx))).toBeInstanceOf(AgencyProtocolError);
    agency()
      .post(QUERY)
      .reply(200, { ...okReply, records: [{ ...okReply.records[0], aac040: undefined }] });
    expect((await rejection(connector.inquire(call, ctx))).message).toMatch(/aac040/);
    agency().post(QUERY).reply(401, { retcode: "401", serial_no: null, errmsg: "签名验证失败" });
    expect((await rejection(connector.inquire(call, ctx))).message).toMatch(/X-Signature/);
  });

  it("recalls an earlier request by its serial number, or learns the agency never received it", async () => {
    const path = `/national/si/assist/v1/serial/${call.idempotencyKey}`;
    agency().get(path).matchHeader("x-signature", signHmacSm3(SECRET, call.idempotencyKey)).reply(200, okReply);
    expect(await connector.recall!(call, ctx)).toMatchObject({ kind: "ANSWERED" });
    agency().get(path).reply(404, { retcode: "404", serial_no: call.idempotencyKey, errmsg: "未收到该请求" });
    expect(await connector.recall!(call, ctx)).toBeUndefined();
  });
});

describe("social insurance connector: withholding orders (扣留、提取收入)", () => {
  it("withholds income only", () => {
    expect(canControl(connector)).toBe(true);
    expect(connector.measureKinds).toEqual(["WITHHOLD"]);
    expect(connector.assetCategories).toEqual(["INCOME"]);
  });

  it("registers an order with the payer: monthly amount, total, period; answered in effect with the order number", async () => {
    let sent: Record<string, unknown> = {};
    agency()
      .post(ORDERS, (body) => ((sent = body), true))
      .reply(200, {
        retcode: "0",
        serial_no: withholdCall.idempotencyKey,
        state: "ZX",
        order_no: "KL41022500000001",
        effective_at: "2026-01-05T10:00:00.000+08:00",
      });
    expect(await connector.control(withholdCall, ctx)).toMatchObject({
      kind: "EFFECTIVE",
      reference: "KL41022500000001",
      effectiveFrom: "2026-01-05T10:00:00.000+08:00",
    });
    expect(sent).toMatchObject({
      op: "KL",
      income_type: "GZ",
      aab001: PAYER,
      monthly_amount: "2000.00",
      total_amount: "20000.00",
      start_date: "2026-01-01",
      end_date: "2027-12-31",
      callback_url: "http://hub.test/agency-callbacks/SOCIAL_INSURANCE/measures",
    });
  });

  it("stops an order (解除) by the serial number of the request that made it", async () => {
    const release = {
      ...withholdCall,
      idempotencyKey: "9a8b7c6d-1111-4222-8333-944455556666",
      action: "RELEASE" as const,
      measureRef: withholdCall.idempotencyKey,
    };
    let sent: Record<string, unknown> = {};
    agency()
      .post(ORDERS, (body) => ((sent = body), true))
      .reply(200, { retcode: "0", serial_no: release.idempotencyKey, state: "JC", released_at: "2026-03-01T09:00:00.000+08:00" });
    expect(await connector.control(release, ctx)).toMatchObject({ kind: "RELEASED", releasedAt: "2026-03-01T09:00:00.000+08:00" });
    expect(sent).toMatchObject({ op: "JC", order_serial_no: withholdCall.idempotencyKey });
  });

  it("passes the payer's refusal on, and sends nothing for an order it cannot carry", async () => {
    agency().post(ORDERS).reply(200, { retcode: "1", serial_no: withholdCall.idempotencyKey, errmsg: "每月扣留金额超过可发放收入" });
    expect(await connector.control(withholdCall, ctx)).toMatchObject({ kind: "REFUSED", reason: "每月扣留金额超过可发放收入" });
    for (const bad of [
      { measureKind: "FREEZE" as const },
      { action: "RENEW" as const },
      { assetIdentifier: "豫B12345" },
      { monthlyAmount: undefined },
    ]) {
      expect(await rejection(connector.control({ ...withholdCall, ...bad }, ctx))).toBeInstanceOf(AgencyProtocolError);
    }
  });

  it("reads a signed monthly report as a withholding toward the case, and rejects an unsigned one", () => {
    const body = JSON.stringify({
      msg_type: "MONTHLY_WITHHOLDING",
      order_serial_no: withholdCall.idempotencyKey,
      month: "2026-02",
      amount: "2000.00",
      withheld_on: "2026-02-10",
      transfer_no: "TK20260200000002",
    });
    expect(connector.acceptMeasureReport(body, { "X-Signature": signHmacSm3(SECRET, body) }, ctx)).toEqual({
      event: "WITHHELD",
      measureRef: withholdCall.idempotencyKey,
      month: "2026-02",
      amount: "2000.00",
      withheldOn: "2026-02-10",
      reference: "TK20260200000002",
    });
    expect(() => connector.acceptMeasureReport(body, { "x-signature": signHmacSm3("wrong", body) }, ctx)).toThrow(AgencyProtocolError);
  });
});
