import { createHmac } from "node:crypto";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { AgencyProtocolError, canControl, TransientAgencyError } from "../../connectors/connector.js";
import { TAX_FALLBACK_POLL_MS, taxConnector as connector } from "../../connectors/tax/connector.js";
import { agencyContext, controlCall, inquiryCall, rejection, useNock } from "./helpers.js";

useNock();
const SECRET = "税务-共享密钥-0001";
const ctx = agencyContext("http://tax.test/national", SECRET);
const call = inquiryCall();
const TICKET = "TX-7F3A91";
const agency = () => nock("http://tax.test");

/** Computed here rather than through the connector's helper, so a wrong algorithm cannot pass. */
const sm3 = (data: string) => createHmac("sm3", SECRET).update(data, "utf8").digest("hex");

const result = {
  registered: true,
  status: "正常",
  authority: "国家税务总局开封市税务局",
  payments: [
    { period: "2024-09", tax_type: "增值税", amount: "1520.00" },
    { period: "2024-08", tax_type: "个人所得税", amount: "86.4" },
  ],
  refunds_due: "3200.00",
  refund_no: "TR4102041234567890",
};
const expectedFindings = () => ({
  assets: [
    {
      type: "OTHER",
      category: "TAX_REFUND",
      identifier: "TR4102041234567890",
      description: "应退税款 3200.00 元（国家税务总局开封市税务局）",
      holder: "国家税务总局开封市税务局",
      estimatedValue: "3200.00",
      encumbrances: [],
    },
  ],
  tax: {
    registered: true,
    taxpayerStatus: "正常",
    taxAuthority: "国家税务总局开封市税务局",
    recentPayments: [
      { period: "2024-09", taxType: "增值税", amount: "1520.00" },
      { period: "2024-08", taxType: "个人所得税", amount: "86.4" },
    ],
    refundsDue: "3200.00",
  },
});
const callback = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ request_id: call.idempotencyKey, ticket: TICKET, result, ...overrides });
const pollTicket = () =>
  agency()
    .get(`/national/gateway/inquiry/${TICKET}`)
    .matchHeader("x-signature", sm3(TICKET))
    .matchHeader("x-request-id", call.idempotencyKey);

describe("tax connector: submission", () => {
  it("signs the exact body with HMAC-SM3, sends the idempotency key, and returns the ticket as PENDING", async () => {
    const raw = JSON.stringify({ accepted: true, ticket: TICKET });
    const scope = agency().post("/national/gateway/inquiry").matchHeader("x-request-id", call.idempotencyKey).reply(202, raw);
    let sentBody = "";
    let sentSignature: unknown;
    scope.on("request", (req: { headers: Record<string, string> }, _interceptor: unknown, body: string) => {
      sentBody = body;
      sentSignature = req.headers["x-signature"];
    });

    const outcome = await connector.inquire(call, ctx);

    expect(outcome).toEqual({ kind: "PENDING", ticket: TICKET, pollAfterMs: TAX_FALLBACK_POLL_MS, raw });
    expect(sentSignature).toBe(sm3(sentBody));
    expect(JSON.parse(sentBody)).toEqual({
      request_id: call.idempotencyKey,
      case_no: call.caseNumber,
      court_code: call.courtCode,
      taxpayer_id: call.debtor.idNumber,
      taxpayer_name: "张三",
      callback_url: "http://hub.test/callbacks/tax",
    });
  });

  it("reports a rejected signature (401) as a protocol error, not a retry", async () => {
    agency().post("/national/gateway/inquiry").reply(401, "bad signature");
    const error = await rejection(connector.inquire(call, ctx));
    expect(error).toBeInstanceOf(AgencyProtocolError);
    expect(error.message).toContain("X-Signature");
    expect(error.raw).toBe("bad signature");
  });

  it.each([
    ["not JSON", "accepted"],
    ["accepted false", JSON.stringify({ accepted: false, ticket: TICKET })],
    ["another agency's ticket", JSON.stringify({ accepted: true, ticket: "VQ-1" })],
  ])("rejects a submission reply with %s", async (_what, raw) => {
    agency().post("/national/gateway/inquiry").reply(202, raw);
    const error = await rejection(connector.inquire(call, ctx));
    expect(error).toBeInstanceOf(AgencyProtocolError);
    expect(error.raw).toBe(raw);
  });

  it("reports 503 as transient", async () => {
    agency().post("/national/gateway/inquiry").reply(503, "busy");
    expect(await rejection(connector.inquire(call, ctx))).toBeInstanceOf(TransientAgencyError);
  });
});

