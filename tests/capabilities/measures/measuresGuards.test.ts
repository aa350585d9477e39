/**
 * The legal guards on control measures (控), tried through GraphQL against the
 * sandbox agencies. domain/measures/* holds each rule as a pure function with
 * its source (unit-tested in tests/domain/measures); here every refusal must
 * reach the case system with the guard's own code and figures in
 * `extensions`, and must leave nothing behind: no measure row, no agency
 * request, no audit row, no submission at any agency. Test names cite the
 * source of each rule.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENCY_KINDS } from "../../../connectors/connector.js";
import { todayInChina } from "../../../domain/calendarDate.js";
import { checkDeduction } from "../../../domain/measures/deduction.js";
import { addDays, lastDayOfPeriod } from "../../../domain/measures/periodDates.js";
import { formatYuan, parseYuan } from "../../../domain/measures/yuan.js";
import {
  MEASURE,
  ORDER_MEASURE,
  RELEASE_MEASURE,
  RENEW_MEASURE,
  auditTrail,
  debtorWith,
  footprint,
  noticeNumber,
  panel,
  quiet,
  refusalOf,
  registerCase,
  type RegisteredCase,
} from "../../support/measures.js";
import { eventually, startTestHub, type GraphQLResult, type TestHub } from "../../support/testHub.js";

let t: TestHub;
let token: string;
/** Added to the real time: the hub's clock, moved forward only for the renewal-after-expiry test. */
let offsetMs = 0;
const today = () => todayInChina(new Date(Date.now() + offsetMs));

/** A debtor with a flat, a car and 50,000 yuan in a bank, in a case whose claim (20,000,000 yuan) leaves room for all. */
const main = debtorWith({ flat: true, vehicle: true, account: { balance: "50000" } });
let mainCase: RegisteredCase;
/** A debtor with a flat worth far more than the 10,000 yuan claimed: any seal of it is over-seizure. */
const small = debtorWith({ flat: true });
let smallCase: RegisteredCase;
const SMALL_CLAIM = "10000";
/** A debtor with 20,000 yuan in a bank, in a case claiming 10,000: a freeze within the tolerance holds more than is owed. */
const owing = debtorWith({ account: { balance: "20000" } });
let owingCase: RegisteredCase;

const cents = (yuan: string) => {
  const parsed = parseYuan(yuan);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.cents;
};

beforeAll(async () => {
  t = await startTestHub({ clock: () => new Date(Date.now() + offsetMs) });
  token = await t.token("豫0225");
  [mainCase, smallCase, owingCase] = await Promise.all([
    registerCase(t, token, { debtor: main.idNumber, claimAmount: "20000000" }),
    registerCase(t, token, { debtor: small.idNumber, claimAmount: SMALL_CLAIM }),
    registerCase(t, token, { debtor: owing.idNumber, claimAmount: SMALL_CLAIM }),
  ]);
}, 60_000);
afterAll(() => t?.close());

/** A valid seal of the main debtor's flat for three years less a day; `overrides` break one thing. */
function flatSeal(overrides: Record<string, unknown> = {}, c: RegisteredCase = mainCase, certNo = main.flat.certificateNumber) {
  return {
    caseNumber: c.caseNumber,
    debtorIdNumber: c.debtor,
    kind: "SEAL",
    assetId: c.assetIds.get(certNo),
    startsOn: today(),
    expiresOn: addDays(lastDayOfPeriod(today(), 36), -1),
    notice: { number: noticeNumber(), date: today() },
    decision: panel(today()),
    ...overrides,
  };
}

/** Runs a request that must be refused, and checks it wrote nothing anywhere and reached no agency. */
async function refusedWithoutTrace(query: string, input: Record<string, unknown>): Promise<Record<string, any>> {
  await quiet(t);
  const before = await footprint(t);
  const result = await t.gql(query, { input }, token);
  const extensions = refusalOf(result);
  // Anything the request set off would be recorded at once (the order is written before it is sent).
  await quiet(t);
  expect(await footprint(t)).toEqual(before);
  return extensions;
}

