/**
 * The sandbox bank on its own, through the bank connector: signatures, the
 * signed lookup of a request as the fallback poll (a lookup, never a second
 * submission; a resend still executed once), and the state
 * it keeps per account (freezes by amount, 轮候, deductions, lapse with the
 * bank's clock moved, TOOK_EFFECT reports with the period counted from then).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bankConnector } from "../../connectors/bank/connector.js";
import type { ConnectorContext, ControlCall, ControlOutcome, MeasureReport } from "../../connectors/connector.js";
import { createAgencyTransport } from "../../connectors/transport.js";
import { todayInChina } from "../../domain/calendarDate.js";
import { addDays } from "../../domain/measures/periodDates.js";
import { formatYuan, parseYuan } from "../../domain/measures/yuan.js";
import { startAgencyServer, type RunningAgency } from "../../sandbox/agencyServer.js";
import { Bank } from "../../sandbox/agencies/bank.js";
import { debtorProfile } from "../../sandbox/debtorProfile.js";
import { CallbackReceiver, findId } from "./fixtures.js";

const SECRET = "bank-test-secret";
let clock = new Date();
let server: RunningAgency;
let ctx: ConnectorContext;
const receiver = new CallbackReceiver();
const today = () => todayInChina(clock);
const cents = (yuan: string) => (parseYuan(yuan) as { cents: bigint }).cents;

/** A person with an account of at least 10,000 yuan. */
const owner = findId((p) => p.accounts.some((a) => cents(a.balance) >= 1_000_000n));
const account = debtorProfile(owner).accounts.find((a) => cents(a.balance) >= 1_000_000n)!;
const half = formatYuan(cents(account.balance) / 2n);

beforeAll(async () => {
  await receiver.start();
  server = await startAgencyServer("BANK", (env) => new Bank(env, SECRET, { now: () => clock }), {
    knobs: { latencyMs: 0, jitterMs: 0, processingMs: 0 },
  });
  const transport = createAgencyTransport({ baseUrl: `${server.url}/national`, requestTimeoutMs: 3000 });
  ctx = { transport, secret: SECRET };
  return async () => {
    await transport.close();
    await server.close();
  };
});
afterAll(() => receiver.close());
beforeEach(() => {
  server.reset();
  receiver.clear();
  clock = new Date();
});

function call(key: string, overrides: Partial<ControlCall> = {}): ControlCall {
  return {
    idempotencyKey: key,
    action: "APPLY",
    measureKind: "FREEZE",
    caseNumber: "（2024）豫0225执123号",
    courtCode: "豫0225",
    debtor: { kind: "PERSON", idNumber: owner, name: "张伟" },
    assetIdentifier: account.accountNumber,
    amount: half,
    from: today(),
    to: addDays(today(), 100),
    notice: { number: `（2024）豫0225执123号之${key}`, date: today() },
    decision: { number: "（2024）豫0225执123号", date: today(), judges: ["王审判长", "李审判员", "赵审判员"] },
    officer: "李法官",
    callbackUrl: receiver.urlFor("BANK"),
    ...overrides,
  };
}

/** Submits, then looks the request up (the fallback poll) for the answer. */
async function answer(request: ControlCall): Promise<ControlOutcome> {
  expect(await bankConnector.control(request, ctx)).toMatchObject({ kind: "PENDING", ticket: expect.stringMatching(/^BK-/) });
  return (await bankConnector.recallControl!(request, ctx))!;
}

/** What arrived at the control requests' callback address (inquiry answers, sent to the same receiver here, aside). */
const reports = (): MeasureReport[] =>
  receiver.received
    .filter((r) => !r.body.includes('"INQUIRY_RESULT"'))
    .map((r) => bankConnector.acceptMeasureReport(r.body, r.headers, ctx));

