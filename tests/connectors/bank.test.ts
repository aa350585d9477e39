import { createHmac } from "node:crypto";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { AgencyProtocolError } from "../../connectors/connector.js";
import { BANK_FALLBACK_POLL_MS, bankConnector as connector } from "../../connectors/bank/connector.js";
import { agencyContext, controlCall, inquiryCall, rejection, useNock } from "./helpers.js";

useNock();
const SECRET = "银行-共享密钥-0001";
const ctx = agencyContext("http://bank.test/national", SECRET);
const TICKET = "BK-20241105-9A3F";
const ACCOUNT = "6222020200112233445";
const agency = () => nock("http://bank.test");

/** Computed here rather than through the connector's helper, so a wrong algorithm cannot pass. */
const sm3 = (data: string) => createHmac("sm3", SECRET).update(data, "utf8").digest("hex");

const inquiry = inquiryCall({ callbackUrl: "http://hub.test/agency-callbacks/BANK" });
const freeze = controlCall({
  measureKind: "FREEZE",
  assetIdentifier: ACCOUNT,
  amount: "30000.00",
  from: "2024-11-05",
  to: "2025-11-05",
  callbackUrl: "http://hub.test/agency-callbacks/BANK/measures",
});
const accounts = [
  {
    accountNo: ACCOUNT,
    bank: "中国工商银行",
    branch: "中国工商银行股份有限公司开封分行",
    currency: "CNY",
    balance: "52000.00",
    frozen: "30000.00",
    freezes: [
      { court: "豫0224", notice: "（2024）豫0224执88号之一", amount: "30000.00", since: "2024-10-01", until: "2025-10-01", rank: 1 },
    ],
  },
];

describe("bank connector: inquiry", () => {
  it(
    "signs the exact body, sends the request id, and returns the ticket PENDING until the callback, " +
      "polling back no sooner than the fallback interval",
    async () => {
      let sent = "";
      const scope = agency()
        .post("/national/ckjk/v1/inquiries", (body) => ((sent = JSON.stringify(body)), true))
        .matchHeader("x-request-id", inquiry.idempotencyKey)
        .reply(function () {
          expect(this.req.headers["x-signature"]).toBe(sm3(sent));
          return [202, { state: "PROCESSING", requestId: inquiry.idempotencyKey, ticket: TICKET, retryAfterMs: 300 }];
        });
      const outcome = await connector.inquire(inquiry, ctx);
      expect(outcome).toMatchObject({ kind: "PENDING", ticket: TICKET, pollAfterMs: BANK_FALLBACK_POLL_MS });
      expect(JSON.parse(sent)).toMatchObject({
        requestId: inquiry.idempotencyKey,
        subject: { type: "PERSON", idNo: inquiry.debtor.idNumber },
        callbackUrl: inquiry.callbackUrl,
      });
      scope.done();
    },
  );

  it(
    "polls by the signed lookup of the request, not by sending it " + "again: DONE carries the accounts as deposit-account assets",
    async () => {
      agency()
        .get(`/national/ckjk/v1/requests/${inquiry.idempotencyKey}`)
        .matchHeader("x-signature", sm3(inquiry.idempotencyKey))
        .reply(200, { state: "DONE", requestId: inquiry.idempotencyKey, ticket: TICKET, result: { status: "DONE", accounts } });
      const outcome = await connector.poll!(TICKET, inquiry, ctx);
      expect(outcome).toMatchObject({
        kind: "ANSWERED",
        findings: {
          assets: [
            {
              type: "DEPOSIT_ACCOUNT",
              identifier: ACCOUNT,
              accountNumber: ACCOUNT,
              balance: "52000.00",
              frozenAmount: "30000.00",
              estimatedValue: "22000.00",
              encumbrances: [
                { type: "FREEZE", byAuthority: "豫0224", reference: "（2024）豫0224执88号之一", since: "2024-10-01", rank: 1 },
              ],
            },
          ],
        },
      });
    },
  );

  it("a poll of a request the bank says it never received is a protocol error, not a resend", async () => {
    agency()
      .get(`/national/ckjk/v1/requests/${inquiry.idempotencyKey}`)
      .reply(404, { state: "UNKNOWN", requestId: inquiry.idempotencyKey, message: "未收到该请求" });
    expect((await rejection(connector.poll!(TICKET, inquiry, ctx))).message).toMatch(/never received/);
  });

  it("accepts a signed callback with the answer and refuses one whose signature does not verify", () => {
    const body = JSON.stringify({
      type: "INQUIRY_RESULT",
      requestId: inquiry.idempotencyKey,
      ticket: TICKET,
      result: { status: "REJECTED", reason: "证件号码校验失败" },
    });
    expect(connector.acceptCallback!(body, { "X-Signature": sm3(body) }, ctx)).toEqual({
      idempotencyKey: inquiry.idempotencyKey,
      outcome: { kind: "REFUSED", reason: "证件号码校验失败", raw: body },
    });
    expect(() => connector.acceptCallback!(body, { "x-signature": sm3(`${body} `) }, ctx)).toThrow(AgencyProtocolError);
  });

  it("a reply to another request, or an unsigned-for 401, is a protocol error", async () => {
    agency()
      .post("/national/ckjk/v1/inquiries")
      .reply(202, { state: "PROCESSING", requestId: "someone-else", ticket: TICKET, retryAfterMs: 0 });
    expect(await rejection(connector.inquire(inquiry, ctx))).toBeInstanceOf(AgencyProtocolError);
    agency().post("/national/ckjk/v1/inquiries").reply(401, { state: "ERROR", message: "签名验证失败" });
    expect((await rejection(connector.inquire(inquiry, ctx))).message).toMatch(/X-Signature/);
  });
});

