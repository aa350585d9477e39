import nock from "nock";
import { describe, expect, it } from "vitest";
import { AgencyProtocolError, canControl } from "../../connectors/connector.js";
import { ACCOUNTS_PER_PAGE, securitiesDepositoryConnector as connector } from "../../connectors/securities-depository/connector.js";
import { agencyContext, controlCall, inquiryCall, rejection, useNock } from "./helpers.js";
import { SECRET, sm3 } from "./registryControlSuite.js";

useNock();
const ctx = agencyContext("http://csdc.test/national", SECRET);
const agency = () => nock("http://csdc.test");
const GATEWAY = "/national/csdc/v3/gateway";
const call = inquiryCall();
const KEY = call.idempotencyKey;

/** An envelope signed as the depository signs it, computed here rather than through the connector's code. */
function envelope(service: string, msgId: string, data: unknown, secret = SECRET): string {
  const text = JSON.stringify(data);
  return JSON.stringify({ version: "3.0", service, msgId, data: text, sign: sm3(`${service}|${msgId}|${text}`, secret) });
}

/** What the hub sent: the envelope, its sign checked, and its data parsed. */
function opened(body: any): { service: string; msgId: string; data: any } {
  expect(body.version).toBe("3.0");
  expect(body.sign).toBe(sm3(`${body.service}|${body.msgId}|${body.data}`));
  return { service: body.service, msgId: body.msgId, data: JSON.parse(body.data) };
}

const stock = {
  secCode: "600036",
  secName: "招商银行",
  secType: "STOCK",
  qty: "1200",
  price: "35.20",
  priceDate: "2024-03-01",
  mktValue: "42240.00",
  restrictions: [{ type: "FREEZE", org: "杞县人民法院", docNo: "（2024）豫0221执88号", since: "2024-01-05", rank: 1 }],
};
const fund = {
  secCode: "110022",
  secName: "易方达消费行业股票",
  secType: "FUND",
  qty: "35000.25",
  price: "3.5012",
  priceDate: "2024-03-01",
  mktValue: "122542.88",
  restrictions: [],
};
const shAccount = { acctNo: "A123456789", market: "SH", custodian: "中原证券股份有限公司开封市中山路证券营业部", positions: [stock] };
const fundAccount = { acctNo: "F12345678901", market: "OF", custodian: "易方达基金管理有限公司", positions: [fund] };