describe("tax connector: callback", () => {
  it("accepts a correctly signed callback and reports the refund as an attachable asset", () => {
    const body = callback();
    const delivery = connector.acceptCallback!(body, { "content-type": "application/json", "x-signature": sm3(body) }, ctx);
    expect(delivery).toEqual({
      idempotencyKey: call.idempotencyKey,
      outcome: { kind: "ANSWERED", findings: expectedFindings(), raw: body },
    });
  });

  it("finds the signature header whatever its case", () => {
    const body = callback();
    expect(connector.acceptCallback!(body, { "X-Signature": sm3(body).toUpperCase() }, ctx).idempotencyKey).toBe(call.idempotencyKey);
  });

  it("reports no asset when no refund is due, and an unregistered taxpayer as an empty answer", () => {
    const body = callback({ result: { registered: false, status: "未登记", payments: [], refunds_due: "0.00" } });
    expect(connector.acceptCallback!(body, { "x-signature": sm3(body) }, ctx).outcome).toEqual({
      kind: "ANSWERED",
      raw: body,
      findings: {
        assets: [],
        tax: { registered: false, taxpayerStatus: "未登记", taxAuthority: undefined, recentPayments: [], refundsDue: "0.00" },
      },
    });
  });

  it.each([
    ["missing", undefined],
    ["over another body", sm3(callback({ ticket: "TX-OTHER" }))],
    ["with another secret", createHmac("sm3", "wrong").update(callback()).digest("hex")],
    ["as SHA-256", createHmac("sha256", SECRET).update(callback()).digest("hex")],
    ["truncated", sm3(callback()).slice(0, 62)],
    ["padded with junk", `${sm3(callback())}zz`],
  ])("rejects a callback with the signature %s", (_what, signature) => {
    const body = callback();
    expect(() => connector.acceptCallback!(body, { "x-signature": signature }, ctx)).toThrow(AgencyProtocolError);
  });

  it("rejects a callback signed with an empty secret when the route has none", () => {
    const body = callback();
    const empty = createHmac("sm3", "").update(body).digest("hex");
    expect(() => connector.acceptCallback!(body, { "x-signature": empty }, { ...ctx, secret: "" })).toThrow(AgencyProtocolError);
  });

  it.each([
    ["not JSON", "{"],
    ["a float refund", callback({ result: { ...result, refunds_due: 3200 } })],
    ["a bad period", callback({ result: { ...result, payments: [{ period: "2024-13", tax_type: "增值税", amount: "1.00" }] } })],
    ["no request id", JSON.stringify({ ticket: TICKET, result })],
    ["a refund due without its refund_no", callback({ result: { ...result, refund_no: undefined } })],
  ])("rejects a correctly signed callback with %s, keeping the raw body", (_what, body) => {
    try {
      connector.acceptCallback!(body, { "x-signature": sm3(body) }, ctx);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AgencyProtocolError);
      expect((error as AgencyProtocolError).raw).toBe(body);
    }
  });
});

describe("tax connector: poll fallback", () => {
  it("signs the ticket, stays pending, then decodes the answer", async () => {
    const pending = JSON.stringify({ state: "PENDING" });
    const done = JSON.stringify({ state: "DONE", request_id: call.idempotencyKey, result });
    pollTicket().reply(200, pending);
    pollTicket().reply(200, done);

    expect(await connector.poll!(TICKET, call, ctx)).toEqual({
      kind: "PENDING",
      ticket: TICKET,
      pollAfterMs: TAX_FALLBACK_POLL_MS,
      raw: pending,
    });
    expect(await connector.poll!(TICKET, call, ctx)).toEqual({ kind: "ANSWERED", findings: expectedFindings(), raw: done });
  });

  it.each([
    ["another request's answer", JSON.stringify({ state: "DONE", request_id: "someone-else", result })],
    ["an unknown state", JSON.stringify({ state: "REFUSED" })],
    ["DONE without a result", JSON.stringify({ state: "DONE", request_id: call.idempotencyKey })],
  ])("rejects a poll reply with %s", async (_what, raw) => {
    pollTicket().reply(200, raw);
    const error = await rejection(connector.poll!(TICKET, call, ctx));
    expect(error).toBeInstanceOf(AgencyProtocolError);
    expect(error.raw).toBe(raw);
  });

  it("reports 503 as transient", async () => {
    pollTicket().reply(503, "");
    expect(await rejection(connector.poll!(TICKET, call, ctx))).toBeInstanceOf(TransientAgencyError);
  });
});

describe("tax connector: recall (GET /gateway/requests/{request_id}, signed)", () => {
  const lookup = () =>
    agency().get(`/national/gateway/requests/${call.idempotencyKey}`).matchHeader("x-signature", sm3(call.idempotencyKey));

  it("gives the ticket the bureau handed out for the request, signed over the request id", async () => {
    const raw = JSON.stringify({ accepted: true, ticket: TICKET });
    lookup().reply(202, raw);
    expect(await connector.recall!(call, ctx)).toEqual({ kind: "PENDING", ticket: TICKET, pollAfterMs: TAX_FALLBACK_POLL_MS, raw });
  });

  it("is undefined when the bureau never received it", async () => {
    lookup().reply(404, JSON.stringify({ accepted: false, request_id: call.idempotencyKey, state: "UNKNOWN", error: "未收到该请求" }));
    expect(await connector.recall!(call, ctx)).toBeUndefined();
  });

  it("treats a refused signature as a protocol error", async () => {
    lookup().reply(401, JSON.stringify({ accepted: false, error: "签名验证失败" }));
    expect(await rejection(connector.recall!(call, ctx))).toBeInstanceOf(AgencyProtocolError);
  });
});

