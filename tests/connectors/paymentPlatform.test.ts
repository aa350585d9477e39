import nock from "nock";
import { describe, expect, it } from "vitest";
import { AgencyProtocolError } from "../../connectors/connector.js";
import { paymentPlatformConnector as connector } from "../../connectors/payment-platform/connector.js";
import { notificationSignature, signatureParts } from "../../connectors/payment-platform/wire.js";
import { verifyHmacSm3 } from "../../connectors/signature.js";
import { agencyContext, controlCall, inquiryCall, organisationDebtor, rejection, useNock } from "./helpers.js";

useNock();
const SECRET = "pay-secret";
const ctx = agencyContext("http://pay.test/national", SECRET);
const agency = () => nock("http://pay.test");
const call = inquiryCall();
const ACCOUNT = "2088102146285436";

const freezeCall = controlCall({
  measureKind: "FREEZE",
  assetIdentifier: ACCOUNT,
  amount: "1234.56",
  from: "2024-03-01",
  to: "2025-03-01",
  callbackUrl: "http://hub.test/agency-callbacks/PAYMENT_PLATFORM/measures",
});

/** The Authorization header must sign method, path below the base, ts, nonce and body. */
function signedOver(header: string | undefined, method: string, path: string, body: string): boolean {
  const parts = signatureParts(header);
  return !!parts && verifyHmacSm3(SECRET, `${method}\n${path}\n${parts.ts}\n${parts.nonce}\n${body}`, parts.sig);
}

describe("payment platform connector: balance queries", () => {
  it("signs the request, sends the holder in snake_case, and maps fen to yuan", async () => {
    const raw = JSON.stringify({
      result: "SUCCESS",
      query_id: call.idempotencyKey,
      accounts: [
        {
          account_id: ACCOUNT,
          institution_name: "支付宝（中国）网络技术有限公司",
          balance_fen: 1_250_075,
          frozen_fen: 250_000,
          freezes: [{ court_name: "杞县人民法院", doc_no: "（2024）豫0221执88号", amount_fen: 250_000, start_date: "2024-01-05", rank: 1 }],
        },
      ],
    });
    let sent: unknown;
    let signed = false;
    agency()
      .post("/national/judicial/v3/balance-queries", (body) => ((sent = body), true))
      .reply(function (_uri, body) {
        signed = signedOver(this.req.headers.authorization as string, "POST", "/judicial/v3/balance-queries", JSON.stringify(body));
        return [200, raw];
      });

    const outcome = await connector.inquire(call, ctx);

    expect(signed).toBe(true);
    expect(sent).toEqual({
      query_id: call.idempotencyKey,
      case_no: "（2024）豫0225执123号",
      court_code: "豫0225",
      holder: { id_type: "ID_CARD", id_no: "41020319850615001X", name: "张三" },
      reason: "查询被执行人财产",
      officer: "李法官",
    });
    expect(outcome).toEqual({
      kind: "ANSWERED",
      raw,
      findings: {
        assets: [
          {
            type: "PAYMENT_ACCOUNT",
            identifier: ACCOUNT,
            accountNumber: ACCOUNT,
            institution: "支付宝（中国）网络技术有限公司",
            balance: "12500.75",
            frozenAmount: "2500.00",
            description: expect.stringContaining(ACCOUNT),
            estimatedValue: "10000.75",
            encumbrances: [
              {
                type: "FREEZE",
                byAuthority: "杞县人民法院",
                reference: "（2024）豫0221执88号",
                since: "2024-01-05",
                rank: 1,
                amount: "2500.00",
              },
            ],
          },
        ],
      },
    });
  });

  it("an organisation is named by its credit code; a rejection is the institution's refusal", async () => {
    let sent: { holder?: unknown } = {};
    agency()
      .post("/national/judicial/v3/balance-queries", (body) => ((sent = body), true))
      .reply(200, { result: "REJECTED", query_id: call.idempotencyKey, reject_reason: "holder.name不能为空" });
    expect(await connector.inquire({ ...call, debtor: organisationDebtor }, ctx)).toMatchObject({
      kind: "REFUSED",
      reason: "holder.name不能为空",
    });
    expect(sent.holder).toMatchObject({ id_type: "USCC", id_no: organisationDebtor.idNumber });
  });

  it("amounts that are not whole fen, or an answer to another query, are protocol errors", async () => {
    agency()
      .post("/national/judicial/v3/balance-queries")
      .reply(200, {
        result: "SUCCESS",
        query_id: call.idempotencyKey,
        accounts: [{ account_id: ACCOUNT, institution_name: "x", balance_fen: 1.5, frozen_fen: 0, freezes: [] }],
      });
    expect(await rejection(connector.inquire(call, ctx))).toBeInstanceOf(AgencyProtocolError);
    agency().post("/national/judicial/v3/balance-queries").reply(200, { result: "SUCCESS", query_id: "other", accounts: [] });
    expect((await rejection(connector.inquire(call, ctx))).message).toMatch(/answers query other/);
  });

  it("a 401 names the signature; the lookup answers again or says NOT_FOUND for the id", async () => {
    agency().post("/national/judicial/v3/balance-queries").reply(401, { code: "INVALID_SIGNATURE" });
    expect((await rejection(connector.inquire(call, ctx))).message).toMatch(/Authorization signature/);

    agency()
      .get(`/national/judicial/v3/balance-queries/${call.idempotencyKey}`)
      .reply(200, { result: "SUCCESS", query_id: call.idempotencyKey, accounts: [] });
    expect(await connector.recall!(call, ctx)).toMatchObject({ kind: "ANSWERED", findings: { assets: [] } });
    agency().get(`/national/judicial/v3/balance-queries/${call.idempotencyKey}`).reply(404, { code: "NOT_FOUND", id: call.idempotencyKey });
    expect(await connector.recall!(call, ctx)).toBeUndefined();
    agency().get(`/national/judicial/v3/balance-queries/${call.idempotencyKey}`).reply(404, "no route");
    expect(await rejection(connector.recall!(call, ctx))).toBeInstanceOf(AgencyProtocolError);
  });
});

