/**
 * A case's life through GraphQL: registered, concluded (终本) once the conditions of 法〔2016〕373号 are on record,
 * resumed as a 执恢 case that carries its debtor, assets, seal and list entry, then closed. Every refusal names the
 * state the case is in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInChina } from "../../../domain/calendarDate.js";
import { addDays, lastDayOfPeriod } from "../../../domain/measures/periodDates.js";
import {
  auditTrail,
  debtorWith,
  INQUIRY_ASSETS,
  MEASURE,
  noticeNumber,
  ORDER_MEASURE,
  panel,
  refusalOf,
  registerCase,
  RELEASE_MEASURE,
  RENEW_MEASURE,
  REQUEST_INQUIRY,
  type RegisteredCase,
} from "../../support/measures.js";
import { ENTRY_FIELDS, facts, LIST_DEBTOR } from "../../support/sanctions.js";
import { eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const CASE_FIELDS = `id caseNumber kind status originalCase { caseNumber status } resumedAs { caseNumber kind }
  history { event fromStatus toStatus actorCourt actorOfficer reason facts }
  debtors { idNumber } assets { id identifier } measures(first: 10) { edges { node { id status assetIdentifier expiresOn } } }`;
const CASE = `query Case($caseNumber: String!) { case(caseNumber: $caseNumber) { ${CASE_FIELDS} } }`;
const SUSPEND = `mutation S($caseNumber: String!, $reason: String!) { suspendCase(caseNumber: $caseNumber, reason: $reason) { status } }`;
const CONCLUDE = `mutation C($caseNumber: String!, $reason: String!, $conclusion: ConclusionInput!) {
  concludeCase(caseNumber: $caseNumber, reason: $reason, conclusion: $conclusion) { status } }`;
const RESUME = `mutation R($caseNumber: String!, $resumedCaseNumber: String!, $reason: String!) {
  resumeCase(caseNumber: $caseNumber, resumedCaseNumber: $resumedCaseNumber, reason: $reason) { ${CASE_FIELDS} } }`;
const CLOSE = `mutation X($caseNumber: String!, $reason: String!) { closeCase(caseNumber: $caseNumber, reason: $reason) { status } }`;
const ENTRIES = `query E($caseNumber: String!) { sanctionEntries(caseNumber: $caseNumber) { ${ENTRY_FIELDS} } }`;

let now = new Date();
const today = () => todayInChina(now);
let t: TestHub;
let officer: string;
let otherCourt: string;
let supervisor: string;
let original: RegisteredCase;
let sealId: string;
let entryId: string;
const debtor = debtorWith({ flat: true });
const resumedNumber = `（2024）豫0225执恢${Math.floor(Math.random() * 1_000_000) + 1}号`;

const conclusion = () => ({
  propertyInvestigation: "核查申请执行人提供的线索；网络执行查控系统查询存款、车辆、不动产",
  measuresTaken: "限制消费令；纳入失信被执行人名单；查封房产",
  creditorHeardOn: today(),
  creditorOpinion: "申请执行人同意终结本次执行程序",
});
const changeInput = (measureId: string) => ({ measureId, notice: { number: noticeNumber(), date: today() }, decision: panel(today()) });

beforeAll(async () => {
  t = await startTestHub({ clock: () => now });
  officer = await t.token("豫0225", ["CASE_OFFICER"], "officer-赵");
  otherCourt = await t.token("豫0223", ["CASE_OFFICER"], "officer-钱");
  supervisor = await t.token("豫", ["SUPERVISOR"], "supervisor-孙");
  original = await registerCase(t, officer, { debtor: debtor.idNumber, claimAmount: debtor.flat.appraisal });
  const ordered = await t.gql(
    ORDER_MEASURE,
    {
      input: {
        caseNumber: original.caseNumber,
        debtorIdNumber: debtor.idNumber,
        kind: "SEAL",
        assetId: original.assetIds.get(debtor.flat.certificateNumber),
        startsOn: today(),
        expiresOn: addDays(lastDayOfPeriod(today(), 36), -1),
        notice: { number: noticeNumber(), date: today() },
        decision: panel(today()),
      },
    },
    officer,
  );
  expect(ordered.errors).toBeUndefined();
  sealId = ordered.data.orderMeasure.measure.id;
  await eventually(
    () => t.gql(MEASURE, { id: sealId }, officer),
    (r) => r.data?.measure.status === "EFFECTIVE",
  );
  const listed = await t.gql(
    LIST_DEBTOR,
    { input: { ...facts(original.caseNumber, debtor.idNumber), ground: "VIOLATES_PROPERTY_REPORTING" } },
    officer,
  );
  expect(listed.errors).toBeUndefined();
  entryId = listed.data.listDishonestDebtor.entry.id;
});

afterAll(async () => {
  await t?.close();
});

describe("a case from registration to 终本, 执恢 and closure", () => {
  it("is registered in enforcement; only its own court moves it", async () => {
    expect((await t.gql(CASE, { caseNumber: original.caseNumber }, officer)).data.case).toMatchObject({
      status: "IN_ENFORCEMENT",
      history: [],
    });
    const suspend = (token: string) => t.gql(SUSPEND, { caseNumber: original.caseNumber, reason: "申请执行人申请" }, token);
    expect(refusalOf(await suspend(otherCourt))).toMatchObject({ code: "FORBIDDEN", reason: "OTHER_COURTS_CASE" });
    // Supervisors see the case but do not decide it.
    expect(refusalOf(await suspend(supervisor))).toMatchObject({ code: "FORBIDDEN", requiredRoles: ["CASE_OFFICER", "JUDGE"] });
  });

  it("is not concluded before three months have passed (法〔2016〕373号 art. 1 item 4), nor without the creditor heard (art. 5)", async () => {
    const early = refusalOf(
      await t.gql(CONCLUDE, { caseNumber: original.caseNumber, reason: "无可供执行财产", conclusion: conclusion() }, officer),
    );
    expect(early).toMatchObject({ code: "CONCLUSION_CONDITIONS_UNMET", unmet: ["THREE_MONTHS_SINCE_REGISTRATION"], networkInquiries: 1 });
    now = new Date(now.getTime() + 100 * 24 * 3_600_000);
    const unheard = refusalOf(
      await t.gql(
        CONCLUDE,
        { caseNumber: original.caseNumber, reason: "无可供执行财产", conclusion: { ...conclusion(), creditorOpinion: " " } },
        officer,
      ),
    );
    expect(unheard).toMatchObject({ code: "CONCLUSION_CONDITIONS_UNMET", unmet: ["CREDITOR_HEARD"] });
  });

  it("is concluded with its conditions recorded in its history and audit trail; it can still be queried", async () => {
    const concluded = await t.gql(
      CONCLUDE,
      { caseNumber: original.caseNumber, reason: "无可供执行财产", conclusion: conclusion() },
      officer,
    );
    expect(concluded.errors).toBeUndefined();
    expect(concluded.data.concludeCase.status).toBe("CONCLUDED");
    const { history } = (await t.gql(CASE, { caseNumber: original.caseNumber }, officer)).data.case;
    expect(history).toMatchObject([{ event: "CONCLUDE", fromStatus: "IN_ENFORCEMENT", toStatus: "CONCLUDED", actorOfficer: "officer-赵" }]);
    expect(JSON.parse(history[0].facts)).toMatchObject({ networkInquiries: 1, creditorHeardOn: today() });
    const inquiry = await t.gql(
      REQUEST_INQUIRY,
      { input: { caseNumber: original.caseNumber, debtorIdNumber: debtor.idNumber, channel: "NATIONAL", purpose: "终本后定期查询" } },
      officer,
    );
    expect(inquiry.errors).toBeUndefined();
    await eventually(
      () => t.gql(INQUIRY_ASSETS, { id: inquiry.data.requestInquiry.id }, officer),
      (r) => r.data?.inquiry.complete === true,
    );
  });

  it("is resumed as 执恢, which carries its debtor, assets, seal and list entry; the original takes no new work", async () => {
    const resumed = await t.gql(
      RESUME,
      { caseNumber: original.caseNumber, resumedCaseNumber: resumedNumber, reason: "发现可供执行财产" },
      officer,
    );
    expect(resumed.errors).toBeUndefined();
    const carried = resumed.data.resumeCase;
    expect(carried).toMatchObject({
      caseNumber: resumedNumber,
      kind: "RESUMED",
      status: "IN_ENFORCEMENT",
      originalCase: { caseNumber: original.caseNumber, status: "SUPERSEDED" },
      debtors: [{ idNumber: debtor.idNumber }],
      measures: { edges: [{ node: { id: sealId, status: "EFFECTIVE" } }] },
    });
    expect(carried.assets.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([...original.assetIds.values()]));
    // The listing and the consumption restriction made with it (限制消费规定 art. 1 para. 2) both carry on.
    const carriedEntries = (await t.gql(ENTRIES, { caseNumber: resumedNumber }, officer)).data.sanctionEntries;
    expect(carriedEntries).toHaveLength(2);
    expect(carriedEntries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: entryId, status: "LISTED" }),
        expect.objectContaining({ list: "CONSUMPTION_RESTRICTION", status: "LISTED" }),
      ]),
    );
    const before = (await t.gql(CASE, { caseNumber: original.caseNumber }, officer)).data.case;
    expect(before).toMatchObject({ status: "SUPERSEDED", resumedAs: { caseNumber: resumedNumber, kind: "RESUMED" }, assets: [] });

    const again = refusalOf(
      await t.gql(RESUME, { caseNumber: original.caseNumber, resumedCaseNumber: resumedNumber, reason: "重复" }, officer),
    );
    expect(again).toMatchObject({ code: "CASE_STEP_NOT_ALLOWED", status: "SUPERSEDED", event: "RESUME" });
    const inquiry = refusalOf(
      await t.gql(
        REQUEST_INQUIRY,
        { input: { caseNumber: original.caseNumber, debtorIdNumber: debtor.idNumber, channel: "NATIONAL", purpose: "查询" } },
        officer,
      ),
    );
    expect(inquiry).toMatchObject({ code: "CASE_NOT_ACTIVE", status: "SUPERSEDED", work: "INQUIRY" });
  });

  it("renews the carried seal from the 执恢 case, closes it, and then refuses new work while still lifting", async () => {
    const seal = (await t.gql(MEASURE, { id: sealId }, officer)).data.measure;
    const renewed = await t.gql(RENEW_MEASURE, { input: { ...changeInput(sealId), expiresOn: addDays(seal.expiresOn, 60) } }, officer);
    expect(renewed.errors).toBeUndefined();
    const closed = await t.gql(CLOSE, { caseNumber: resumedNumber, reason: "被执行人履行完毕" }, officer);
    expect(closed.data.closeCase.status).toBe("CLOSED");

    const listing = refusalOf(
      await t.gql(LIST_DEBTOR, { input: { ...facts(resumedNumber, debtor.idNumber), ground: "VIOLATES_PROPERTY_REPORTING" } }, officer),
    );
    expect(listing).toMatchObject({ code: "CASE_NOT_ACTIVE", status: "CLOSED", work: "LISTING" });
    const renewal = refusalOf(
      await t.gql(RENEW_MEASURE, { input: { ...changeInput(sealId), expiresOn: addDays(seal.expiresOn, 90) } }, officer),
    );
    expect(renewal).toMatchObject({ code: "CASE_NOT_ACTIVE", status: "CLOSED", work: "RENEWAL" });
    const suspend = refusalOf(await t.gql(SUSPEND, { caseNumber: resumedNumber, reason: "申请" }, officer));
    expect(suspend).toMatchObject({ code: "CASE_STEP_NOT_ALLOWED", status: "CLOSED", event: "SUSPEND" });
    const released = await t.gql(RELEASE_MEASURE, { input: changeInput(sealId) }, officer);
    expect(released.errors).toBeUndefined();

    const actions = (await auditTrail(t, officer, original.caseNumber)).map((row) => row.action);
    expect(actions).toEqual(expect.arrayContaining(["CASE_CONCLUDE", "CASE_RESUME"]));
    expect((await auditTrail(t, officer, resumedNumber)).map((row) => row.action)).toEqual(
      expect.arrayContaining(["CASE_REGISTERED", "CASE_CLOSE"]),
    );
  });
});