describe("tax connector: freezing a refund due (POST /gateway/refund-freezes, signed)", () => {
  const REFUND = "TR4102041234567890";
  const freeze = controlCall({ measureKind: "FREEZE", assetIdentifier: REFUND, amount: "3200.00" });
  const reply = (body: Record<string, unknown>) => JSON.stringify({ requestId: freeze.idempotencyKey, ...body });

  it("freezes and deducts refunds only, as another property right", () => {
    expect(canControl(connector)).toBe(true);
    expect(connector.measureKinds).toEqual(["FREEZE", "DEDUCT"]);
    expect(connector.assetCategories).toEqual(["OTHER_PROPERTY_RIGHT"]);
  });

  it("signs the exact body with HMAC-SM3, names the refund by refundNo, and maps EFFECTIVE", async () => {
    const raw = reply({
      status: "EFFECTIVE",
      effectiveFrom: "2024-03-01T10:15:30+08:00",
      registrationNo: "应退税款冻结登记(2024)第000001号",
    });
    let sent = "";
    let signature: unknown;
    agency()
      .post("/national/gateway/refund-freezes")
      .matchHeader("idempotency-key", freeze.idempotencyKey)
      .reply(function (_uri, body) {
        // The bureau checks the signature over the bytes it received; re-serialising the parsed JSON gives them back.
        sent = JSON.stringify(body);
        signature = this.req.headers["x-signature"];
        return [200, raw];
      });
    expect(await connector.control(freeze, ctx)).toEqual({
      kind: "EFFECTIVE",
      effectiveFrom: "2024-03-01T10:15:30+08:00",
      reference: "应退税款冻结登记(2024)第000001号",
      raw,
    });
    expect(signature).toBe(sm3(sent));
    expect(JSON.parse(sent)).toMatchObject({ action: "FREEZE", refundNo: REFUND, from: "2024-03-01", to: "2027-02-28" });
  });

  it("maps a freeze queued behind another court's (轮候) with its rank", async () => {
    const raw = reply({ status: "QUEUED", rank: 2 });
    agency().post("/national/gateway/refund-freezes").reply(200, raw);
    expect(await connector.control(freeze, ctx)).toEqual({ kind: "QUEUED", rank: 2, raw });
  });

  it("recalls a freeze through the bureau's signed lookup, and reads UNKNOWN as never received", async () => {
    const lookup = () =>
      agency().get(`/national/gateway/requests/${freeze.idempotencyKey}`).matchHeader("x-signature", sm3(freeze.idempotencyKey));
    const raw = reply({ status: "REJECTED", message: "该纳税人无此应退税款" });
    lookup().reply(200, raw);
    expect(await connector.recallControl!(freeze, ctx)).toEqual({ kind: "REFUSED", reason: "该纳税人无此应退税款", raw });
    lookup().reply(404, JSON.stringify({ accepted: false, request_id: freeze.idempotencyKey, state: "UNKNOWN", error: "未收到该请求" }));
    expect(await connector.recallControl!(freeze, ctx)).toBeUndefined();
  });

  it("sends a deduction with its amount and the freeze it draws on, without a period", async () => {
    let sent: any;
    agency()
      .post("/national/gateway/refund-freezes", (body) => ((sent = body), true))
      .reply(
        200,
        reply({ status: "EFFECTIVE", effectiveFrom: "2024-04-01T09:00:00+08:00", registrationNo: "应退税款划拨登记(2024)第000002号" }),
      );
    const deduct = { ...freeze, measureKind: "DEDUCT" as const, amount: "100.00", measureRef: "5d2c8a7e-1b3f-4e6a-8c9d-0f1e2d3c4b5a" };
    expect(await connector.control(deduct, ctx)).toMatchObject({ kind: "EFFECTIVE", reference: "应退税款划拨登记(2024)第000002号" });
    expect(sent).toMatchObject({ action: "DEDUCT", refundNo: REFUND, amount: "100.00", measureRef: deduct.measureRef });
    expect(sent.from).toBeUndefined();
    expect(sent.to).toBeUndefined();
    const error = await rejection(connector.control({ ...deduct, measureRef: undefined }, ctx));
    expect(error).toBeInstanceOf(AgencyProtocolError);
  });

  it("refuses a seal of a refund before sending anything", async () => {
    const error = await rejection(connector.control({ ...freeze, measureKind: "SEAL" }, ctx));
    expect(error).toBeInstanceOf(AgencyProtocolError);
  });
});