describe("securities depository connector: holdings inquiry (HOLDING_QUERY, HOLDING_PAGE)", () => {
  it("sends a signed HOLDING_QUERY envelope and maps shares and fund shares by account and code", async () => {
    const raw = envelope("HOLDING_QUERY", KEY, { retCode: "0000", msgId: KEY, accounts: [shAccount, fundAccount] });
    let sent: any;
    agency()
      .post(GATEWAY, (body) => ((sent = opened(body)), true))
      .reply(200, raw);

    const outcome = await connector.inquire(call, ctx);

    expect(sent).toEqual({
      service: "HOLDING_QUERY",
      msgId: KEY,
      data: {
        msgId: KEY,
        caseNo: "（2024）豫0225执123号",
        courtCode: "豫0225",
        holder: { idType: "01", idNo: "41020319850615001X", name: "张三" },
        reason: "查询被执行人财产",
        handler: "李法官",
        pageSize: ACCOUNTS_PER_PAGE,
      },
    });
    expect(outcome).toMatchObject({ kind: "ANSWERED", raw });
    const assets = outcome.kind === "ANSWERED" ? outcome.findings.assets : [];
    expect(assets).toEqual([
      {
        type: "SECURITIES",
        identifier: "A123456789/600036",
        accountNumber: "A123456789",
        market: "SH",
        custodian: "中原证券股份有限公司开封市中山路证券营业部",
        securityCode: "600036",
        securityName: "招商银行",
        securityKind: "STOCK",
        quantity: "1200",
        unitPrice: "35.20",
        pricedOn: "2024-03-01",
        marketValue: "42240.00",
        description: "A123456789 招商银行（600036）股票 1200 股，2024-03-01 收盘价 35.20 元，市值 42240.00 元",
        estimatedValue: "42240.00",
        encumbrances: [{ type: "FREEZE", byAuthority: "杞县人民法院", reference: "（2024）豫0221执88号", since: "2024-01-05", rank: 1 }],
      },
      expect.objectContaining({
        identifier: "F12345678901/110022",
        securityKind: "FUND",
        quantity: "35000.25",
        unitPrice: "3.5012",
        estimatedValue: "122542.88",
        description: "F12345678901 易方达消费行业股票（110022）基金份额 35000.25 份，2024-03-01 净值 3.5012 元，市值 122542.88 元",
      }),
    ]);
  });

  it("names an organisation by its credit code (证件类型 51)", async () => {
    let sent: any;
    agency()
      .post(GATEWAY, (body) => ((sent = opened(body)), true))
      .reply(200, envelope("HOLDING_QUERY", KEY, { retCode: "0000", msgId: KEY, accounts: [] }));
    const debtor = { kind: "ORGANISATION", idNumber: "91410200MA9F1234X5", name: "开封某某商贸有限公司" } as const;
    expect(await connector.inquire({ ...call, debtor }, ctx)).toMatchObject({ kind: "ANSWERED", findings: { assets: [] } });
    expect(sent.data.holder).toEqual({ idType: "51", idNo: debtor.idNumber, name: debtor.name });
  });

  it("pages on after the last account of each page until none follows; the raw answer is the pages in order", async () => {
    const second = { ...shAccount, acctNo: "A223456789" };
    const first = envelope("HOLDING_QUERY", KEY, { retCode: "0000", msgId: KEY, accounts: [shAccount], nextAfter: "A123456789" });
    const next = envelope("HOLDING_PAGE", KEY, { retCode: "0000", msgId: KEY, accounts: [second, fundAccount] });
    let page: any;
    agency().post(GATEWAY).reply(200, first);
    agency()
      .post(GATEWAY, (body) => ((page = opened(body)), true))
      .reply(200, next);

    const outcome = await connector.inquire(call, ctx);

    expect(page).toEqual({
      service: "HOLDING_PAGE",
      msgId: KEY,
      data: { queryMsgId: KEY, afterAccount: "A123456789", pageSize: ACCOUNTS_PER_PAGE },
    });
    expect(outcome.raw).toBe(`[${first},${next}]`);
    expect(outcome.kind === "ANSWERED" && outcome.findings.assets.map((a) => a.identifier)).toEqual([
      "A123456789/600036",
      "A223456789/600036",
      "F12345678901/110022",
    ]);
  });

  it("refuses a page that goes back, or pages on from another account than its last", async () => {
    agency()
      .post(GATEWAY)
      .reply(200, envelope("HOLDING_QUERY", KEY, { retCode: "0000", msgId: KEY, accounts: [fundAccount], nextAfter: "F12345678901" }));
    agency()
      .post(GATEWAY)
      .reply(200, envelope("HOLDING_PAGE", KEY, { retCode: "0000", msgId: KEY, accounts: [shAccount] }));
    expect((await rejection(connector.inquire(call, ctx))).message).toMatch(/out of order/);

    agency()
      .post(GATEWAY)
      .reply(200, envelope("HOLDING_QUERY", KEY, { retCode: "0000", msgId: KEY, accounts: [shAccount], nextAfter: "A000000001" }));
    expect((await rejection(connector.inquire(call, ctx))).message).toMatch(/not its last account/);
  });

  it("maps retCode 2001 to REFUSED with the depository's reason", async () => {
    const raw = envelope("HOLDING_QUERY", KEY, { retCode: "2001", msgId: KEY, retMsg: "证件号码校验失败" });
    agency().post(GATEWAY).reply(200, raw);
    expect(await connector.inquire(call, ctx)).toEqual({ kind: "REFUSED", reason: "证件号码校验失败", raw });
  });

  it("rejects a reply whose sign does not verify, one for another message, and one for another service", async () => {
    const forged = envelope("HOLDING_QUERY", KEY, { retCode: "0000", msgId: KEY, accounts: [shAccount] }, "another-secret");
    agency().post(GATEWAY).reply(200, forged);
    const error = await rejection(connector.inquire(call, ctx));
    expect(error).toBeInstanceOf(AgencyProtocolError);
    expect(error.message).toMatch(/sign does not verify/);
    expect(error.raw).toBe(forged);

    agency()
      .post(GATEWAY)
      .reply(200, envelope("HOLDING_QUERY", "another-key", { retCode: "0000", msgId: "another-key", accounts: [] }));
    expect((await rejection(connector.inquire(call, ctx))).message).toMatch(/answers message another-key/);

    agency()
      .post(GATEWAY)
      .reply(200, envelope("FREEZE", KEY, { retCode: "0000", msgId: KEY, accounts: [] }));
    expect((await rejection(connector.inquire(call, ctx))).message).toMatch(/answers FREEZE, not HOLDING_QUERY/);
  });

  it("says the shared secret is wrong when the depository answers 401", async () => {
    agency()
      .post(GATEWAY)
      .reply(401, JSON.stringify({ retCode: "9401", retMsg: "验签失败" }));
    const error = await rejection(connector.inquire(call, ctx));
    expect(error).toBeInstanceOf(AgencyProtocolError);
    expect(error.message).toMatch(/shared secret/);
  });

  it("recalls a query by MSG_STATUS: the answer it gave, or undefined when it never received it", async () => {
    let asked: any;
    agency()
      .post(GATEWAY, (body) => ((asked = opened(body)), true))
      .reply(200, envelope("MSG_STATUS", KEY, { retCode: "1404", msgId: KEY, retMsg: "未收到该报文" }));
    expect(await connector.recall!(call, ctx)).toBeUndefined();
    expect(asked).toEqual({ service: "MSG_STATUS", msgId: KEY, data: { msgId: KEY } });

    agency()
      .post(GATEWAY)
      .reply(200, envelope("HOLDING_QUERY", KEY, { retCode: "0000", msgId: KEY, accounts: [shAccount] }));
    expect(await connector.recall!(call, ctx)).toMatchObject({
      kind: "ANSWERED",
      findings: { assets: [{ identifier: "A123456789/600036" }] },
    });
  });

  it("takes a MSG_STATUS that names another message for no answer at all", async () => {
    agency()
      .post(GATEWAY)
      .reply(200, envelope("MSG_STATUS", KEY, { retCode: "1404", msgId: "another-key" }));
    expect(await rejection(connector.recall!(call, ctx))).toBeInstanceOf(AgencyProtocolError);
  });
});

