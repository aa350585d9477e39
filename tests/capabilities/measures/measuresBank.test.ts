/**
 * The bank (BANK, the sixth agency) through GraphQL against the sandbox bank,
 * which answers every request later by signed callback (法〔2018〕64号: within
 * 24 hours) and keeps real balances and freezes:
 * - an inquiry finds the debtor's deposit accounts, with balance and frozen amount;
 * - court 豫0225 freezes part of a balance; court 豫0224's larger freeze of the same
 *   account finds too little unfrozen and queues (轮候, 查扣冻规定 2020 art. 26);
 * - a deduction (划拨) from the first freeze lowers the balance and what that freeze
 *   holds, at the bank and in the hub; more than the freeze holds is refused;
 * - ten days later the first court releases; the queued freeze takes effect, its
 *   period counted from that day;
 * - a release ordered before the bank has answered a freeze waits for the answer
 *   and is then sent; one ordered on a freeze the bank refuses is never sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInChina } from "../../../domain/calendarDate.js";
import { addDays, lastDayOfPeriod } from "../../../domain/measures/periodDates.js";
import { formatYuan, parseYuan } from "../../../domain/measures/yuan.js";
import {
  MEASURES_EXPIRING,
  MEASURE_FIELDS,
  ORDER_MEASURE,
  RELEASE_MEASURE,
  REQUEST_INQUIRY,
  auditTrail,
  controlRequests,
  debtorWith,
  noticeNumber,
  panel,
  quiet,
  refusalOf,
  registerCase,
  type RegisteredCase,
} from "../../support/measures.js";
import { eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const FIRST = "豫0225";
const SECOND = "豫0223";
const MEASURE_WITH_HOLDING = `query Measure($id: ID!) { measure(id: $id) { ${MEASURE_FIELDS} frozenAmount deductsFrom } }`;
const ACCOUNTS = `query Inquiry($id: ID!) { inquiry(id: $id) { complete parts { agency status
  assets { id identifier encumbrances { type byAuthority reference since rank }
    ... on DepositAccountAsset { accountNumber bank branch currency balance frozenAmount estimatedValue } } } } }`;

let t: TestHub;
const tokens: Record<string, string> = {};
const cases: Record<string, RegisteredCase> = {};
const debtor = debtorWith({ account: { balance: "60000" } });
const account = debtor.account.accountNumber;
const cents = (yuan: string) => (parseYuan(yuan) as { cents: bigint }).cents;
const balance = cents(debtor.account.balance);
/** Court 豫0225 freezes half the balance; 豫0224 asks for one yuan more than the other half. */
const firstAmount = formatYuan(balance / 2n);
const secondAmount = formatYuan(balance - balance / 2n + 100n);
const DEDUCTED = "1000.00";

const today = () => todayInChina();
let daysLater = 0;
const clock = () => new Date(Date.now() + daysLater * 86_400_000);

beforeAll(async () => {
  t = await startTestHub({ clock, registryClock: clock });
  for (const court of [FIRST, SECOND]) {
    tokens[court] = await t.token(court);
    cases[court] = await registerCase(t, tokens[court], { court, debtor: debtor.idNumber, claimAmount: "20000000" });
  }
}, 60_000);
afterAll(() => t?.close());

const bank = () => t.sandbox.agencies.BANK;
const measureOf = async (court: string, id: string) => (await t.gql(MEASURE_WITH_HOLDING, { id }, tokens[court])).data?.measure;
const untilStatus = (court: string, id: string, status: string) =>
  eventually(
    () => measureOf(court, id),
    (m) => m?.status === status,
  );

function order(court: string, input: Record<string, unknown>) {
  return t.gql(
    ORDER_MEASURE,
    {
      input: {
        caseNumber: cases[court].caseNumber,
        debtorIdNumber: debtor.idNumber,
        assetId: cases[court].assetIds.get(account),
        startsOn: today(),
        expiresOn: lastDayOfPeriod(today(), 12),
        notice: { number: noticeNumber(court), date: today() },
        decision: panel(today()),
        ...input,
      },
    },
    tokens[court],
  );
}

async function ordered(court: string, input: Record<string, unknown>): Promise<string> {
  const result = await order(court, input);
  expect(result.errors).toBeUndefined();
  return result.data.orderMeasure.measure.id;
}

const release = (court: string, measureId: string) =>
  t.gql(
    RELEASE_MEASURE,
    { input: { measureId, notice: { number: noticeNumber(court), date: today() }, decision: panel(today()) } },
    tokens[court],
  );