describe("bank connector: control measures", () => {
  it("sends a freeze with its amount and period, and maps the bank's later answer (FROZEN) to EFFECTIVE", async () => {
    let sent: any;
    agency()
      .post("/national/ckjk/v1/controls", (body) => ((sent = body), true))
      .reply(202, { state: "PROCESSING", requestId: freeze.idempotencyKey, ticket: TICKET, retryAfterMs: 86_400_000 });
    // A 24-hour hint is bounded: the fallback poll comes back within minutes.
    expect(await connector.control(freeze, ctx)).toMatchObject({ kind: "PENDING", ticket: TICKET, pollAfterMs: 5 * 60_000 });
    expect(sent).toMatchObject({
      action: "FREEZE",
      accountNo: ACCOUNT,
      amount: "30000.00",
      from: "2024-11-05",
      to: "2025-11-05",
      callbackUrl: freeze.callbackUrl,
    });
    expect(sent.measureRef).toBeUndefined();

    const body = JSON.stringify({
      type: "CONTROL_RESULT",
      requestId: freeze.idempotencyKey,
      ticket: TICKET,
      result: { status: "FROZEN", freezeNo: "冻20241105000001", effectiveFrom: "2024-11-05T10:00:00.000+08:00", amount: "30000.00" },
    });
    expect(connector.acceptMeasureReport(body, { "x-signature": sm3(body) }, ctx)).toEqual({
      event: "ANSWERED",
      idempotencyKey: freeze.idempotencyKey,
      outcome: { kind: "EFFECTIVE", effectiveFrom: "2024-11-05T10:00:00.000+08:00", reference: "冻20241105000001", raw: body },
    });
  });

  it("a deduction draws on the freeze named by measureRef; DEDUCTED is EFFECTIVE with the transfer number", async () => {
    const deduct = {
      ...freeze,
      idempotencyKey: "d-1",
      measureKind: "DEDUCT" as const,
      amount: "1000.00",
      measureRef: freeze.idempotencyKey,
    };
    let sent: any;
    agency()
      .post("/national/ckjk/v1/controls", (body) => ((sent = body), true))
      .reply(200, {
        state: "DONE",
        requestId: "d-1",
        ticket: TICKET,
        result: {
          status: "DEDUCTED",
          transferNo: "划20241106000002",
          deductedAt: "2024-11-06T09:00:00+08:00",
          amount: "1000.00",
          remainingFrozen: "29000.00",
        },
      });
    expect(await connector.control(deduct, ctx)).toMatchObject({ kind: "EFFECTIVE", reference: "划20241106000002" });
    expect(sent).toMatchObject({ action: "DEDUCT", amount: "1000.00", measureRef: freeze.idempotencyKey });
    expect(sent.from).toBeUndefined();
  });

  it("a queued freeze taking effect later is reported TOOK_EFFECT, signed", () => {
    const body = JSON.stringify({
      type: "TOOK_EFFECT",
      measureRef: freeze.idempotencyKey,
      effectiveFrom: "2025-01-02T09:00:00+08:00",
      freezeNo: "冻20250102000007",
    });
    expect(connector.acceptMeasureReport(body, { "X-Signature": sm3(body) }, ctx)).toEqual({
      event: "TOOK_EFFECT",
      measureRef: freeze.idempotencyKey,
      effectiveFrom: "2025-01-02T09:00:00+08:00",
      reference: "冻20250102000007",
    });
    expect(() => connector.acceptMeasureReport(body, {}, ctx)).toThrow(AgencyProtocolError);
  });

  it("refuses, before sending, what the bank cannot do; and a reply that answers another action", async () => {
    expect(await rejection(connector.control({ ...freeze, measureKind: "SEAL" }, ctx))).toBeInstanceOf(AgencyProtocolError);
    expect(await rejection(connector.control({ ...freeze, amount: undefined }, ctx))).toBeInstanceOf(AgencyProtocolError);
    expect(await rejection(connector.control({ ...freeze, measureKind: "DEDUCT", measureRef: undefined }, ctx))).toBeInstanceOf(
      AgencyProtocolError,
    );
    agency()
      .post("/national/ckjk/v1/controls")
      .reply(200, {
        state: "DONE",
        requestId: freeze.idempotencyKey,
        ticket: TICKET,
        result: { status: "RELEASED", releasedAt: "2024-11-05T10:00:00+08:00" },
      });
    expect((await rejection(connector.control(freeze, ctx))).message).toMatch(/answers FREEZE with RELEASED/);
  });
});

