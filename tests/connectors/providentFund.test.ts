import nock from "nock";
import { describe, expect, it } from "vitest";
import { AgencyProtocolError } from "../../connectors/connector.js";
import { providentFundConnector as connector } from "../../connectors/provident-fund/connector.js";
import { signHmacSm3, verifyHmacSm3 } from "../../connectors/signature.js";
import { agencyContext, controlCall, inquiryCall, rejection, useNock } from "./helpers.js";

useNock();
const SECRET = "gjj-secret";
const ctx = agencyContext("http://gjj.test/national", SECRET);
const PATH = "/national/gjj/xzzx/service";
const call = inquiryCall();
const ACCOUNT = "410200123456";

const freezeCall = controlCall({
  measureKind: "FREEZE",
  assetIdentifier: ACCOUNT,
  amount: "30000.00",
  from: "2024-03-01",
  to: "2025-03-01",
  callbackUrl: "http://hub.test/agency-callbacks/PROVIDENT_FUND/measures",
});

/** The centre's reply envelope to `reqno`, for transaction `txcode`. */
function envelope(txcode: string, reqno: string, retcode: string, body?: object) {
  return JSON.stringify({ head: { txcode, reqno, retcode, retmsg: retcode === "0000" ? "成功" : "不予办理" }, ...(body && { body }) });
}

/** Intercepts one exchange, keeping the envelope sent and checking its MAC. */
function expectExchange(reply: string) {
  const sent: { envelope?: { head: Record<string, unknown>; body: Record<string, unknown> }; mac?: string; raw?: string } = {};
  nock("http://gjj.test")
    .post(PATH, (body) => ((sent.envelope = body), true))
    .reply(function (_uri, body) {
      sent.raw = typeof body === "string" ? body : JSON.stringify(body);
      sent.mac = this.req.headers["x-gjj-mac"] as string;
      return [200, reply];
    });
  return sent;
}

describe("provident fund connector: inquiry (GJJ1001)", () => {
  it("sends a MACed envelope with the transaction and request number, and maps accounts with their withdrawal ground", async () => {
    const raw = envelope("GJJ1001", call.idempotencyKey, "0000", {
      zhlist: [
        {
          grzh: ACCOUNT,
          zxmc: "开封市住房公积金管理中心",
          zhye: "86400.00",
          yjce: "0.00",
          zhzt: "02",
          tqqx: "02",
          djje: "10000.00",
          djlist: [{ fymc: "杞县人民法院", wh: "（2024）豫0221执88号", je: "10000.00", qsrq: "2024-01-05", zzrq: "2025-01-04", xh: 1 }],
        },
      ],
    });
    const sent = expectExchange(raw);

    const outcome = await connector.inquire(call, ctx);

    expect(sent.envelope?.head).toMatchObject({ txcode: "GJJ1001", reqno: call.idempotencyKey, fydm: "豫0225" });
    expect(sent.envelope?.body).toEqual({
      zjlx: "01",
      zjhm: "41020319850615001X",
      xm: "张三",
      ah: "（2024）豫0225执123号",
      cxyy: "查询被执行人财产",
      cbr: "李法官",
    });
    expect(verifyHmacSm3(SECRET, sent.raw!, sent.mac)).toBe(true);
    expect(outcome).toEqual({
      kind: "ANSWERED",
      raw,
      findings: {
        assets: [
          {
            type: "PROVIDENT_FUND_ACCOUNT",
            identifier: ACCOUNT,
            accountNumber: ACCOUNT,
            centre: "开封市住房公积金管理中心",
            balance: "86400.00",
            monthlyContribution: "0.00",
            status: "SUSPENDED",
            withdrawalGround: "RETIREMENT",
            frozenAmount: "10000.00",
            description: expect.stringContaining(ACCOUNT),
            estimatedValue: "76400.00",
            encumbrances: [
              { type: "FREEZE", byAuthority: "杞县人民法院", reference: "（2024）豫0221执88号", since: "2024-01-05", rank: 1 },
            ],
          },
        ],
      },
    });
  });

  it("a 1xxx retcode is the centre's refusal, in its words", async () => {
    expectExchange(envelope("GJJ1001", call.idempotencyKey, "1001", undefined));
    expect(await connector.inquire(call, ctx)).toMatchObject({ kind: "REFUSED", reason: "不予办理" });
  });

  it("a reply to another request or another transaction, or with an unknown retcode, is a protocol error", async () => {
    expectExchange(envelope("GJJ1001", "someone-else", "0000", { zhlist: [] }));
    expect((await rejection(connector.inquire(call, ctx))).message).toMatch(/answers request someone-else/);
    expectExchange(envelope("GJJ2001", call.idempotencyKey, "0000", { zhlist: [] }));
    expect((await rejection(connector.inquire(call, ctx))).message).toMatch(/answers GJJ1001 with GJJ2001/);
    expectExchange(envelope("GJJ1001", call.idempotencyKey, "9999"));
    expect(await rejection(connector.inquire(call, ctx))).toBeInstanceOf(AgencyProtocolError);
  });

  it("GJJ9001 replays the answer to the key, or says 9404 for a key never received", async () => {
    const raw = envelope("GJJ1001", call.idempotencyKey, "0000", { zhlist: [] });
    const sent = expectExchange(raw);
    expect(await connector.recall!(call, ctx)).toEqual({ kind: "ANSWERED", raw, findings: { assets: [] } });
    expect(sent.envelope).toMatchObject({ head: { txcode: "GJJ9001", reqno: call.idempotencyKey }, body: { yqqqh: call.idempotencyKey } });

    expectExchange(envelope("GJJ9001", call.idempotencyKey, "9404"));
    expect(await connector.recall!(call, ctx)).toBeUndefined();
  });
});