/** Orders and waits until the agency has answered; returns the measure as then recorded. */
async function orderInForce(input: Record<string, unknown>): Promise<any> {
  const ordered = await t.gql(ORDER_MEASURE, { input }, token);
  expect(ordered.errors).toBeUndefined();
  expect(ordered.data.orderMeasure.created).toBe(true);
  const settled = await eventually(
    () => t.gql(MEASURE, { id: ordered.data.orderMeasure.measure.id }, token),
    (r: GraphQLResult) => r.data?.measure.status !== "REQUESTED",
  );
  return settled.data.measure;
}

describe(
  "a collegial-panel decision is required (Henan High Court supervision opinion, items 1 and 6: " +
    "查封、冻结、扣押 … 应当由员额法官组成合议庭评议决定)",
  () => {
    it(
      "Henan High Court supervision opinion, items 1 and 6: an order without a panel decision is refused " +
        "DECISION_MISSING and writes nothing",
      async () => {
        const refusal = await refusedWithoutTrace(ORDER_MEASURE, flatSeal({ decision: null }));
        expect(refusal.code).toBe("DECISION_MISSING");
      },
    );

    it(
      "Henan High Court supervision opinion, items 1 and 6: a 'panel' " + "of two judges is refused PANEL_TOO_SMALL with the panel size",
      async () => {
        const refusal = await refusedWithoutTrace(ORDER_MEASURE, flatSeal({ decision: { ...panel(today()), judges: ["张三", "李四"] } }));
        expect(refusal).toMatchObject({ code: "PANEL_TOO_SMALL", panelSize: 2 });
      },
    );

    it("民事诉讼法 2023 art. 40 (合议庭的成员人数，必须是单数): four judges are refused PANEL_EVEN", async () => {
      const refusal = await refusedWithoutTrace(
        ORDER_MEASURE,
        flatSeal({ decision: { ...panel(today()), judges: ["张三", "李四", "王五", "赵六"] } }),
      );
      expect(refusal).toMatchObject({ code: "PANEL_EVEN", panelSize: 4 });
    });

    it("查扣冻规定 2020 art. 1 (应当作出裁定): a decision dated after the order is refused DECISION_AFTER_ORDER", async () => {
      const tomorrow = addDays(today(), 1);
      const refusal = await refusedWithoutTrace(ORDER_MEASURE, flatSeal({ decision: panel(tomorrow) }));
      expect(refusal).toMatchObject({ code: "DECISION_AFTER_ORDER", decisionDate: tomorrow, orderDate: today() });
    });

    it(
      "Henan High Court supervision opinion, items 1 and 6 (作出或解除): releasing without a panel decision is " +
        "refused DECISION_MISSING and sends nothing",
      async () => {
        const vehicle = await orderInForce({
          ...flatSeal({ assetId: mainCase.assetIds.get(main.vehicle.plate), expiresOn: addDays(today(), 100) }),
        });
        expect(vehicle.status).toBe("EFFECTIVE");
        const refusal = await refusedWithoutTrace(RELEASE_MEASURE, {
          measureId: vehicle.id,
          notice: { number: noticeNumber(), date: today() },
        });
        expect(refusal.code).toBe("DECISION_MISSING");
        expect((await t.gql(MEASURE, { id: vehicle.id }, token)).data.measure.status).toBe("EFFECTIVE");
      },
    );
  },
);

