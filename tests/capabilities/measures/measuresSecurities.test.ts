/**
 * Shares and fund shares at the securities depository (证券登记结算): the first national inquiry finds every
 * position of the debtor, across the depository's pages of accounts; a freeze (冻结) of a position is another
 * property right's, at most 3 years (民诉法解释 2022 art. 485); a second court's freeze queues behind the first
 * (查扣冻规定 2020 art. 26) and takes effect on the depository's signed report once the first is released; the court
 * holding the freeze deducts (划拨) the proceeds of a forced sale within it (民事诉讼法 2023 art. 253), with the
 * guards of a deposit's deduction. Refusals write and send nothing. The depository is the sandbox's, with real state.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS_PER_PAGE } from "../../../connectors/securities-depository/connector.js";
import { todayInChina } from "../../../domain/calendarDate.js";
import { addDays, lastDayOfPeriod } from "../../../domain/measures/periodDates.js";
import { parseYuan } from "../../../domain/measures/yuan.js";
import { debtorProfile, type SecuritiesPosition } from "../../../sandbox/debtorProfile.js";
import { residentId } from "../../support/identities.js";
import {
  MEASURE,
  ORDER_MEASURE,
  RELEASE_MEASURE,
  REQUEST_INQUIRY,
  auditTrail,
  footprint,
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
const AGENCY = "SECURITIES_DEPOSITORY";

const cents = (yuan: string) => (parseYuan(yuan) as { cents: bigint }).cents;

/** A person whose accounts fill more than one of the depository's pages, with a stock no one has frozen or pledged. */
function debtorWithSecurities(): { idNumber: string; identifier: string; position: SecuritiesPosition; positions: number } {
  for (;;) {
    const idNumber = residentId();
    const accounts = debtorProfile(idNumber).securities;
    if (accounts.length <= ACCOUNTS_PER_PAGE) continue;
    for (const account of accounts) {
      const position = account.positions.find((p) => p.kind === "STOCK" && p.encumbrances.length === 0 && cents(p.marketValue) > 100_000n);
      if (position) {
        const positions = accounts.reduce((sum, a) => sum + a.positions.length, 0);
        return { idNumber, identifier: `${account.accountNumber}/${position.code}`, position, positions };
      }
    }
  }
}

const SECURITIES_OF = `query Inquiry($id: ID!) { inquiry(id: $id) { complete parts { agency status assets { id identifier estimatedValue
  ... on SecuritiesAsset { accountNumber market custodian securityCode securityName securityKind quantity unitPrice pricedOn
    marketValue }
  encumbrances { type byAuthority rank } } } } }`;
const CASE_SECURITIES = `query Case($caseNumber: String!) {
  case(caseNumber: $caseNumber) { inquiries(first: 1) { edges { node { id } } } } }`;

let t: TestHub;
const tokens: Record<string, string> = {};
const debtor = debtorWithSecurities();
const cases: Record<string, RegisteredCase> = {};
const ids: Record<string, string> = {};
const today = () => todayInChina();

beforeAll(async () => {
  t = await startTestHub();
  for (const court of [FIRST, SECOND]) {
    tokens[court] = await t.token(court);
    cases[court] = await registerCase(t, tokens[court], { court, debtor: debtor.idNumber, claimAmount: "50000000" });
  }
  await quiet(t);
}, 60_000);
afterAll(() => t?.close());

function order(court: string, overrides: Record<string, unknown> = {}) {
  return {
    caseNumber: cases[court].caseNumber,
    debtorIdNumber: debtor.idNumber,
    kind: "FREEZE",
    assetId: cases[court].assetIds.get(debtor.identifier),
    startsOn: today(),
    expiresOn: lastDayOfPeriod(today(), 36),
    notice: { number: noticeNumber(court), date: today() },
    decision: panel(today(), `（2024）${court}执${court === FIRST ? 31 : 32}号`),
    ...overrides,
  };
}

const measureOf = async (court: string, id: string) => (await t.gql(MEASURE, { id }, tokens[court])).data?.measure;
const untilStatus = (court: string, id: string, status: string) =>
  eventually(
    () => measureOf(court, id),
    (m) => m?.status === status,
  );

async function ordered(court: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const result = await t.gql(ORDER_MEASURE, { input: order(court, overrides) }, tokens[court]);
  expect(result.errors).toBeUndefined();
  return result.data.orderMeasure.measure.id;
}