describe("provident fund connector: freeze, deduct, release, renew (GJJ2001-2004)", () => {
  it("a freeze in effect and a queued one", async () => {
    const sent = expectExchange(
      envelope("GJJ2001", freezeCall.idempotencyKey, "0000", {
        zt: "SX",
        djbh: "冻20240301000001",
        sxsj: "2024-03-01T10:00:00+08:00",
        je: "30000.00",
      }),
    );
    expect(await connector.control(freezeCall, ctx)).toMatchObject({ kind: "EFFECTIVE", reference: "冻20240301000001" });
    expect(sent.envelope?.body).toMatchObject({
      grzh: ACCOUNT,
      je: "30000.00",
      qsrq: "2024-03-01",
      zzrq: "2025-03-01",
      spry: ["张三", "李四", "王五"],
    });
    expect(sent.envelope?.body.ydjqqh).toBeUndefined();

    expectExchange(envelope("GJJ2001", freezeCall.idempotencyKey, "0000", { zt: "LH", lhxh: 2 }));
    expect(await connector.control(freezeCall, ctx)).toMatchObject({ kind: "QUEUED", rank: 2 });
  });

  it("a deduction names the freeze it draws on; release and renewal map to their answers", async () => {
    const deduct = controlCall({
      ...freezeCall,
      idempotencyKey: "d-1",
      measureKind: "DEDUCT",
      amount: "5000.00",
      measureRef: freezeCall.idempotencyKey,
    });
    const sent = expectExchange(
      envelope("GJJ2002", "d-1", "0000", { khbh: "划20240401000002", khsj: "2024-04-01T09:00:00+08:00", je: "5000.00", syje: "25000.00" }),
    );
    expect(await connector.control(deduct, ctx)).toMatchObject({ kind: "EFFECTIVE", reference: "划20240401000002" });
    expect(sent.envelope?.body).toMatchObject({ je: "5000.00", ydjqqh: freezeCall.idempotencyKey });

    const release = controlCall({ ...freezeCall, idempotencyKey: "r-1", action: "RELEASE", measureRef: freezeCall.idempotencyKey });
    expectExchange(envelope("GJJ2003", "r-1", "0000", { jdsj: "2024-05-01T09:00:00+08:00" }));
    expect(await connector.control(release, ctx)).toMatchObject({ kind: "RELEASED", releasedAt: "2024-05-01T09:00:00+08:00" });

    const renew = controlCall({
      ...freezeCall,
      idempotencyKey: "n-1",
      action: "RENEW",
      to: "2026-02-28",
      measureRef: freezeCall.idempotencyKey,
    });
    expectExchange(envelope("GJJ2004", "n-1", "0000", { zzrq: "2026-02-28" }));
    expect(await connector.control(renew, ctx)).toMatchObject({ kind: "RENEWED", to: "2026-02-28" });
  });

  it("the centre's refusal of a deduction without a withdrawal ground comes back as REFUSED", async () => {
    const deduct = controlCall({
      ...freezeCall,
      idempotencyKey: "d-2",
      measureKind: "DEDUCT",
      amount: "5000.00",
      measureRef: freezeCall.idempotencyKey,
    });
    expectExchange(envelope("GJJ2002", "d-2", "1003"));
    expect(await connector.control(deduct, ctx)).toMatchObject({ kind: "REFUSED" });
  });

  it("what the protocol cannot carry is refused before anything is sent", async () => {
    expect(await rejection(connector.control(controlCall({ measureKind: "SEAL" }), ctx))).toBeInstanceOf(AgencyProtocolError);
    const release = controlCall({ ...freezeCall, measureKind: "DEDUCT", action: "RELEASE", measureRef: "x" });
    expect((await rejection(connector.control(release, ctx))).message).toMatch(/done once and final/);
  });

  it("a queued freeze taking effect arrives as a MACed GJJ3001 envelope; a bad MAC is refused", () => {
    const body = JSON.stringify({ head: { txcode: "GJJ3001", reqno: "f-1" }, body: { djbh: "冻1", sxsj: "2024-06-01T08:00:00+08:00" } });
    expect(connector.acceptMeasureReport(body, { "X-Gjj-Mac": signHmacSm3(SECRET, body) }, ctx)).toEqual({
      event: "TOOK_EFFECT",
      measureRef: "f-1",
      effectiveFrom: "2024-06-01T08:00:00+08:00",
      reference: "冻1",
    });
    expect(() => connector.acceptMeasureReport(body, { "x-gjj-mac": signHmacSm3("other", body) }, ctx)).toThrow(AgencyProtocolError);
  });
});