describe("sandbox bank", () => {
  it("refuses an unsigned request 401 and a malformed one 400, executing and storing neither", async () => {
    const unsigned = await fetch(`${server.url}/national/ckjk/v1/controls`, {
      method: "POST",
      headers: { "x-request-id": "k" },
      body: "{}",
    });
    expect(unsigned.status).toBe(401);
    const bad = await bankConnector.control(call("bad", { amount: "0.00" }), ctx).catch((error: Error) => error);
    expect(bad).toBeInstanceOf(Error);
    expect(server.stats.executions).toBe(0);
  });

  it(
    "answers by signed callback and by a lookup counted as a lookup; " + "a resend is answered where the request stands, executed once",
    async () => {
      const outcome = await answer(call("f1"));
      expect(outcome).toMatchObject({ kind: "EFFECTIVE", reference: expect.stringMatching(/^冻\d{14}$/) });
      await receiver.waitFor(1);
      expect(reports()).toEqual([{ event: "ANSWERED", idempotencyKey: "f1", outcome: { ...outcome, raw: receiver.received[0].body } }]);
      expect(server.stats.submissionsFor("f1")).toBe(1);
      expect(server.stats.lookupsFor("f1")).toBe(1);
      expect(await bankConnector.control(call("f1"), ctx)).toMatchObject({
        kind: "EFFECTIVE",
        reference: outcome.kind === "EFFECTIVE" ? outcome.reference : "",
      });
      expect(server.stats.executionsFor("f1")).toBe(1);
      expect(server.stats.submissionsFor("f1")).toBe(2);
    },
  );

  it("tells a request it never received (404 naming the key) and refuses an unsigned lookup, creating nothing", async () => {
    expect(await bankConnector.recallControl!(call("never"), ctx)).toBeUndefined();
    const inquiry = {
      idempotencyKey: "never-q",
      caseNumber: "x",
      courtCode: "豫0225",
      debtor: { kind: "PERSON" as const, idNumber: owner, name: "张伟" },
      purpose: "p",
      officer: "o",
      callbackUrl: receiver.urlFor("BANK"),
    };
    expect(await bankConnector.recall!(inquiry, ctx)).toBeUndefined();
    const unsigned = await fetch(`${server.url}/national/ckjk/v1/requests/never`);
    expect(unsigned.status).toBe(401);
    expect(server.stats).toMatchObject({ submissions: 0, executions: 0, lookups: 2 });
    // A lookup while the request is processing gives its ticket; the bank never overtakes what it received.
    server.knobs.processingMs = 60_000;
    const pending = await bankConnector.inquire(inquiry, ctx);
    expect(await bankConnector.recall!(inquiry, ctx)).toMatchObject({
      kind: "PENDING",
      ticket: pending.kind === "PENDING" ? pending.ticket : "",
    });
  });

  it(
    "queues a second court's freeze the free balance cannot cover; deducts only what a freeze holds; a " +
      "lapse lets the queue advance, with its period from then",
    async () => {
      await answer(call("first"));
      const second = call("second", {
        courtCode: "豫0224",
        amount: formatYuan(cents(account.balance) - cents(half) + 1n),
        to: addDays(today(), 200),
      });
      expect(await answer(second)).toMatchObject({ kind: "QUEUED", rank: 2 });
      expect(
        await answer(call("too-much", { measureKind: "DEDUCT", amount: formatYuan(cents(half) + 1n), measureRef: "first" })),
      ).toMatchObject({
        kind: "REFUSED",
        reason: expect.stringContaining("超过冻结余额"),
      });
      expect(
        await answer(call("not-mine", { courtCode: "豫0224", measureKind: "DEDUCT", amount: "1.00", measureRef: "first" })),
      ).toMatchObject({ kind: "REFUSED" });
      // Deducting lowers the balance and the freeze alike, so the queued freeze is no nearer to being covered.
      expect(await answer(call("take", { measureKind: "DEDUCT", amount: "1.00", measureRef: "first" }))).toMatchObject({
        kind: "EFFECTIVE",
        reference: expect.stringMatching(/^划/),
      });
      receiver.clear();

      clock = new Date(`${addDays(today(), 101)}T09:00:00+08:00`); // the first freeze's last day has passed
      const inquiry = await bankConnector.inquire(
        {
          idempotencyKey: "look",
          caseNumber: "x",
          courtCode: "豫0224",
          debtor: { kind: "PERSON", idNumber: owner, name: "张伟" },
          purpose: "p",
          officer: "o",
          callbackUrl: receiver.urlFor("BANK"),
        },
        ctx,
      );
      expect(inquiry.kind).toBe("PENDING");
      await receiver.waitFor(2);
      expect(reports().find((r) => r.event === "TOOK_EFFECT")).toMatchObject({ event: "TOOK_EFFECT", measureRef: "second" });
      const seen = await bankConnector.poll!(
        inquiry.kind === "PENDING" ? inquiry.ticket : "",
        {
          idempotencyKey: "look",
          caseNumber: "x",
          courtCode: "豫0224",
          debtor: { kind: "PERSON", idNumber: owner, name: "张伟" },
          purpose: "p",
          officer: "o",
          callbackUrl: receiver.urlFor("BANK"),
        },
        ctx,
      );
      const held = seen.kind === "ANSWERED" ? seen.findings.assets.find((a) => a.identifier === account.accountNumber) : undefined;
      expect(held).toMatchObject({ balance: formatYuan(cents(account.balance) - 100n), frozenAmount: second.amount });
      // 查扣冻规定 2020 art. 26, 27: the queued freeze runs its 200 days from the day it took effect.
      expect(held?.encumbrances).toEqual([
        { type: "FREEZE", byAuthority: "豫0224", reference: second.notice.number, since: today(), rank: 1 },
      ]);
    },
  );

  it("renews and releases only for the court that froze; a released freeze cannot be renewed", async () => {
    await answer(call("mine"));
    expect(await answer(call("other-release", { courtCode: "豫0224", action: "RELEASE", measureRef: "mine" }))).toMatchObject({
      kind: "REFUSED",
    });
    expect(await answer(call("renew", { action: "RENEW", measureRef: "mine", to: addDays(today(), 300) }))).toMatchObject({
      kind: "RENEWED",
      to: addDays(today(), 300),
    });
    expect(await answer(call("release", { action: "RELEASE", measureRef: "mine" }))).toMatchObject({ kind: "RELEASED" });
    expect(await answer(call("late-renew", { action: "RENEW", measureRef: "mine", to: addDays(today(), 330) }))).toMatchObject({
      kind: "REFUSED",
    });
  });
});
