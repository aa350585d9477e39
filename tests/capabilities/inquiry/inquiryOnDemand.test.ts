/**
 * Inquiries asked for by the case system (ON_DEMAND), on both channels: the
 * national one (总对总) and the local one (点对点), routed by the longest
 * configured division-code prefix; cursor pagination of a case's inquiries and
 * of a court's cases; the `agencies` query; and an organisation debtor end to end.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { debtorProfile } from "../../../sandbox/debtorProfile.js";
import { caseNumber, creditCode, residentId } from "../../support/identities.js";
import { CASE_INQUIRIES, REGISTER_CASE, eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const REQUEST_INQUIRY = `mutation Inquire($input: InquiryRequestInput!) {
  requestInquiry(input: $input) { id channel trigger purpose requestedBy openParts complete debtor { idNumber } case { caseNumber }
    parts { id agency channel endpoint status } }
}`;
const INQUIRY = `query Inquiry($id: ID!) {
  inquiry(id: $id) { id channel trigger complete openParts completedAt
    parts { agency channel endpoint status error assets { __typename identifier ... on RealEstateAsset { certificateNumber } }
      identity { name } tax { registered } } }
}`;
const INQUIRY_PAGE = `query Page($caseNumber: String!, $first: Int, $after: String) {
  case(caseNumber: $caseNumber) { inquiries(first: $first, after: $after) { edges { cursor node { id trigger } } pageInfo {
    hasNextPage endCursor } } }
}`;
const CASE_PAGE = `query Cases($first: Int, $after: String, $courtCode: String) {
  cases(first: $first, after: $after, courtCode: $courtCode) { edges { cursor node { caseNumber } } pageInfo { hasNextPage endCursor } }
}`;

let t: TestHub;
let officer: string;

/** A person whose flats lie both inside Kaifeng (4102) and elsewhere in Henan, so the channels' reach differs visibly. */
const person = (() => {
  for (;;) {
    const idNumber = residentId();
    const { flats } = debtorProfile(idNumber);
    const inKaifeng = flats.filter((f) => f.divisionCode.startsWith("4102"));
    if (inKaifeng.length > 0 && inKaifeng.length < flats.length) return { idNumber, flats };
  }
})();
const personCase = caseNumber();

beforeAll(async () => {
  t = await startTestHub();
  officer = await t.token("豫0225");
  const registered = await t.gql(
    REGISTER_CASE,
    {
      input: {
        caseNumber: personCase,
        creditorName: "开封农商银行",
        claimAmount: "500000",
        debtors: [{ kind: "PERSON", idNumber: person.idNumber, name: "赵六" }],
      },
    },
    officer,
  );
  expect(registered.errors).toBeUndefined();
});
afterAll(() => t?.close());

const inquire = (input: Record<string, unknown>) =>
  t.gql(
    REQUEST_INQUIRY,
    { input: { caseNumber: personCase, debtorIdNumber: person.idNumber, purpose: "发现新线索后补充查询", ...input } },
    officer,
  );

/** Waits until every part of the inquiry has a final answer. */
const completed = (id: string) =>
  eventually(
    () => t.gql(INQUIRY, { id }, officer),
    (r) => r.data?.inquiry.complete === true,
  ).then((r) => r.data.inquiry);

const certificates = (part: any) => part.assets.map((a: any) => a.certificateNumber).sort();