/** The account as a fresh inquiry by `court` sees it at the bank. */
async function accountSeenBy(court: string) {
  const requested = await t.gql(
    REQUEST_INQUIRY,
    { input: { caseNumber: cases[court].caseNumber, debtorIdNumber: debtor.idNumber, purpose: "查看冻结状态", agencies: ["BANK"] } },
    tokens[court],
  );
  expect(requested.errors).toBeUndefined();
  const done = await eventually(
    () => t.gql(ACCOUNTS, { id: requested.data.requestInquiry.id }, tokens[court]),
    (r) => r.data?.inquiry.complete === true,
  );
  expect(done.data.inquiry.parts[0].status).toBe("ANSWERED");
  return done.data.inquiry.parts[0].assets.find((a: any) => a.identifier === account);
}

const ids: Record<string, string> = {};

describe("a bank account found, frozen by two courts, deducted from and released", () => {
  it("the first inquiry finds the debtor's deposit accounts, with balance and nothing frozen", async () => {
    expect(await accountSeenBy(FIRST)).toMatchObject({
      accountNumber: account,
      bank: debtor.account.bank,
      branch: debtor.account.branch,
      currency: "CNY",
      balance: formatYuan(balance),
      frozenAmount: "0.00",
      estimatedValue: formatYuan(balance),
      encumbrances: [],
    });
  });

  it("the first court's freeze takes effect for its amount, answered later by the bank's signed callback", async () => {
    ids[FIRST] = await ordered(FIRST, { kind: "FREEZE", value: firstAmount });
    const frozen = await untilStatus(FIRST, ids[FIRST], "EFFECTIVE");
    expect(frozen).toMatchObject({ agency: "BANK", assetCategory: "DEPOSIT", value: firstAmount, frozenAmount: firstAmount, rank: 1 });
    expect(frozen.agencyReference).toMatch(/^冻\d{14}$/);
    const [apply] = await controlRequests(t, ids[FIRST]);
    expect(bank().stats.executionsFor(apply.id)).toBe(1);
  });

  it("the second court's larger freeze finds too little unfrozen and is queued at rank 2; any inquiry shows both", async () => {
    ids[SECOND] = await ordered(SECOND, { kind: "FREEZE", value: secondAmount, expiresOn: addDays(today(), 100) });
    expect(await untilStatus(SECOND, ids[SECOND], "QUEUED")).toMatchObject({ rank: 2, agencyReference: null });
    for (const court of [FIRST, SECOND]) {
      const seen = await accountSeenBy(court);
      expect(seen, court).toMatchObject({ balance: formatYuan(balance), frozenAmount: firstAmount });
      expect(seen.encumbrances.map((e: any) => [e.type, e.byAuthority, e.rank])).toEqual([
        ["FREEZE", FIRST, 1],
        ["FREEZE", SECOND, 2],
      ]);
    }
  });

  it("民事诉讼法 2023 art. 253: a deduction above what the first court holds frozen is refused, saying by how much", async () => {
    const refusal = refusalOf(await order(FIRST, { kind: "DEDUCT", value: formatYuan(cents(firstAmount) + 1n) }));
    expect(refusal).toMatchObject({ code: "DEDUCTION_EXCEEDS_FROZEN", remaining: firstAmount, excess: "0.01" });
    // The second court holds nothing in force on the account (its freeze is queued): it may deduct nothing.
    expect(refusalOf(await order(SECOND, { kind: "DEDUCT", value: "1.00" }))).toMatchObject({
      code: "DEDUCTION_EXCEEDS_FROZEN",
      remaining: "0.00",
    });
  });

  it("a deduction lowers the balance and what the freeze holds, at the bank and in the hub", async () => {
    const deduction = await ordered(FIRST, { kind: "DEDUCT", value: DEDUCTED });
    const done = await untilStatus(FIRST, deduction, "EFFECTIVE");
    expect(done).toMatchObject({ kind: "DEDUCT", value: DEDUCTED, deductsFrom: ids[FIRST], frozenAmount: null });
    expect(done.agencyReference).toMatch(/^划\d{14}$/);
    const holds = formatYuan(cents(firstAmount) - cents(DEDUCTED));
    expect(await measureOf(FIRST, ids[FIRST])).toMatchObject({ status: "EFFECTIVE", value: firstAmount, frozenAmount: holds });
    expect(await accountSeenBy(SECOND)).toMatchObject({ balance: formatYuan(balance - cents(DEDUCTED)), frozenAmount: holds });
    // A transfer is done once: it cannot be released or renewed, and it never expires.
    expect(refusalOf(await release(FIRST, deduction))).toMatchObject({ code: "DEDUCTION_FINAL" });
    const expiring = await t.gql(MEASURES_EXPIRING, { withinDays: 400 }, tokens[FIRST]);
    expect(expiring.data.measuresExpiring.map((m: any) => m.id)).toContain(ids[FIRST]);
    expect(expiring.data.measuresExpiring.map((m: any) => m.id)).not.toContain(deduction);
    // The order's trail names the freeze drawn on and what it held.
    const trail = await auditTrail(t, tokens[FIRST], cases[FIRST].caseNumber);
    expect(trail.find((row) => row.action === "MEASURE_ORDERED" && row.subjectId === deduction)?.detail).toMatchObject({
      deductsFrom: { measureId: ids[FIRST], frozen: firstAmount, deducted: "0.00" },
    });
  });

  it(
    "ten days later the first court releases; the queued freeze takes effect, its period counted from " +
      "that day (查扣冻规定 art. 26, 27)",
    async () => {
      await quiet(t);
      daysLater = 10;
      expect((await release(FIRST, ids[FIRST])).errors).toBeUndefined();
      await untilStatus(FIRST, ids[FIRST], "RELEASED");
      const effective = await untilStatus(SECOND, ids[SECOND], "EFFECTIVE");
      expect(effective).toMatchObject({
        rank: 1,
        startsOn: addDays(today(), 10),
        expiresOn: addDays(today(), 110),
        frozenAmount: secondAmount,
      });
      expect(effective.agencyReference).toMatch(/^冻\d{14}$/);
      const seen = await accountSeenBy(FIRST);
      expect(seen).toMatchObject({ frozenAmount: secondAmount });
      expect(seen.encumbrances).toEqual([
        { type: "FREEZE", byAuthority: SECOND, reference: expect.any(String), since: addDays(today(), 10), rank: 1 },
      ]);
      daysLater = 0;
    },
  );
});