describe("bank connector: recall (GET /ckjk/v1/requests/{requestId}, signed over the id)", () => {
  const lookup = (key: string) => agency().get(`/national/ckjk/v1/requests/${key}`).matchHeader("x-signature", sm3(key));

  it("gives where an inquiry stands: PROCESSING with its ticket", async () => {
    const raw = JSON.stringify({ state: "PROCESSING", requestId: inquiry.idempotencyKey, ticket: TICKET, retryAfterMs: 0 });
    lookup(inquiry.idempotencyKey).reply(200, raw);
    expect(await connector.recall!(inquiry, ctx)).toEqual({ kind: "PENDING", ticket: TICKET, pollAfterMs: BANK_FALLBACK_POLL_MS, raw });
  });

  it("gives the stored answer of a control request, checked against its action", async () => {
    const result = { status: "QUEUED", rank: 2 };
    lookup(freeze.idempotencyKey).reply(200, { state: "DONE", requestId: freeze.idempotencyKey, ticket: TICKET, result });
    expect(await connector.recallControl!(freeze, ctx)).toMatchObject({ kind: "QUEUED", rank: 2 });
    const release = { ...freeze, action: "RELEASE" as const, measureRef: "f-0" };
    lookup(freeze.idempotencyKey).reply(200, { state: "DONE", requestId: freeze.idempotencyKey, ticket: TICKET, result });
    expect((await rejection(connector.recallControl!(release, ctx))).message).toMatch(/answers RELEASE with QUEUED/);
  });

  it("is undefined when the bank never received the request, and only when the 404 names its key", async () => {
    lookup(freeze.idempotencyKey).reply(404, { state: "UNKNOWN", requestId: freeze.idempotencyKey, message: "未收到该请求" });
    expect(await connector.recallControl!(freeze, ctx)).toBeUndefined();
    lookup(inquiry.idempotencyKey).reply(404, { state: "ERROR", message: "no such endpoint" });
    expect(await rejection(connector.recall!(inquiry, ctx))).toBeInstanceOf(AgencyProtocolError);
    lookup(inquiry.idempotencyKey).reply(404, { state: "UNKNOWN", requestId: "someone-else", message: "未收到该请求" });
    expect(await rejection(connector.recall!(inquiry, ctx))).toBeInstanceOf(AgencyProtocolError);
  });

  it("treats a refused signature as a protocol error", async () => {
    lookup(inquiry.idempotencyKey).reply(401, { state: "ERROR", message: "签名验证失败" });
    expect((await rejection(connector.recall!(inquiry, ctx))).message).toMatch(/X-Signature/);
  });
});