describe("requestInquiry on the national channel", () => {
  it("asks only the agencies named, records who asked and why, and the national registry reports every flat", async () => {
    // Slow agencies for this one request, so that the answer provably comes back before they do.
    const slowed = (["PROPERTY_REGISTRY", "VEHICLE_REGISTRY"] as const).map((kind) => t.sandbox.agencies[kind].knobs);
    for (const knobs of slowed) knobs.latencyMs = 400;
    const requested = await inquire({
      channel: "NATIONAL",
      agencies: ["PROPERTY_REGISTRY", "VEHICLE_REGISTRY", "PROPERTY_REGISTRY"],
    }).finally(() => {
      for (const knobs of slowed) knobs.latencyMs = 30;
    });
    expect(requested.errors).toBeUndefined();
    const inquiry = requested.data.requestInquiry;
    expect(inquiry).toMatchObject({
      channel: "NATIONAL",
      trigger: "ON_DEMAND",
      purpose: "发现新线索后补充查询",
      requestedBy: "豫0225-officer",
      debtor: { idNumber: person.idNumber },
      case: { caseNumber: personCase },
    });
    // A kind named twice is asked once.
    expect(inquiry.parts.map((p: any) => p.agency).sort()).toEqual(["PROPERTY_REGISTRY", "VEHICLE_REGISTRY"]);
    expect(inquiry.parts.every((p: any) => p.channel === "NATIONAL" && p.endpoint === "national")).toBe(true);
    // Returned as soon as recorded, without waiting for the agencies.
    expect(inquiry.openParts).toBe(2);
    expect(inquiry.complete).toBe(false);

    const done = await completed(inquiry.id);
    expect(done.openParts).toBe(0);
    expect(done.completedAt).toBeTruthy();
    expect(done.parts.map((p: any) => p.status)).toEqual(["ANSWERED", "ANSWERED"]);
    const property = done.parts.find((p: any) => p.agency === "PROPERTY_REGISTRY");
    expect(certificates(property)).toEqual(person.flats.map((f) => f.certificateNumber).sort());
  });

  it("with no agencies named, asks every agency the national channel serves", async () => {
    const requested = await inquire({});
    expect(requested.errors).toBeUndefined();
    // The channel defaults to NATIONAL.
    expect(requested.data.requestInquiry.channel).toBe("NATIONAL");
    expect(requested.data.requestInquiry.parts.map((p: any) => p.agency).sort()).toEqual([
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
    const done = await completed(requested.data.requestInquiry.id);
    expect(done.parts.every((p: any) => p.status === "ANSWERED")).toBe(true);
    expect(done.parts.find((p: any) => p.agency === "POLICE").identity.name).toBeTruthy();
  });
});

describe("requestInquiry on the local channel", () => {
  it(
    "defaults to the court's division (410225): Kaifeng's own " + "property registry (local:4102), Henan's (local:41) for the rest",
    async () => {
      const requested = await inquire({ channel: "LOCAL" });
      expect(requested.errors).toBeUndefined();
      const endpoints = Object.fromEntries(requested.data.requestInquiry.parts.map((p: any) => [p.agency, p.endpoint]));
      expect(endpoints).toEqual({
        PROPERTY_REGISTRY: "local:4102",
        VEHICLE_REGISTRY: "local:41",
        POLICE: "local:41",
        TAX: "local:41",
        CREDIT_PLATFORM: "local:41",
        BANK: "local:41",
        MARKET_REGULATION: "local:41",
        CIVIL_AFFAIRS: "local:41",
        SECURITIES_DEPOSITORY: "local:41",
        SOCIAL_INSURANCE: "local:41",
        PROVIDENT_FUND: "local:41",
        PAYMENT_PLATFORM: "local:41",
      });
      const done = await completed(requested.data.requestInquiry.id);
      expect(done.parts.every((p: any) => p.channel === "LOCAL" && p.status === "ANSWERED")).toBe(true);
      // A local office holds only its own division's records: Kaifeng's registry reports the Kaifeng flats only.
      const property = done.parts.find((p: any) => p.agency === "PROPERTY_REGISTRY");
      expect(certificates(property)).toEqual(
        person.flats
          .filter((f) => f.divisionCode.startsWith("4102"))
          .map((f) => f.certificateNumber)
          .sort(),
      );
      expect(property.assets.length).toBeLessThan(person.flats.length);
    },
  );

  it(
    "a division outside Kaifeng (Zhengzhou, 410100) falls back to Henan's registry (local:41), which " +
      "holds all the debtor's Henan flats",
    async () => {
      const requested = await inquire({ channel: "LOCAL", divisionCode: "410100", agencies: ["PROPERTY_REGISTRY"] });
      expect(requested.errors).toBeUndefined();
      expect(requested.data.requestInquiry.parts.map((p: any) => [p.agency, p.endpoint])).toEqual([["PROPERTY_REGISTRY", "local:41"]]);
      const done = await completed(requested.data.requestInquiry.id);
      expect(done.parts[0].status).toBe("ANSWERED");
      expect(certificates(done.parts[0])).toEqual(person.flats.map((f) => f.certificateNumber).sort());
    },
  );
});

describe("cursor pagination", () => {
  it("pages through a case's inquiries, oldest first, with hasNextPage and endCursor", async () => {
    const everything = (await t.gql(INQUIRY_PAGE, { caseNumber: personCase, first: 100 }, officer)).data.case.inquiries;
    // The registration inquiry plus the four asked for above (tests in a file run in order).
    expect(everything.edges).toHaveLength(5);
    expect(everything.edges[0].node.trigger).toBe("REGISTRATION");
    expect(everything.edges.slice(1).every((e: any) => e.node.trigger === "ON_DEMAND")).toBe(true);
    expect(everything.pageInfo).toEqual({ hasNextPage: false, endCursor: everything.edges[4].cursor });

    const seen: string[] = [];
    const pages: boolean[] = [];
    let after: string | undefined;
    for (;;) {
      const page = (await t.gql(INQUIRY_PAGE, { caseNumber: personCase, first: 2, after }, officer)).data.case.inquiries;
      seen.push(...page.edges.map((e: any) => e.node.id));
      pages.push(page.pageInfo.hasNextPage);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1).cursor);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toEqual([true, true, false]);
    expect(seen).toEqual(everything.edges.map((e: any) => e.node.id));
  });

  it("pages through a court's cases, and an empty page past the end has no endCursor", async () => {
    // A court of its own (豫0205, Kaifeng's 顺河区 court), so that only this test's cases are in it.
    const court = "豫0205";
    const courtOfficer = await t.token(court);
    const numbers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const number = caseNumber(court);
      const registered = await t.gql(
        REGISTER_CASE,
        {
          input: {
            caseNumber: number,
            creditorName: "债权人",
            claimAmount: `${1000 + i}`,
            debtors: [{ kind: "PERSON", idNumber: residentId(), name: "某" }],
          },
        },
        courtOfficer,
      );
      expect(registered.errors).toBeUndefined();
      expect(registered.data.registerCase.case.divisionCode).toBe("410205");
      numbers.push(number);
    }
    const seen: string[] = [];
    const hasNext: boolean[] = [];
    let after: string | null = null;
    for (;;) {
      const result: any = await t.gql(CASE_PAGE, { first: 2, after }, courtOfficer);
      expect(result.errors).toBeUndefined();
      const page = result.data.cases;
      seen.push(...page.edges.map((e: any) => e.node.caseNumber));
      hasNext.push(page.pageInfo.hasNextPage);
      if (!page.pageInfo.hasNextPage) {
        after = page.pageInfo.endCursor;
        break;
      }
      after = page.pageInfo.endCursor;
    }
    expect(hasNext).toEqual([true, true, false]);
    expect(seen).toEqual(numbers);
    const past = await t.gql(CASE_PAGE, { first: 2, after }, courtOfficer);
    expect(past.data.cases).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });

    // The officer of 豫0225 sees only 豫0225's case; their prefecture's supervisor (豫02) may list 豫0205's.
    const own = await t.gql(CASE_PAGE, { first: 100 }, officer);
    expect(own.data.cases.edges.map((e: any) => e.node.caseNumber)).toEqual([personCase]);
    const supervisor = await t.token("豫02", ["SUPERVISOR"], "command-centre");
    const listed = await t.gql(CASE_PAGE, { first: 100, courtCode: court }, supervisor);
    expect(listed.data.cases.edges.map((e: any) => e.node.caseNumber)).toEqual(numbers);
  });
});

