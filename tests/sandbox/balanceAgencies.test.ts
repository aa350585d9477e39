/**
 * The sandbox's provident fund centre and payment institution, spoken to by the hub's own connectors: what each
 * reports from the debtor profile, the books they keep (the bank's ledger), and what each refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectorContext } from "../../connectors/connector.js";
import { paymentPlatformConnector } from "../../connectors/payment-platform/connector.js";
import { authorization } from "../../connectors/payment-platform/wire.js";
import { providentFundConnector } from "../../connectors/provident-fund/connector.js";
import { createAgencyTransport } from "../../connectors/transport.js";
import { todayInChina } from "../../domain/calendarDate.js";
import { lastDayOfPeriod } from "../../domain/measures/periodDates.js";
import { debtorProfile } from "../../sandbox/debtorProfile.js";
import { DEFAULT_SANDBOX_SECRET, startSandbox, type Sandbox } from "../../sandbox/index.js";
import { controlCall, inquiryCall } from "../connectors/helpers.js";
import { CallbackReceiver, fastKnobs, findId } from "./fixtures.js";

let sandbox: Sandbox;
const receiver = new CallbackReceiver();
const contexts: ConnectorContext[] = [];
const contextOf = (kind: "PROVIDENT_FUND" | "PAYMENT_PLATFORM"): ConnectorContext => {
  const transport = createAgencyTransport({ baseUrl: `${sandbox.agencies[kind].url}/national`, requestTimeoutMs: 5_000 });
  const context = { transport, secret: DEFAULT_SANDBOX_SECRET };
  contexts.push(context);
  return context;
};
beforeAll(async () => {
  sandbox = await startSandbox({ knobs: fastKnobs() });
  await receiver.start();
});
afterAll(async () => {
  for (const { transport } of contexts) await transport.close();
  await receiver.close();
  await sandbox.close();
});

const today = todayInChina();
const person = (idNumber: string) => ({ kind: "PERSON" as const, idNumber, name: "钱有福" });

describe("provident fund centre", () => {
  const retired = findId((p) => p.providentFund.some((a) => a.withdrawalGround === "RETIREMENT" && Number(a.balance) > 1000));
  const working = findId((p) => p.providentFund.some((a) => !a.withdrawalGround && Number(a.balance) > 1000));
  const freeze = (idNumber: string, key: string) =>
    controlCall({
      idempotencyKey: key,
      measureKind: "FREEZE",
      debtor: person(idNumber),
      assetIdentifier: debtorProfile(idNumber).providentFund[0].accountNumber,
      amount: "1000.00",
      from: today,
      to: lastDayOfPeriod(today, 12),
      callbackUrl: receiver.urlFor("PROVIDENT_FUND"),
    });
  const deduct = (idNumber: string, key: string, ref: string) => ({
    ...freeze(idNumber, key),
    measureKind: "DEDUCT" as const,
    amount: "100.00",
    measureRef: ref,
  });

  it("reports the account with its withdrawal ground, and the freeze once made", async () => {
    const ctx = contextOf("PROVIDENT_FUND");
    const [account] = debtorProfile(retired).providentFund;
    expect(await providentFundConnector.control(freeze(retired, "pf-f1"), ctx)).toMatchObject({ kind: "EFFECTIVE" });
    const answer = await providentFundConnector.inquire(inquiryCall({ idempotencyKey: "pf-q1", debtor: person(retired) }), ctx);
    expect(answer).toMatchObject({
      kind: "ANSWERED",
      findings: {
        assets: [
          { accountNumber: account.accountNumber, balance: account.balance, withdrawalGround: "RETIREMENT", frozenAmount: "1000.00" },
        ],
      },
    });
  });

  it("deducts on a withdrawal ground and refuses without one (住房公积金管理条例 art. 24)", async () => {
    const ctx = contextOf("PROVIDENT_FUND");
    expect(await providentFundConnector.control(deduct(retired, "pf-d1", "pf-f1"), ctx)).toMatchObject({ kind: "EFFECTIVE" });
    expect(await providentFundConnector.control(freeze(working, "pf-f2"), ctx)).toMatchObject({ kind: "EFFECTIVE" });
    const refused = await providentFundConnector.control(deduct(working, "pf-d2", "pf-f2"), ctx);
    expect(refused).toMatchObject({ kind: "REFUSED", reason: expect.stringContaining("提取条件") });
  });

  it("answers a reqno again as the first time, and GJJ9001 replays it", async () => {
    const ctx = contextOf("PROVIDENT_FUND");
    const again = await providentFundConnector.control(deduct(retired, "pf-d1", "pf-f1"), ctx);
    const recalled = await providentFundConnector.recallControl!(deduct(retired, "pf-d1", "pf-f1"), ctx);
    expect(again).toEqual(recalled);
    expect(await providentFundConnector.recallControl!(deduct(retired, "pf-never", "pf-f1"), ctx)).toBeUndefined();
  });

  it("refuses a message whose MAC does not verify", async () => {
    const reply = await fetch(`${sandbox.agencies.PROVIDENT_FUND.url}/national/gjj/xzzx/service`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-gjj-mac": "0".repeat(64) },
      body: JSON.stringify({ head: { txcode: "GJJ1001", reqno: "x" }, body: {} }),
    });
    expect(reply.status).toBe(401);
  });
});

describe("payment institution", () => {
  const holder = findId((p) => p.paymentAccounts.some((a) => Number(a.balance) > 1000));
  const account = () => debtorProfile(holder).paymentAccounts.find((a) => Number(a.balance) > 1000)!;
  const freeze = (key: string, amount: string) =>
    controlCall({
      idempotencyKey: key,
      measureKind: "FREEZE",
      debtor: person(holder),
      assetIdentifier: account().accountNumber,
      amount,
      from: today,
      to: lastDayOfPeriod(today, 12),
      callbackUrl: receiver.urlFor("PAYMENT_PLATFORM"),
    });

  it("freezes the balance; a second freeze queues and takes effect, notified and signed, when the first is released", async () => {
    const ctx = contextOf("PAYMENT_PLATFORM");
    expect(await paymentPlatformConnector.control(freeze("pp-f1", account().balance), ctx)).toMatchObject({ kind: "EFFECTIVE" });
    expect(await paymentPlatformConnector.control(freeze("pp-f2", "500.00"), ctx)).toMatchObject({ kind: "QUEUED", rank: 2 });
    const release = { ...freeze("pp-r1", "1.00"), action: "RELEASE" as const, measureRef: "pp-f1" };
    expect(await paymentPlatformConnector.control(release, ctx)).toMatchObject({ kind: "RELEASED" });
    await receiver.waitFor(1);
    const [note] = receiver.received;
    expect(paymentPlatformConnector.acceptMeasureReport(note.body, note.headers, ctx)).toMatchObject({
      event: "TOOK_EFFECT",
      measureRef: "pp-f2",
    });
  });

  it("refuses a request signed with another secret or out of its time window", async () => {
    const url = `${sandbox.agencies.PAYMENT_PLATFORM.url}/national/judicial/v3/balance-queries`;
    const body = JSON.stringify({
      query_id: "pp-q",
      case_no: "x",
      court_code: "豫0225",
      holder: { id_type: "ID_CARD", id_no: holder, name: "x" },
    });
    const send = (header: string) =>
      fetch(url, { method: "POST", headers: { authorization: header, "content-type": "application/json" }, body });
    expect((await send(authorization("forged", "POST", "/judicial/v3/balance-queries", body))).status).toBe(401);
    const stale = await send(authorization(DEFAULT_SANDBOX_SECRET, "POST", "/judicial/v3/balance-queries", body, Date.now() - 10 * 60_000));
    expect(await stale.json()).toEqual({ code: "TIMESTAMP_EXPIRED" });
  });
});
