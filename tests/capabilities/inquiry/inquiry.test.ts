import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { debtorProfile } from "../../../sandbox/debtorProfile.js";
import { caseNumber, residentId } from "../../support/identities.js";
import { CASE_INQUIRIES, REGISTER_CASE, eventually, startTestHub, type TestHub } from "../../support/testHub.js";

let t: TestHub;
let token: string;

beforeAll(async () => {
  t = await startTestHub();
  token = await t.token("豫0225");
});
afterAll(() => t?.close());

/** A debtor the sandbox gives at least one flat and one car, so findings are not vacuous. */
function debtorWithAssets(): string {
  for (;;) {
    const id = residentId();
    const profile = debtorProfile(id);
    if (profile.flats.length > 0 && profile.vehicles.length > 0) return id;
  }
}

describe("first national inquiry (Henan High Court supervision opinion, item 2: 立案后应立即进行首次总对总查控)", () => {
  it("registering a case queries every national agency for each debtor and keeps typed results", async () => {
    const idNumber = debtorWithAssets();
    const number = caseNumber();
    const registered = await t.gql(
      REGISTER_CASE,
      {
        input: {
          caseNumber: number,
          creditorName: "开封农商银行",
          claimAmount: "380000",
          debtors: [{ kind: "PERSON", idNumber, name: "李四" }],
        },
      },
      token,
    );
    expect(registered.errors).toBeUndefined();
    expect(registered.data.registerCase.created).toBe(true);
    expect(registered.data.registerCase.case.claimAmount).toBe("380000.00");

    const result = await eventually(
      () => t.gql(CASE_INQUIRIES, { caseNumber: number }, token),
      (r) => r.data?.case.inquiries.edges[0]?.node.complete === true,
    );
    const inquiry = result.data.case.inquiries.edges[0].node;
    expect(inquiry.trigger).toBe("REGISTRATION");
    expect(inquiry.parts.map((p: any) => p.agency).sort()).toEqual([
      "BANK",
      "CIVIL_AFFAIRS",
      "CREDIT_PLATFORM",
      "MARKET_REGULATION",
      "PAYMENT_PLATFORM",
      "POLICE",
      "PROPERTY_REGISTRY",
      "PROVIDENT_FUND",
      "SECURITIES_DEPOSITORY",
      "SOCIAL_INSURANCE",
      "TAX",
      "VEHICLE_REGISTRY",
    ]);
    expect(inquiry.parts.every((p: any) => p.status === "ANSWERED" && /^[0-9a-f]{64}$/.test(p.replyDigest))).toBe(true);

    const profile = debtorProfile(idNumber);
    const property = inquiry.parts.find((p: any) => p.agency === "PROPERTY_REGISTRY");
    expect(property.assets.map((a: any) => a.certificateNumber).sort()).toEqual(profile.flats.map((f) => f.certificateNumber).sort());
    expect(property.assets[0].__typename).toBe("RealEstateAsset");
    const vehicles = inquiry.parts.find((p: any) => p.agency === "VEHICLE_REGISTRY");
    expect(vehicles.ticket).toBeTruthy();
    expect(vehicles.assets.every((a: any) => a.__typename === "VehicleAsset" && a.vin.length === 17)).toBe(true);
    expect(inquiry.parts.find((p: any) => p.agency === "POLICE").identity.name).toBeTruthy();
    const equity = inquiry.parts.find((p: any) => p.agency === "MARKET_REGULATION");
    expect(equity.assets.map((a: any) => a.uscc).sort()).toEqual(profile.equities.map((e) => e.uscc).sort());
    expect(equity.assets.every((a: any) => a.__typename === "EquityAsset")).toBe(true);
    const securities = inquiry.parts.find((p: any) => p.agency === "SECURITIES_DEPOSITORY");
    expect(securities.assets.map((a: any) => a.identifier).sort()).toEqual(
      profile.securities.flatMap((a) => a.positions.map((p) => `${a.accountNumber}/${p.code}`)).sort(),
    );
    expect(securities.assets.every((a: any) => a.__typename === "SecuritiesAsset")).toBe(true);
    const income = inquiry.parts.find((p: any) => p.agency === "SOCIAL_INSURANCE");
    expect(income.assets.map((a: any) => a.payerCode).sort()).toEqual(profile.incomes.map((i) => i.payerCode).sort());
    expect(income.assets.every((a: any) => a.__typename === "IncomeSource")).toBe(true);
    const fund = inquiry.parts.find((p: any) => p.agency === "PROVIDENT_FUND");
    expect(fund.assets.map((a: any) => [a.__typename, a.accountNumber, a.balance])).toEqual(
      profile.providentFund.map((a) => ["ProvidentFundAccountAsset", a.accountNumber, a.balance]),
    );
    const payments = inquiry.parts.find((p: any) => p.agency === "PAYMENT_PLATFORM");
    expect(payments.assets.map((a: any) => [a.__typename, a.accountNumber, a.balance]).sort()).toEqual(
      profile.paymentAccounts.map((a) => ["PaymentAccountAsset", a.accountNumber, a.balance]).sort(),
    );
    const marriages = inquiry.parts.find((p: any) => p.agency === "CIVIL_AFFAIRS");
    expect(marriages.assets).toEqual([]);
    expect(marriages.marriages).toEqual(
      profile.marriages.map((m) => ({
        kind: m.kind,
        registeredOn: m.registeredOn,
        spouseName: m.spouseName,
        spouseIdNumber: m.spouseIdNumber,
      })),
    );
  });
});
