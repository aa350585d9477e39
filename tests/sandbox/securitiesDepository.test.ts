import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { debtorProfile } from "../../sandbox/debtorProfile.js";
import { DEFAULT_SANDBOX_SECRET, startSandbox, type Sandbox } from "../../sandbox/index.js";
import { fastKnobs, findId, personId } from "./fixtures.js";

let sandbox: Sandbox;
let root: string;
beforeAll(async () => {
  sandbox = await startSandbox({ knobs: fastKnobs() });
  root = sandbox.agencies.SECURITIES_DEPOSITORY.url;
});
afterAll(() => sandbox.close());

const sign = (service: string, msgId: string, data: string, secret = DEFAULT_SANDBOX_SECRET) =>
  createHmac("sm3", secret).update(`${service}|${msgId}|${data}`, "utf8").digest("hex");

async function send(service: string, msgId: string, message: object, options: { channel?: string; secret?: string } = {}) {
  const data = JSON.stringify(message);
  const response = await fetch(`${root}/${options.channel ?? "national"}/csdc/v3/gateway`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ version: "3.0", service, msgId, data, sign: sign(service, msgId, data, options.secret) }),
  });
  const body = await response.json();
  return { status: response.status, body, data: typeof body.data === "string" ? JSON.parse(body.data) : undefined };
}

const query = (msgId: string, idNumber: string, pageSize = 2) => ({
  msgId,
  caseNo: "（2024）豫0225执123号",
  courtCode: "豫0225",
  holder: { idType: "01", idNo: idNumber, name: "张伟" },
  reason: "查询证券",
  handler: "李法官",
  pageSize,
});

describe("the debtor profile's securities", () => {
  it("values every position at quantity times price, in account number order, shares in lots and fund units to the hundredth", () => {
    for (let index = 0; index < 200; index++) {
      const accounts = debtorProfile(personId(index + 1)).securities;
      expect(accounts.map((a) => a.accountNumber)).toEqual(accounts.map((a) => a.accountNumber).sort());
      for (const account of accounts) {
        expect(account.accountNumber).toMatch(account.market === "OF" ? /^F\d{11}$/ : account.market === "SH" ? /^A\d{9}$/ : /^0\d{9}$/);
        for (const p of account.positions) {
          expect(p.code).toMatch(/^\d{6}$/);
          expect(p.quantity).toMatch(p.kind === "FUND" ? /^\d+\.\d{2}$/ : p.kind === "STOCK" ? /^[1-9]\d*00$/ : /^[1-9]\d*$/);
          expect(Math.abs(Number(p.quantity) * Number(p.unitPrice) - Number(p.marketValue))).toBeLessThan(0.01);
        }
      }
    }
  });
});

describe("securities depository (signed envelopes, account paging)", () => {
  it("answers a holdings query page by page, each page signed, the pages agreeing with the profile", async () => {
    const id = findId((p) => p.securities.length >= 3);
    const first = await send("HOLDING_QUERY", "sd-1", query("sd-1", id));
    expect(first.status).toBe(200);
    expect(first.body.sign).toBe(sign("HOLDING_QUERY", "sd-1", first.body.data));
    const accounts = [...first.data.accounts];
    let after = first.data.nextAfter;
    expect(after).toBe(accounts[1].acctNo);
    while (after) {
      const page = await send("HOLDING_PAGE", "sd-1", { queryMsgId: "sd-1", afterAccount: after, pageSize: 2 });
      expect(page.body.sign).toBe(sign("HOLDING_PAGE", "sd-1", page.body.data));
      accounts.push(...page.data.accounts);
      after = page.data.nextAfter;
    }
    expect(accounts.map((a: any) => a.acctNo)).toEqual(debtorProfile(id).securities.map((a) => a.accountNumber));
  });

  it("answers 401 to a message whose sign fails, and MSG_STATUS 1404 for a message it never received", async () => {
    const id = findId((p) => p.securities.length > 0);
    expect(await send("HOLDING_QUERY", "sd-2", query("sd-2", id), { secret: "wrong" })).toMatchObject({
      status: 401,
      body: { retCode: "9401" },
    });
    expect((await send("MSG_STATUS", "sd-2", { msgId: "sd-2" })).data).toMatchObject({ retCode: "1404", msgId: "sd-2" });
    const answered = await send("HOLDING_QUERY", "sd-3", query("sd-3", id));
    expect((await send("MSG_STATUS", "sd-3", { msgId: "sd-3" })).body).toEqual(answered.body);
  });

  it("answers on a local channel for the accounts opened in its division only, and refuses an ID that fails its check", async () => {
    const id = findId((p) => p.securities.length > 0);
    const division = debtorProfile(id).securities[0].divisionCode;
    const own = await send("HOLDING_QUERY", "sd-4", query("sd-4", id, 50), { channel: `local/${division}` });
    expect(own.data.accounts.length).toBeGreaterThan(0);
    const other = await send("HOLDING_QUERY", "sd-5", query("sd-5", id, 50), { channel: "local/4101" });
    expect(other.data.accounts.filter((a: any) => a.acctNo === debtorProfile(id).securities[0].accountNumber)).toEqual([]);
    const broken = `${id.slice(0, 17)}${id[17] === "1" ? "2" : "1"}`;
    expect((await send("HOLDING_QUERY", "sd-6", query("sd-6", broken))).data).toMatchObject({ retCode: "2001" });
  });
});