describe("maximum periods and kinds (民诉法解释 2022 art. 485)", () => {
  it("民诉法解释 2022 art. 485: a 13-month freeze of bank deposits is refused PERIOD_TOO_LONG before any routing", async () => {
    const startsOn = today();
    const expiresOn = lastDayOfPeriod(startsOn, 13);
    const refusal = await refusedWithoutTrace(ORDER_MEASURE, {
      ...flatSeal(),
      kind: "FREEZE",
      assetId: undefined,
      asset: { agency: "TAX", identifier: "6217000000000000001", category: "DEPOSIT", value: "50000" },
      expiresOn,
    });
    expect(refusal).toMatchObject({
      code: "PERIOD_TOO_LONG",
      maximumMonths: 12,
      startDate: startsOn,
      endDate: expiresOn,
      latestEndDate: lastDayOfPeriod(startsOn, 12),
    });
  });

  it(
    "民诉法解释 2022 art. 485: a seal of real estate one day past 36 " + "months is refused PERIOD_TOO_LONG; exactly 36 months is accepted",
    async () => {
      const latest = lastDayOfPeriod(today(), 36);
      const refusal = await refusedWithoutTrace(ORDER_MEASURE, flatSeal({ expiresOn: addDays(latest, 1) }));
      expect(refusal).toMatchObject({ code: "PERIOD_TOO_LONG", maximumMonths: 36, latestEndDate: latest });
      // The sandbox registry applies the same limit (same counting, domain/measures/periodDates.ts) and registers it.
      const sealed = await orderInForce(flatSeal({ expiresOn: latest }));
      expect(sealed).toMatchObject({ status: "EFFECTIVE", rank: 1, expiresOn: latest });
    },
  );

  it("民诉法解释 2022 art. 485 (cf. 民事诉讼法 art. 253, 255): a seizure of a flat, a freeze of a car, are refused KIND_NOT_APPLICABLE", async () => {
    const seize = await refusedWithoutTrace(ORDER_MEASURE, flatSeal({ kind: "SEIZE" }));
    expect(seize).toMatchObject({ code: "KIND_NOT_APPLICABLE", kind: "SEIZE", category: "REAL_ESTATE", allowedCategories: ["MOVABLE"] });
    const freeze = await refusedWithoutTrace(
      ORDER_MEASURE,
      flatSeal({ kind: "FREEZE", assetId: mainCase.assetIds.get(main.vehicle.plate) }),
    );
    expect(freeze).toMatchObject({ code: "KIND_NOT_APPLICABLE", kind: "FREEZE", category: "MOVABLE" });
  });

  it("a valid 12-month freeze of deposits is refused AGENCY_CANNOT_CONTROL by every agency but those holding money", async () => {
    // The period guard is satisfied (12 months, 民诉法解释 art. 485), so the order reaches routing, where it
    // stops unless the agency freezes money on accounts: the bank, the provident fund centre, the payment institutions.
    const holdingMoney: readonly string[] = ["BANK", "PROVIDENT_FUND", "PAYMENT_PLATFORM"];
    for (const agency of AGENCY_KINDS.filter((kind) => !holdingMoney.includes(kind))) {
      const refusal = await refusedWithoutTrace(ORDER_MEASURE, {
        ...flatSeal(),
        kind: "FREEZE",
        assetId: undefined,
        asset: { agency, identifier: "6217000000000000001", category: "DEPOSIT", value: "50000" },
        expiresOn: lastDayOfPeriod(today(), 12),
      });
      expect(refusal, agency).toMatchObject({ code: "AGENCY_CANNOT_CONTROL", agency });
    }
  });
});