describe("payment platform connector: judicial orders", () => {
  it("a freeze goes in fen with its period; FROZEN and QUEUED map to EFFECTIVE and QUEUED", async () => {
    let sent: Record<string, unknown> = {};
    agency()
      .post("/national/judicial/v3/orders", (body) => ((sent = body), true))
      .reply(200, {
        order_status: "FROZEN",
        order_id: freezeCall.idempotencyKey,
        freeze_no: "F1",
        effective_time: "2024-03-01T10:00:00+08:00",
      });
    expect(await connector.control(freezeCall, ctx)).toMatchObject({ kind: "EFFECTIVE", reference: "F1" });
    expect(sent).toMatchObject({
      order_type: "FREEZE",
      account_id: ACCOUNT,
      amount_fen: 123_456,
      start_date: "2024-03-01",
      end_date: "2025-03-01",
    });

    agency()
      .post("/national/judicial/v3/orders")
      .reply(200, { order_status: "QUEUED", order_id: freezeCall.idempotencyKey, queue_rank: 3 });
    expect(await connector.control(freezeCall, ctx)).toMatchObject({ kind: "QUEUED", rank: 3 });
  });

  it("deduct, unfreeze and extend carry the freeze's order id, and an answer of the wrong kind is refused", async () => {
    const deduct = controlCall({
      ...freezeCall,
      idempotencyKey: "d-1",
      measureKind: "DEDUCT",
      amount: "100.00",
      measureRef: freezeCall.idempotencyKey,
    });
    let sent: Record<string, unknown> = {};
    agency()
      .post("/national/judicial/v3/orders", (body) => ((sent = body), true))
      .reply(200, {
        order_status: "DEDUCTED",
        order_id: "d-1",
        transfer_no: "T1",
        transfer_time: "2024-04-01T09:00:00+08:00",
        amount_fen: 10_000,
      });
    expect(await connector.control(deduct, ctx)).toMatchObject({ kind: "EFFECTIVE", reference: "T1" });
    expect(sent).toMatchObject({ order_type: "DEDUCT", amount_fen: 10_000, target_order_id: freezeCall.idempotencyKey });

    const release = controlCall({ ...freezeCall, idempotencyKey: "r-1", action: "RELEASE", measureRef: freezeCall.idempotencyKey });
    agency()
      .post("/national/judicial/v3/orders")
      .reply(200, { order_status: "UNFROZEN", order_id: "r-1", unfrozen_time: "2024-05-01T09:00:00+08:00" });
    expect(await connector.control(release, ctx)).toMatchObject({ kind: "RELEASED" });

    const renew = controlCall({
      ...freezeCall,
      idempotencyKey: "n-1",
      action: "RENEW",
      to: "2026-02-28",
      measureRef: freezeCall.idempotencyKey,
    });
    agency()
      .post("/national/judicial/v3/orders")
      .reply(200, { order_status: "FROZEN", order_id: "n-1", freeze_no: "F2", effective_time: "2024-05-01T09:00:00+08:00" });
    expect((await rejection(connector.control(renew, ctx))).message).toMatch(/answers EXTEND with FROZEN/);
  });

  it("recallControl reads the order again, or says it was never received", async () => {
    agency()
      .get(`/national/judicial/v3/orders/${freezeCall.idempotencyKey}`)
      .reply(200, { order_status: "REJECTED", order_id: freezeCall.idempotencyKey, reject_reason: "ACCOUNT_NOT_OWNED_BY_HOLDER" });
    expect(await connector.recallControl!(freezeCall, ctx)).toMatchObject({ kind: "REFUSED", reason: "ACCOUNT_NOT_OWNED_BY_HOLDER" });
    agency()
      .get(`/national/judicial/v3/orders/${freezeCall.idempotencyKey}`)
      .reply(404, { code: "NOT_FOUND", id: freezeCall.idempotencyKey });
    expect(await connector.recallControl!(freezeCall, ctx)).toBeUndefined();
  });

  it("a queued freeze taking effect is notified with X-Pay-Signature; a forged one is refused", () => {
    const body = JSON.stringify({
      event_type: "FREEZE.EFFECTIVE",
      order_id: "f-1",
      freeze_no: "F9",
      effective_time: "2024-06-01T08:00:00+08:00",
    });
    expect(connector.acceptMeasureReport(body, { "X-Pay-Signature": notificationSignature(SECRET, body) }, ctx)).toEqual({
      event: "TOOK_EFFECT",
      measureRef: "f-1",
      effectiveFrom: "2024-06-01T08:00:00+08:00",
      reference: "F9",
    });
    expect(() => connector.acceptMeasureReport(body, { "x-pay-signature": notificationSignature("forged", body) }, ctx)).toThrow(
      AgencyProtocolError,
    );
    expect(() => connector.acceptMeasureReport(body, {}, ctx)).toThrow(AgencyProtocolError);
  });

  it("a seal is refused before anything is sent", async () => {
    expect(await rejection(connector.control(controlCall({ measureKind: "SEAL" }), ctx))).toBeInstanceOf(AgencyProtocolError);
  });
});
