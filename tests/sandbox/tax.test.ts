import { createHmac } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { debtorProfile } from "../../sandbox/debtorProfile.js";
import { startSandbox, type Sandbox } from "../../sandbox/index.js";
import { CallbackReceiver, fastKnobs, findId, sleep, withWrongCheck } from "./fixtures.js";

const SECRET = "tax-test-secret";
const sign = (data: string, secret = SECRET) => createHmac("sm3", secret).update(data, "utf8").digest("hex");

let sandbox: Sandbox;
let base: string;
const receiver = new CallbackReceiver();
beforeAll(async () => {
  await receiver.start();
  sandbox = await startSandbox({ secret: SECRET, knobs: fastKnobs({ processingMs: 600 }) });
  base = `${sandbox.agencies.TAX.url}/national`;
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});
beforeEach(() => {
  sandbox.agencies.TAX.reset();
  receiver.received.length = 0;
  receiver.failuresLeft = 0;
});

function inquiryBody(key: string, taxpayerId: string, callbackUrl = receiver.urlFor("TAX", "")): string {
  return JSON.stringify({
    request_id: key,
    case_no: "（2024）豫0225执123号",
    court_code: "豫0225",
    taxpayer_id: taxpayerId,
    taxpayer_name: "张伟",
    callback_url: callbackUrl,
  });
}

async function submit(key: string, body: string, signature = sign(body)) {
  const response = await fetch(`${base}/gateway/inquiry`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-request-id": key, "x-signature": signature },
    body,
  });
  return { status: response.status, body: await response.json() };
}

async function poll(ticket: string, signature = sign(ticket)) {
  const response = await fetch(`${base}/gateway/inquiry/${ticket}`, { headers: { "x-signature": signature } });
  return { status: response.status, body: await response.json() };
}

function expectedResult(taxpayerId: string) {
  const tax = debtorProfile(taxpayerId).tax;
  return {
    registered: tax.registered,
    status: tax.status,
    authority: tax.authority,
    payments: tax.payments.map((p) => ({ period: p.period, tax_type: p.taxType, amount: p.amount })),
    refunds_due: tax.refundsDue,
    refund_no: tax.refundNumber,
  };
}

describe("tax (ticket, signed callback, poll fallback)", () => {
  it("accepts a signed inquiry and calls back, signed, once processing is done", async () => {
    const id = findId((p) => p.tax.registered && p.tax.payments.length > 0 && p.tax.refundsDue !== "0.00");
    const accepted = await submit("tax-happy", inquiryBody("tax-happy", id));
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ accepted: true, ticket: expect.stringMatching(/^TX-\d{8}-[0-9A-F]{12}$/) });
    await receiver.waitFor(1);
    const [callback] = receiver.received;
    expect(callback.headers["x-signature"]).toBe(sign(callback.body));
    expect(JSON.parse(callback.body)).toEqual({ request_id: "tax-happy", ticket: accepted.body.ticket, result: expectedResult(id) });
    await sleep(50);
    expect(sandbox.agencies.TAX.stats).toMatchObject({ callbacksSent: 1, callbacksFailed: 0, callbackAttempts: 1 });
  });

  it("serves the poll fallback: PENDING, then DONE with the same result", async () => {
    const id = findId(() => true, { kind: "ORGANISATION" });
    const { body } = await submit("tax-poll", inquiryBody("tax-poll", id));
    expect(await poll(body.ticket)).toEqual({ status: 200, body: { state: "PENDING" } });
    await sleep(700);
    expect(await poll(body.ticket)).toEqual({ status: 200, body: { state: "DONE", request_id: "tax-poll", result: expectedResult(id) } });
    expect((await poll("TX-00000000-000000000000")).status).toBe(404);
    expect(sandbox.agencies.TAX.stats.polls).toBe(3);
  });

  it("answers 401 to a bad signature on the inquiry or the poll", async () => {
    const body = inquiryBody(
      "tax-unsigned",
      findId(() => true),
    );
    expect(await submit("tax-unsigned", body, sign(body, "wrong-secret"))).toMatchObject({ status: 401, body: { accepted: false } });
    expect((await submit("tax-unsigned", body, "not-hex")).status).toBe(401);
    expect((await submit("tax-unsigned", `${body} `, sign(body))).status).toBe(401);
    const { body: accepted } = await submit(
      "tax-signed",
      inquiryBody(
        "tax-signed",
        findId(() => true),
      ),
    );
    expect((await poll(accepted.ticket, sign(accepted.ticket, "wrong-secret"))).status).toBe(401);
    expect(sandbox.agencies.TAX.stats.submissionsFor("tax-unsigned")).toBe(0);
  });

  it("answers 400 to an unreadable or invalid inquiry", async () => {
    expect((await submit("tax-400", "{oops")).status).toBe(400);
    const badId = inquiryBody("tax-400", withWrongCheck(findId(() => true)));
    expect(await submit("tax-400", badId)).toMatchObject({ status: 400, body: { accepted: false } });
    const badCallback = inquiryBody(
      "tax-400",
      findId(() => true),
      "ftp://hub/callback",
    );
    expect((await submit("tax-400", badCallback)).status).toBe(400);
  });

  it("retries a callback the hub did not acknowledge, and gives up after a few tries", async () => {
    receiver.failuresLeft = 2;
    await submit(
      "tax-retry",
      inquiryBody(
        "tax-retry",
        findId(() => true),
      ),
    );
    await receiver.waitFor(3);
    await sleep(50);
    expect(receiver.received.map((r) => r.body)).toEqual(Array(3).fill(receiver.received[0].body));
    expect(sandbox.agencies.TAX.stats).toMatchObject({ callbacksSent: 1, callbacksFailed: 0, callbackAttempts: 3 });

    receiver.failuresLeft = 100;
    await submit(
      "tax-give-up",
      inquiryBody(
        "tax-give-up",
        findId(() => true),
      ),
    );
    await receiver.waitFor(7);
    await sleep(50);
    expect(sandbox.agencies.TAX.stats).toMatchObject({ callbacksSent: 1, callbacksFailed: 1, callbackAttempts: 7 });
  });

  it("returns the same ticket for a repeated request and calls back once", async () => {
    const body = inquiryBody(
      "tax-replay",
      findId(() => true),
    );
    const first = await submit("tax-replay", body);
    const second = await submit("tax-replay", body);
    expect(second).toEqual(first);
    expect(sandbox.agencies.TAX.stats).toMatchObject({ submissions: 2, executions: 1, duplicateSubmissions: 1 });
    await receiver.waitFor(1);
    await sleep(200);
    expect(receiver.received).toHaveLength(1);
  });
});