describe("deductions never exceed what is frozen (民事诉讼法 2023 art. 253; Henan High Court supervision opinion, item 16)", () => {
  it("the guard (domain/measures/deduction.ts) refuses a deduction above the frozen balance, with the excess", () => {
    expect(checkDeduction("50000.00", "20000.00", "30000.01", "20000000.00")).toMatchObject({
      ok: false,
      code: "DEDUCTION_EXCEEDS_FROZEN",
      remaining: "30000.00",
      excess: "0.01",
    });
    expect(checkDeduction("50000.00", "20000.00", "30000.00", "20000000.00")).toEqual({ ok: true, remainingAfter: "0.00" });
  });

  it(
    "民事诉讼法 2023 art. 253: through GraphQL, a deduction above what the case holds frozen on the account " +
      "is refused DEDUCTION_EXCEEDS_FROZEN, saying by how much",
    async () => {
      const deduction = (value: string) => ({
        ...flatSeal(),
        kind: "DEDUCT",
        assetId: mainCase.assetIds.get(main.account.accountNumber),
        value,
      });
      // Nothing frozen yet: nothing may be deducted.
      expect(await refusedWithoutTrace(ORDER_MEASURE, deduction("0.01"))).toMatchObject({
        code: "DEDUCTION_EXCEEDS_FROZEN",
        remaining: "0.00",
        excess: "0.01",
      });
      const frozen = await orderInForce({
        ...flatSeal(),
        kind: "FREEZE",
        assetId: mainCase.assetIds.get(main.account.accountNumber),
        value: "30000.00",
        expiresOn: lastDayOfPeriod(today(), 12),
      });
      expect(frozen).toMatchObject({ status: "EFFECTIVE", agency: "BANK", value: "30000.00" });
      expect(await refusedWithoutTrace(ORDER_MEASURE, deduction("30000.01"))).toMatchObject({
        code: "DEDUCTION_EXCEEDS_FROZEN",
        remaining: "30000.00",
        requested: "30000.01",
        excess: "0.01",
      });
      // Deductions answered count against the freeze: 10,000 deducted leaves 20,000.
      expect(await orderInForce(deduction("10000.00"))).toMatchObject({ status: "EFFECTIVE", kind: "DEDUCT" });
      expect(await refusedWithoutTrace(ORDER_MEASURE, deduction("20000.01"))).toMatchObject({
        code: "DEDUCTION_EXCEEDS_FROZEN",
        remaining: "20000.00",
        excess: "0.01",
      });
    },
  );
  it(
    "民事诉讼法 2023 art. 253 para. 1: through GraphQL, a deduction above what is still owed is refused " +
      "DEDUCTION_EXCEEDS_OUTSTANDING, though the freeze holds more",
    async () => {
      const account = owingCase.assetIds.get(owing.account.accountNumber);
      const onAccount = (kind: string, value: string, extra: Record<string, unknown> = {}) => ({
        ...flatSeal({}, owingCase),
        kind,
        assetId: account,
        value,
        ...extra,
      });
      // 12,000 is the claim plus the 20 % tolerance: allowed as a freeze, but only 10,000 is owed.
      expect(await orderInForce(onAccount("FREEZE", "12000.00", { expiresOn: lastDayOfPeriod(today(), 12) }))).toMatchObject({
        status: "EFFECTIVE",
        value: "12000.00",
      });
      expect(await refusedWithoutTrace(ORDER_MEASURE, onAccount("DEDUCT", "10000.01"))).toMatchObject({
        code: "DEDUCTION_EXCEEDS_OUTSTANDING",
        outstanding: "10000.00",
        requested: "10000.01",
        excess: "0.01",
      });
      expect(await orderInForce(onAccount("DEDUCT", "6000.00"))).toMatchObject({ status: "EFFECTIVE", kind: "DEDUCT" });
      // 6,000 paid leaves 4,000 owed, though 6,000 stays frozen.
      expect(await refusedWithoutTrace(ORDER_MEASURE, onAccount("DEDUCT", "4000.01"))).toMatchObject({
        code: "DEDUCTION_EXCEEDS_OUTSTANDING",
        outstanding: "4000.00",
        excess: "0.01",
      });
      expect(await orderInForce(onAccount("DEDUCT", "4000.00"))).toMatchObject({ status: "EFFECTIVE", kind: "DEDUCT" });
    },
  );
});