describe("securities depository connector: freeze, deduct, release, renew a position", () => {
  const FREEZE_REF = "5d2c8a7e-1b3f-4e6a-8c9d-0f1e2d3c4b5a";
  const freeze = controlCall({
    measureKind: "FREEZE",
    assetIdentifier: "A123456789/600036",
    from: "2024-03-01",
    to: "2027-02-28",
    callbackUrl: "http://hub.test/agency-callbacks/SECURITIES_DEPOSITORY/measures",
  });
  const CONTROL_KEY = freeze.idempotencyKey;
  const answer = (service: string, data: Record<string, unknown>) =>
    envelope(service, CONTROL_KEY, { retCode: "0000", msgId: CONTROL_KEY, ...data });

  it("freezes and deducts other property rights", () => {
    expect(canControl(connector)).toBe(true);
    expect(connector.measureKinds).toEqual(["FREEZE", "DEDUCT"]);
    expect(connector.assetCategories).toEqual(["OTHER_PROPERTY_RIGHT"]);
  });

  it("sends FREEZE by account and security code with the period; FROZEN is in effect, WAITING queued", async () => {
    let sent: any;
    agency()
      .post(GATEWAY, (body) => ((sent = opened(body)), true))
      .reply(
        200,
        answer("FREEZE", { result: "FROZEN", freezeNo: "证券冻结登记(2024)第000001号", effectiveAt: "2024-03-01T10:00:00+08:00" }),
      );
    expect(await connector.control(freeze, ctx)).toMatchObject({
      kind: "EFFECTIVE",
      reference: "证券冻结登记(2024)第000001号",
      effectiveFrom: "2024-03-01T10:00:00+08:00",
    });
    expect(sent).toEqual({
      service: "FREEZE",
      msgId: CONTROL_KEY,
      data: {
        msgId: CONTROL_KEY,
        caseNo: "（2024）豫0225执123号",
        courtCode: "豫0225",
        holder: { idType: "01", idNo: "41020319850615001X", name: "张三" },
        acctNo: "A123456789",
        secCode: "600036",
        from: "2024-03-01",
        to: "2027-02-28",
        notice: { docNo: "（2024）豫0225执123号之一", date: "2024-03-01" },
        ruling: { docNo: "（2024）豫0225执123号", date: "2024-02-28", judges: ["张三", "李四", "王五"] },
        handler: "李法官",
        notifyUrl: "http://hub.test/agency-callbacks/SECURITIES_DEPOSITORY/measures",
      },
    });

    agency()
      .post(GATEWAY)
      .reply(200, answer("FREEZE", { result: "WAITING", waitRank: 2 }));
    expect(await connector.control(freeze, ctx)).toMatchObject({ kind: "QUEUED", rank: 2 });
  });

  it("sends DEDUCT with the amount and the freeze it draws on, without a period; DEDUCTED is the transfer in effect", async () => {
    let sent: any;
    agency()
      .post(GATEWAY, (body) => ((sent = opened(body)), true))
      .reply(
        200,
        answer("DEDUCT", {
          result: "DEDUCTED",
          transferNo: "证券划拨登记(2024)第000002号",
          effectiveAt: "2024-04-01T09:00:00+08:00",
          amount: "100.00",
        }),
      );
    const deduct = { ...freeze, measureKind: "DEDUCT" as const, amount: "100.00", measureRef: FREEZE_REF };
    expect(await connector.control(deduct, ctx)).toMatchObject({ kind: "EFFECTIVE", reference: "证券划拨登记(2024)第000002号" });
    expect(sent.service).toBe("DEDUCT");
    expect(sent.data).toMatchObject({ acctNo: "A123456789", secCode: "600036", amount: "100.00", freezeRef: FREEZE_REF });
    expect(sent.data.from).toBeUndefined();
    expect(sent.data.to).toBeUndefined();
  });

  it("releases by UNFREEZE and renews by EXTEND, naming the freeze", async () => {
    let sent: any;
    agency()
      .post(GATEWAY, (body) => ((sent = opened(body)), true))
      .reply(200, answer("UNFREEZE", { result: "UNFROZEN", releasedAt: "2024-05-01T09:00:00+08:00" }));
    expect(await connector.control({ ...freeze, action: "RELEASE", measureRef: FREEZE_REF }, ctx)).toMatchObject({
      kind: "RELEASED",
      releasedAt: "2024-05-01T09:00:00+08:00",
    });
    expect(sent).toMatchObject({ service: "UNFREEZE", data: { freezeRef: FREEZE_REF } });

    agency()
      .post(GATEWAY, (body) => ((sent = opened(body)), true))
      .reply(200, answer("EXTEND", { result: "EXTENDED", until: "2030-02-27" }));
    expect(await connector.control({ ...freeze, action: "RENEW", to: "2030-02-27", measureRef: FREEZE_REF }, ctx)).toMatchObject({
      kind: "RENEWED",
      to: "2030-02-27",
    });
    expect(sent).toMatchObject({ service: "EXTEND", data: { freezeRef: FREEZE_REF, to: "2030-02-27" } });
  });

  it("maps retCode 3001 to REFUSED, and refuses a result that answers another service", async () => {
    const raw = envelope("FREEZE", CONTROL_KEY, { retCode: "3001", msgId: CONTROL_KEY, retMsg: "该持有人名下无此证券持仓" });
    agency().post(GATEWAY).reply(200, raw);
    expect(await connector.control(freeze, ctx)).toEqual({ kind: "REFUSED", reason: "该持有人名下无此证券持仓", raw });

    agency()
      .post(GATEWAY)
      .reply(200, answer("FREEZE", { result: "UNFROZEN", releasedAt: "2024-05-01T09:00:00+08:00" }));
    expect((await rejection(connector.control(freeze, ctx))).message).toMatch(/answers FREEZE with UNFROZEN/);
  });

  it("refuses before sending anything: a seal, a deduction without its freeze, a release of a deduction, a non-position", async () => {
    for (const bad of [
      { ...freeze, measureKind: "SEAL" as const },
      { ...freeze, measureKind: "DEDUCT" as const, amount: "100.00" },
      { ...freeze, measureKind: "DEDUCT" as const, action: "RELEASE" as const, measureRef: FREEZE_REF },
      { ...freeze, assetIdentifier: "A123456789" },
      { ...freeze, from: undefined },
    ]) {
      expect(await rejection(connector.control(bad, ctx))).toBeInstanceOf(AgencyProtocolError);
    }
  });

  it("recalls a control request by MSG_STATUS", async () => {
    agency()
      .post(GATEWAY)
      .reply(200, envelope("MSG_STATUS", CONTROL_KEY, { retCode: "1404", msgId: CONTROL_KEY }));
    expect(await connector.recallControl!(freeze, ctx)).toBeUndefined();
    agency()
      .post(GATEWAY)
      .reply(200, answer("FREEZE", { result: "WAITING", waitRank: 3 }));
    expect(await connector.recallControl!(freeze, ctx)).toMatchObject({ kind: "QUEUED", rank: 3 });
  });

  it("accepts a signed FREEZE_EFFECTIVE report as the queued freeze taking effect, and rejects a forged one", () => {
    const report = { freezeRef: FREEZE_REF, effectiveAt: "2024-06-01T09:00:00+08:00", freezeNo: "证券冻结登记(2024)第000009号" };
    expect(connector.acceptMeasureReport(envelope("FREEZE_EFFECTIVE", FREEZE_REF, report), {}, ctx)).toEqual({
      event: "TOOK_EFFECT",
      measureRef: FREEZE_REF,
      effectiveFrom: "2024-06-01T09:00:00+08:00",
      reference: "证券冻结登记(2024)第000009号",
    });
    expect(() => connector.acceptMeasureReport(envelope("FREEZE_EFFECTIVE", FREEZE_REF, report, "forger"), {}, ctx)).toThrow(
      AgencyProtocolError,
    );
    expect(() => connector.acceptMeasureReport(envelope("FREEZE", FREEZE_REF, report), {}, ctx)).toThrow(/not FREEZE_EFFECTIVE/);
  });
});