/** The refusal of an order or a release, which must leave no measure, request or audit row, and send nothing. */
async function refusedWithoutTrace(court: string, mutation: string, input: Record<string, unknown>): Promise<Record<string, any>> {
  await quiet(t);
  const before = await footprint(t);
  const extensions = refusalOf(await t.gql(mutation, { input }, tokens[court]));
  await quiet(t);
  expect(await footprint(t)).toEqual(before);
  return extensions;
}

/** The depository's answer to a new inquiry by `court`: the position as it stands now. */
async function positionSeenBy(court: string): Promise<Record<string, any>> {
  const requested = await t.gql(
    REQUEST_INQUIRY,
    { input: { caseNumber: cases[court].caseNumber, debtorIdNumber: debtor.idNumber, purpose: "查看证券持仓", agencies: [AGENCY] } },
    tokens[court],
  );
  expect(requested.errors).toBeUndefined();
  const done = await eventually(
    () => t.gql(SECURITIES_OF, { id: requested.data.requestInquiry.id }, tokens[court]),
    (r) => r.data?.inquiry.complete === true,
  );
  return done.data.inquiry.parts[0].assets.find((a: any) => a.identifier === debtor.identifier);
}

describe("securities and fund shares at the depository", () => {
  it("the first national inquiry finds every position, across the depository's pages, as typed securities", async () => {
    const inquiry = (await t.gql(CASE_SECURITIES, { caseNumber: cases[FIRST].caseNumber }, tokens[FIRST])).data.case.inquiries.edges[0];
    const found = await t.gql(SECURITIES_OF, { id: inquiry.node.id }, tokens[FIRST]);
    const part = found.data.inquiry.parts.find((p: any) => p.agency === AGENCY);
    expect(part.status).toBe("ANSWERED");
    expect(part.assets).toHaveLength(debtor.positions);
    const [accountNumber, securityCode] = debtor.identifier.split("/");
    expect(part.assets.find((a: any) => a.identifier === debtor.identifier)).toMatchObject({
      accountNumber,
      securityCode,
      securityName: debtor.position.name,
      securityKind: "STOCK",
      quantity: debtor.position.quantity,
      unitPrice: debtor.position.unitPrice,
      marketValue: debtor.position.marketValue,
      estimatedValue: debtor.position.marketValue,
      encumbrances: [],
    });
  });

  it("民诉法解释 2022 art. 485: a freeze one day past 36 months is refused PERIOD_TOO_LONG, nothing sent", async () => {
    const latest = lastDayOfPeriod(today(), 36);
    expect(await refusedWithoutTrace(FIRST, ORDER_MEASURE, order(FIRST, { expiresOn: addDays(latest, 1) }))).toMatchObject({
      code: "PERIOD_TOO_LONG",
      maximumMonths: 36,
      latestEndDate: latest,
    });
  });

  it("shares are frozen, not sealed: a SEAL is refused KIND_NOT_APPLICABLE, nothing sent", async () => {
    expect(await refusedWithoutTrace(FIRST, ORDER_MEASURE, order(FIRST, { kind: "SEAL" }))).toMatchObject({
      code: "KIND_NOT_APPLICABLE",
      kind: "SEAL",
      category: "OTHER_PROPERTY_RIGHT",
    });
  });

  it("民事诉讼法 2023 art. 253: nothing is deducted from a position the case holds no freeze on, nothing sent", async () => {
    const deduct = order(FIRST, { kind: "DEDUCT", value: "100.00", expiresOn: today() });
    expect(await refusedWithoutTrace(FIRST, ORDER_MEASURE, deduct)).toMatchObject({ code: "DEDUCTION_EXCEEDS_FROZEN", remaining: "0.00" });
  });

  it("the first court's 36-month freeze holds the market value and takes effect with the depository's freeze number", async () => {
    ids[FIRST] = await ordered(FIRST);
    const frozen = await untilStatus(FIRST, ids[FIRST], "EFFECTIVE");
    expect(frozen).toMatchObject({
      agency: AGENCY,
      assetIdentifier: debtor.identifier,
      assetCategory: "OTHER_PROPERTY_RIGHT",
      value: debtor.position.marketValue,
      rank: 1,
      expiresOn: lastDayOfPeriod(today(), 36),
    });
    expect(frozen.agencyReference).toMatch(/^证券冻结登记\(\d{4}\)第\d{6}号$/);
  });

  it("a second court's freeze of the same position queues at rank 2, and may not deduct while it waits, nothing sent", async () => {
    ids[SECOND] = await ordered(SECOND);
    expect(await untilStatus(SECOND, ids[SECOND], "QUEUED")).toMatchObject({ rank: 2, agencyReference: null });
    const deduct = order(SECOND, { kind: "DEDUCT", value: "100.00", expiresOn: today() });
    expect(await refusedWithoutTrace(SECOND, ORDER_MEASURE, deduct)).toMatchObject({ code: "DEDUCTION_EXCEEDS_FROZEN" });
  });

  it("a deduction above the freeze is refused saying by how much, nothing sent", async () => {
    const over = (cents(debtor.position.marketValue) + 1n).toString();
    const value = `${over.slice(0, -2)}.${over.slice(-2)}`;
    const deduct = order(FIRST, { kind: "DEDUCT", value, expiresOn: today() });
    expect(await refusedWithoutTrace(FIRST, ORDER_MEASURE, deduct)).toMatchObject({
      code: "DEDUCTION_EXCEEDS_FROZEN",
      remaining: debtor.position.marketValue,
      excess: "0.01",
    });
  });

  it("the freezing court deducts sale proceeds within its freeze; the depository's next answer shows the shares sold", async () => {
    const deduction = await ordered(FIRST, { kind: "DEDUCT", value: "100.00", expiresOn: today() });
    const done = await untilStatus(FIRST, deduction, "EFFECTIVE");
    expect(done).toMatchObject({ kind: "DEDUCT", value: "100.00" });
    expect(done.agencyReference).toMatch(/^证券划拨登记\(\d{4}\)第\d{6}号$/);
    const after = await positionSeenBy(FIRST);
    expect(Number(after.quantity)).toBeLessThan(Number(debtor.position.quantity));
    expect(cents(after.marketValue)).toBeLessThanOrEqual(cents(debtor.position.marketValue) - 10_000n);
    expect(after.encumbrances.map((e: any) => [e.type, e.byAuthority, e.rank])).toEqual([
      ["FREEZE", FIRST, 1],
      ["FREEZE", SECOND, 2],
    ]);
    // A deduction is final: there is nothing to release.
    const release = {
      measureId: deduction,
      notice: { number: noticeNumber(FIRST), date: today() },
      decision: panel(today(), "（2024）豫0225执31号之二"),
    };
    expect(await refusedWithoutTrace(FIRST, RELEASE_MEASURE, release)).toMatchObject({ code: "DEDUCTION_FINAL" });
  });

  it("released by the first court, the queued freeze takes effect on the depository's signed report", async () => {
    const released = await t.gql(
      RELEASE_MEASURE,
      {
        input: {
          measureId: ids[FIRST],
          notice: { number: noticeNumber(FIRST), date: today() },
          decision: panel(today(), "（2024）豫0225执31号之三"),
        },
      },
      tokens[FIRST],
    );
    expect(released.errors).toBeUndefined();
    await untilStatus(FIRST, ids[FIRST], "RELEASED");
    const effective = await untilStatus(SECOND, ids[SECOND], "EFFECTIVE");
    expect(effective.rank).toBe(1);
    expect(effective.agencyReference).toMatch(/^证券冻结登记\(\d{4}\)第\d{6}号$/);
  });

  it("each case's audit trail holds its orders and, for the second, the taking effect as the depository's act", async () => {
    await t.hub.sealAudit();
    const first = await auditTrail(t, tokens[FIRST], cases[FIRST].caseNumber);
    expect(first.filter((r) => r.subjectId === ids[FIRST]).map((r) => r.action)).toEqual(["MEASURE_ORDERED", "MEASURE_RELEASE_ORDERED"]);
    expect(first.filter((r) => r.action === "MEASURE_ORDERED" && r.detail.kind === "DEDUCT")).toHaveLength(1);
    const second = await auditTrail(t, tokens[SECOND], cases[SECOND].caseNumber);
    expect(second.find((r) => r.action === "MEASURE_TOOK_EFFECT" && r.subjectId === ids[SECOND])).toMatchObject({
      actorOrg: AGENCY,
      detail: { kind: "FREEZE", asset: debtor.identifier },
    });
  });
});