describe("no over-seizure (查扣冻规定 2020 art. 19: 不得明显超标的额查封、扣押、冻结)", () => {
  const limit = formatYuan((cents(SMALL_CLAIM) * 12n) / 10n); // claim plus the 20 % local-policy tolerance

  it("查扣冻规定 2020 art. 19: one cent over claim plus tolerance is refused OVER_SEIZURE with the excess 0.01", async () => {
    const refusal = await refusedWithoutTrace(
      ORDER_MEASURE,
      flatSeal({ value: formatYuan(cents(limit) + 1n) }, smallCase, small.flat.certificateNumber),
    );
    expect(refusal).toMatchObject({ code: "OVER_SEIZURE", excess: "0.01", limit, claimAndCosts: "10000.00" });
  });

  it("查扣冻规定 2020 art. 19: sealing a flat appraised far above a 10,000-yuan claim is refused OVER_SEIZURE with the figures", async () => {
    const appraisal = formatYuan(cents(small.flat.appraisal));
    const refusal = await refusedWithoutTrace(ORDER_MEASURE, flatSeal({}, smallCase, small.flat.certificateNumber));
    expect(refusal).toMatchObject({
      code: "OVER_SEIZURE",
      valueInForce: appraisal,
      limit,
      excess: formatYuan(cents(appraisal) - cents(limit)),
      excessOverClaimAndCosts: formatYuan(cents(appraisal) - cents(SMALL_CLAIM)),
    });
  });

  it("查扣冻规定 2020 art. 19 (但该财产为不可分物且被执行人无其他可供执行的财产): an override lacking a condition is refused OVERRIDE_NOT_JUSTIFIED", async () => {
    const refusal = await refusedWithoutTrace(
      ORDER_MEASURE,
      flatSeal({ override: { indivisible: true, noOtherProperty: false, reason: "  " } }, smallCase, small.flat.certificateNumber),
    );
    expect(refusal).toMatchObject({ code: "OVERRIDE_NOT_JUSTIFIED", missing: ["noOtherProperty", "reason"], limit });
  });

  it("查扣冻规定 2020 art. 19: an indivisible flat of a debtor with nothing else may be sealed whole; the reason is recorded", async () => {
    const reason = "该房产为不可分物，被执行人无其他可供执行的财产";
    const sealed = await orderInForce(
      flatSeal({ override: { indivisible: true, noOtherProperty: true, reason: `  ${reason} ` } }, smallCase, small.flat.certificateNumber),
    );
    expect(sealed).toMatchObject({ status: "EFFECTIVE", overrideReason: reason, value: formatYuan(cents(small.flat.appraisal)) });
    expect(sealed.agencyReference).toMatch(/^不动产查封登记\(\d{4}\)第\d{6}号$/);
    const trail = await auditTrail(t, token, smallCase.caseNumber);
    const ordered = trail.find((row) => row.action === "MEASURE_ORDERED" && row.subjectId === sealed.id);
    expect(ordered?.detail).toMatchObject({ overridden: true, overrideReason: reason, kind: "SEAL", asset: small.flat.certificateNumber });
  });

  it("查扣冻规定 2020 art. 19 and art. 28 item 4: counted net of deductions (划拨), allowed at the limit, refused one cent above", async () => {
    const debtor = debtorWith({ vehicle: true, account: { balance: "50000" } });
    const c = await registerCase(t, token, { debtor: debtor.idNumber, claimAmount: "100000" });
    const accountId = c.assetIds.get(debtor.account.accountNumber);
    const bankOrder = { ...flatSeal({}, c), assetId: accountId, expiresOn: lastDayOfPeriod(today(), 12) };
    expect(await orderInForce({ ...bankOrder, kind: "FREEZE", value: "50000.00" })).toMatchObject({ status: "EFFECTIVE" });
    expect(await orderInForce({ ...bankOrder, kind: "DEDUCT", value: "20000.00" })).toMatchObject({ status: "EFFECTIVE" });
    // The freeze still holds 30,000 and 80,000 is still owed: limit 96,000, room for 66,000.00. Counted gross
    // (50,000 held against 100,000, limit 120,000) a seal worth 66,000.01 would have passed.
    const carSeal = (value: string) =>
      flatSeal({ assetId: c.assetIds.get(debtor.vehicle.plate), expiresOn: addDays(today(), 200), value }, c);
    expect(await refusedWithoutTrace(ORDER_MEASURE, carSeal("66000.01"))).toMatchObject({
      code: "OVER_SEIZURE",
      claimAndCosts: "100000.00",
      deducted: "20000.00",
      outstanding: "80000.00",
      valueInForce: "96000.01",
      limit: "96000.00",
      excess: "0.01",
      excessOverClaimAndCosts: "16000.01",
    });
    expect(await orderInForce(carSeal("66000.00"))).toMatchObject({ status: "EFFECTIVE", value: "66000.00" });
  });

  it("查扣冻规定 2020 art. 19: measures in force count together; two concurrent orders cannot both pass; a release frees room", async () => {
    const debtor = debtorWith({ flat: true, vehicle: true });
    const flat = cents(debtor.flat.appraisal);
    const car = cents(debtor.vehicle.valuation);
    // Either alone is within claim + 20 %; both together are not.
    const claimCents = ((((flat > car ? flat : car) * 10n + 11n) / 12n + 99n) / 100n) * 100n;
    const c = await registerCase(t, token, { debtor: debtor.idNumber, claimAmount: formatYuan(claimCents) });
    const flatOrder = flatSeal({}, c, debtor.flat.certificateNumber);
    const carOrder = flatSeal({ assetId: c.assetIds.get(debtor.vehicle.plate), expiresOn: addDays(today(), 200) }, c);
    const results = await Promise.all([
      t.gql(ORDER_MEASURE, { input: flatOrder }, token),
      t.gql(ORDER_MEASURE, { input: carOrder }, token),
    ]);
    const accepted = results.filter((r) => r.errors === undefined);
    const refused = results.filter((r) => r.errors !== undefined);
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const limitCents = (claimCents * 12n) / 10n;
    expect(refusalOf(refused[0])).toMatchObject({
      code: "OVER_SEIZURE",
      valueInForce: formatYuan(flat + car),
      excess: formatYuan(flat + car - limitCents),
    });

    const first = accepted[0].data.orderMeasure.measure;
    const inForce = await eventually(
      () => t.gql(MEASURE, { id: first.id }, token),
      (r) => r.data?.measure.status === "EFFECTIVE",
    );
    expect(inForce.data.measure.status).toBe("EFFECTIVE");
    const released = await t.gql(
      RELEASE_MEASURE,
      { input: { measureId: first.id, notice: { number: noticeNumber(), date: today() }, decision: panel(today()) } },
      token,
    );
    expect(released.errors).toBeUndefined();
    await eventually(
      () => t.gql(MEASURE, { id: first.id }, token),
      (r) => r.data?.measure.status === "RELEASED",
    );
    // Released, it holds nothing: the other asset may now be sealed.
    const other = results[0] === refused[0] ? flatOrder : carOrder;
    expect((await orderInForce(other)).status).toBe("EFFECTIVE");
  });
});