describe("a release ordered before the bank has answered the freeze", () => {
  it("waits for the answer, then is sent, and the freeze ends released", async () => {
    await quiet(t);
    bank().knobs.processingMs = 1_500;
    try {
      const measureId = await ordered(FIRST, { kind: "FREEZE", value: "100.00" });
      const released = await release(FIRST, measureId);
      expect(released.errors).toBeUndefined();
      expect(released.data.releaseMeasure.status).toBe("REQUESTED");
      const [apply, held] = await controlRequests(t, measureId);
      expect([apply.action, held.action, held.status]).toEqual(["APPLY", "RELEASE", "QUEUED"]);
      // Not sent while the freeze is unanswered; a repeat records nothing more.
      expect((await release(FIRST, measureId)).errors).toBeUndefined();
      expect(await controlRequests(t, measureId)).toHaveLength(2);
      expect(bank().stats.submissionsFor(held.id)).toBe(0);
      await untilStatus(FIRST, measureId, "RELEASED");
      expect(bank().stats.executionsFor(held.id)).toBe(1);
      const trail = await auditTrail(t, tokens[FIRST], cases[FIRST].caseNumber);
      expect(trail.filter((row) => row.subjectId === measureId).map((row) => row.action)).toEqual([
        "MEASURE_ORDERED",
        "MEASURE_RELEASE_ORDERED",
      ]);
    } finally {
      bank().knobs.processingMs = 300;
    }
  });

  it("is answered unsent when the bank refuses the freeze: there is nothing to release", async () => {
    await quiet(t);
    bank().knobs.processingMs = 1_500;
    try {
      // An account the debtor does not hold: the bank refuses the freeze once it has looked.
      const measureId = await ordered(FIRST, {
        kind: "FREEZE",
        assetId: undefined,
        asset: { agency: "BANK", identifier: "6200000000000000000", category: "DEPOSIT", value: "100.00" },
      });
      expect((await release(FIRST, measureId)).data.releaseMeasure.status).toBe("REQUESTED");
      const refused = await untilStatus(FIRST, measureId, "REFUSED");
      expect(refused.lastError).toContain("该账户不属于被执行人");
      await quiet(t);
      const [, held] = await controlRequests(t, measureId);
      expect(held).toMatchObject({ action: "RELEASE", status: "ANSWERED" });
      expect(bank().stats.submissionsFor(held.id)).toBe(0);
      const trail = await auditTrail(t, tokens[FIRST], cases[FIRST].caseNumber);
      expect(trail.find((row) => row.action === "MEASURE_RELEASE_MOOT" && row.subjectId === measureId)?.detail).toMatchObject({
        request: held.id,
        measureStatus: "REFUSED",
      });
    } finally {
      bank().knobs.processingMs = 300;
    }
  });
});