describe("agencies", () => {
  it("lists every agency kind, its protocol, and the channels that reach it", async () => {
    const result = await t.gql(`{ agencies { kind protocol national localPrefixes } }`, {}, officer);
    expect(result.errors).toBeUndefined();
    const byKind = Object.fromEntries(result.data.agencies.map((a: any) => [a.kind, a]));
    expect(Object.keys(byKind).sort()).toEqual([
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
    expect(byKind.PROPERTY_REGISTRY.localPrefixes.sort()).toEqual(["41", "4102"]);
    const local41 = [
      "VEHICLE_REGISTRY",
      "POLICE",
      "TAX",
      "CREDIT_PLATFORM",
      "BANK",
      "MARKET_REGULATION",
      "CIVIL_AFFAIRS",
      "PROVIDENT_FUND",
      "SECURITIES_DEPOSITORY",
      "SOCIAL_INSURANCE",
      "PAYMENT_PLATFORM",
    ];
    for (const kind of local41) expect(byKind[kind].localPrefixes).toEqual(["41"]);
    expect(result.data.agencies.every((a: any) => a.national === true)).toBe(true);
    expect(byKind.POLICE.protocol).toMatch(/SOAP/);
    expect(byKind.PROPERTY_REGISTRY.protocol).toMatch(/JSON/);
  });
});

describe("an organisation debtor (unified social credit code)", () => {
  it("is registered without sex or birth date, queried at every agency, and the police answer with no identity", async () => {
    const code = creditCode();
    const profile = debtorProfile(code);
    const number = caseNumber();
    const registered = await t.gql(
      REGISTER_CASE,
      {
        input: {
          caseNumber: number,
          creditorName: "开封农商银行",
          claimAmount: "2000000",
          debtors: [{ kind: "ORGANISATION", idNumber: code, name: "开封某商贸有限公司" }],
        },
      },
      officer,
    );
    expect(registered.errors).toBeUndefined();
    expect(registered.data.registerCase.case.debtors).toEqual([
      { id: expect.any(String), kind: "ORGANISATION", idNumber: code, name: "开封某商贸有限公司", sex: null, birthDate: null },
    ]);
    const first = await eventually(
      () => t.gql(CASE_INQUIRIES, { caseNumber: number }, officer),
      (r) => r.data?.case.inquiries.edges[0]?.node.complete === true,
    );
    const parts = first.data.case.inquiries.edges[0].node.parts;
    expect(parts.map((p: any) => [p.agency, p.status])).toEqual([
      ["BANK", "ANSWERED"],
      ["CIVIL_AFFAIRS", "ANSWERED"],
      ["CREDIT_PLATFORM", "ANSWERED"],
      ["MARKET_REGULATION", "ANSWERED"],
      ["PAYMENT_PLATFORM", "ANSWERED"],
      ["POLICE", "ANSWERED"],
      ["PROPERTY_REGISTRY", "ANSWERED"],
      ["PROVIDENT_FUND", "ANSWERED"],
      ["SECURITIES_DEPOSITORY", "ANSWERED"],
      ["SOCIAL_INSURANCE", "ANSWERED"],
      ["TAX", "ANSWERED"],
      ["VEHICLE_REGISTRY", "ANSWERED"],
    ]);
    // Household registration is for persons: the police answer "not applicable", an answer with nothing in it.
    const police = parts.find((p: any) => p.agency === "POLICE");
    expect(police.identity).toBeNull();
    expect(police.assets).toEqual([]);
    const property = parts.find((p: any) => p.agency === "PROPERTY_REGISTRY");
    expect(property.assets.map((a: any) => a.certificateNumber).sort()).toEqual(profile.flats.map((f) => f.certificateNumber).sort());
    expect(parts.find((p: any) => p.agency === "TAX").tax.registered).toBe(profile.tax.registered);

    // On demand too, with the code typed in lower case: credit codes are matched case-insensitively.
    const again = await t.gql(
      REQUEST_INQUIRY,
      {
        input: {
          caseNumber: number,
          debtorIdNumber: code.toLowerCase(),
          purpose: "核查企业财产",
          channel: "LOCAL",
          agencies: ["TAX", "POLICE"],
        },
      },
      officer,
    );
    expect(again.errors).toBeUndefined();
    expect(again.data.requestInquiry.debtor.idNumber).toBe(code);
    const done = await completed(again.data.requestInquiry.id);
    expect(done.parts.map((p: any) => [p.agency, p.endpoint, p.status])).toEqual([
      ["POLICE", "local:41", "ANSWERED"],
      ["TAX", "local:41", "ANSWERED"],
    ]);
    expect(done.parts[0].identity).toBeNull();
  });
});