describe("renewal (民诉法解释 2022 art. 485 para. 2: 期限届满前办理续行; 查扣冻规定 2020 art. 27)", () => {
  let sealed: any;

  beforeAll(async () => {
    const debtor = debtorWith({ vehicle: true });
    const c = await registerCase(t, token, { debtor: debtor.idNumber, claimAmount: "20000000" });
    sealed = await orderInForce(flatSeal({ assetId: c.assetIds.get(debtor.vehicle.plate), expiresOn: addDays(today(), 40) }, c));
    expect(sealed.status).toBe("EFFECTIVE");
  }, 30_000);

  const renewal = (expiresOn: string, decision: unknown = panel(today())) => ({
    measureId: sealed.id,
    notice: { number: noticeNumber(), date: today() },
    decision,
    expiresOn,
  });

  it(
    "民诉法解释 2022 art. 485 para. 2 (续行期限不得超过前款规定的期限): renewing a vehicle seal for more than 24 months is " +
      "refused RENEWAL_TOO_LONG",
    async () => {
      const latest = lastDayOfPeriod(sealed.expiresOn, 24);
      const refusal = await refusedWithoutTrace(RENEW_MEASURE, renewal(addDays(latest, 1)));
      expect(refusal).toMatchObject({ code: "RENEWAL_TOO_LONG", maximumMonths: 24, expiresOn: sealed.expiresOn, latestExpiresOn: latest });
    },
  );

  it("民诉法解释 2022 art. 485 para. 2: a 'renewal' that does not extend the period is refused RENEWAL_NOT_EXTENDING", async () => {
    const refusal = await refusedWithoutTrace(RENEW_MEASURE, renewal(sealed.expiresOn));
    expect(refusal).toMatchObject({ code: "RENEWAL_NOT_EXTENDING", expiresOn: sealed.expiresOn });
  });

  it("Henan High Court supervision opinion, items 1 and 6: a renewal without a panel decision is refused DECISION_MISSING", async () => {
    const refusal = await refusedWithoutTrace(RENEW_MEASURE, renewal(addDays(sealed.expiresOn, 30), null));
    expect(refusal.code).toBe("DECISION_MISSING");
  });

  it("查扣冻规定 2020 art. 27 (期限届满 … 效力消灭): a renewal the day after the last day is refused RENEWAL_AFTER_EXPIRY", async () => {
    // The hub's clock moves past expiry; the expiry watch has not run, so the measure is still recorded
    // EFFECTIVE and it is the renewal guard that refuses (after the watch, MEASURE_NOT_IN_FORCE: measures-expiry.test.ts).
    const daysLeft = Math.round((Date.parse(sealed.expiresOn) - Date.parse(today())) / 86_400_000);
    offsetMs = (daysLeft + 1) * 86_400_000;
    try {
      const refusal = await refusedWithoutTrace(RENEW_MEASURE, renewal(addDays(sealed.expiresOn, 30)));
      expect(refusal).toMatchObject({
        code: "RENEWAL_AFTER_EXPIRY",
        expiresOn: sealed.expiresOn,
        renewalDate: addDays(sealed.expiresOn, 1),
      });
    } finally {
      offsetMs = 0;
    }
  });
});