describe("tax: freezing a refund due (POST /gateway/refund-freezes, signed)", () => {
  const freezeBody = (key: string, taxpayerId: string, refundNo: string) =>
    JSON.stringify({
      requestId: key,
      action: "FREEZE",
      caseNumber: "（2024）豫0225执123号",
      court: "豫0225",
      refundNo,
      subject: { type: "PERSON", idNumber: taxpayerId, name: "张伟" },
      from: "2024-03-01",
      to: "2027-03-01",
      notice: { number: "（2024）豫0225执123号之一", date: "2024-03-01" },
      decision: { number: "（2024）豫0225执123号", date: "2024-02-28", judges: ["张三", "李四", "王五"] },
      officer: "李法官",
      callbackUrl: receiver.urlFor("TAX"),
    });
  const freeze = async (key: string, body: string, signature = sign(body)) => {
    const response = await fetch(`${base}/gateway/refund-freezes`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": key, "x-signature": signature },
      body,
    });
    return { status: response.status, body: await response.json() };
  };
  const id = findId((p) => p.kind === "PERSON" && p.tax.refundNumber !== undefined);
  const refundNo = debtorProfile(id).tax.refundNumber!;

  it("answers an inquiry with the refund's number, which a freeze then names; 36 months is accepted", async () => {
    const body = freezeBody("tax-freeze-1", id, refundNo);
    const frozen = await freeze("tax-freeze-1", body);
    expect(frozen).toMatchObject({ status: 200, body: { requestId: "tax-freeze-1", status: "EFFECTIVE" } });
    expect(frozen.body.registrationNo).toMatch(/^应退税款冻结登记\(\d{4}\)第\d{6}号$/);
  });

  it("refuses a request whose signature does not verify (401), and a refund the taxpayer is not owed", async () => {
    const body = freezeBody("tax-freeze-2", id, refundNo);
    expect(await freeze("tax-freeze-2", body, sign(body, "wrong"))).toMatchObject({ status: 401 });
    const other = freezeBody("tax-freeze-3", id, "TR0000000000000000");
    expect((await freeze("tax-freeze-3", other)).body).toMatchObject({ status: "REJECTED", message: "该纳税人无此应退税款" });
  });
});
