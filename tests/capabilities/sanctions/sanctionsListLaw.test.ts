/**
 * The lists follow the law, through GraphQL and the sandbox railway partner: a unit's consumption restriction names the
 * persons it binds (限制消费规定 art. 3 para. 2) and follows a change of legal representative (法发〔2019〕35号 item 17);
 * a dishonest-debtor listing restricts consumption in the same step (限制消费规定 art. 1 para. 2); a removal whose
 * condition is not on record is refused naming its rule (失信规定 art. 10), and the creditor's own application bars
 * another for six months (art. 10 para. 4); orders state what the law requires (限制消费规定 art. 5; 失信规定 arts. 5, 8,
 * 12).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInChina } from "../../../domain/calendarDate.js";
import { addDays } from "../../../domain/measures/periodDates.js";
import { startPartner, type RunningPartner } from "../../../sandbox/partners/partnerAgency.js";
import { caseNumber, creditCode, residentId } from "../../support/identities.js";
import { refusalOf } from "../../support/measures.js";
import { LIST_DEBTOR, REMOVE, RESTRICT, facts, registerPartner } from "../../support/sanctions.js";
import { REGISTER_CASE, eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const ENTRIES = `query Entries($caseNumber: String!) { sanctionEntries(caseNumber: $caseNumber) { id list status linkedEntryId
  orderRecord published removalReason removalDetail } }`;
const CHANGE_REPRESENTATIVE = `mutation Change($input: ChangeRepresentativeInput!) { changeRestrictedRepresentative(input: $input) {
  id published } }`;
const LIFT = `mutation Lift($input: TemporaryLiftingInput!) { liftRestrictionTemporarily(input: $input) { id published } }`;
const CORRECTION = `mutation Apply($input: CorrectionApplicationInput!) { receiveCorrectionApplication(input: $input) { orderRecord } }`;

const now = new Date();
let t: TestHub;
let officer: string;
let railway: RunningPartner;

beforeAll(async () => {
  t = await startTestHub({ clock: () => now, sanctionDelivery: { sweepIntervalMs: 50, maxBackoffMs: 300, requestTimeoutMs: 1_000 } });
  officer = await t.token("豫0225", ["CASE_OFFICER"], "officer-王");
  railway = await startPartner("RAILWAY", { secret: "railway-shared-secret-for-the-tests-0001" });
  await registerPartner(t, {
    code: "RAILWAY",
    lists: ["DISHONEST_DEBTOR", "CONSUMPTION_RESTRICTION"],
    fields: ["name", "startsOn", "expiresOn", "boundPersons"],
    endpoint: railway.endpoint,
    signing: "HMAC_SM3",
    secret: "railway-shared-secret-for-the-tests-0001",
  });
}, 60_000);

afterAll(async () => {
  await t?.close();
  await railway?.close();
});

async function newCase(debtor: { kind: "PERSON" | "ORGANISATION"; idNumber: string; name: string }): Promise<string> {
  const number = caseNumber();
  const result = await t.gql(
    REGISTER_CASE,
    { input: { caseNumber: number, creditorName: "开封农商银行", claimAmount: "80000.00", debtors: [debtor] } },
    officer,
  );
  expect(result.errors).toBeUndefined();
  return number;
}

describe("a unit's consumption restriction", () => {
  it("reaches the railway naming its legal representative, and follows a change of representative", async () => {
    const today = todayInChina(now);
    const unit = creditCode();
    const number = await newCase({ kind: "ORGANISATION", idNumber: unit, name: "兰考某建材有限公司" });
    const representative = { role: "LEGAL_REPRESENTATIVE", name: "赵六", idNumber: residentId("19780505") };
    const controller = { role: "ACTUAL_CONTROLLER", name: "孙七", idNumber: residentId("19700101") };

    const unnamed = await t.gql(RESTRICT, { input: facts(number, unit, { legalRepresentative: "赵六" }) }, officer);
    expect(refusalOf(unnamed)).toMatchObject({ code: "LEGAL_REPRESENTATIVE_REQUIRED", rule: "限制消费规定 art. 3 para. 2" });

    const input = facts(number, unit, { legalRepresentative: "赵六", boundPersons: [representative, controller] });
    const restricted = await t.gql(RESTRICT, { input }, officer);
    expect(restricted.errors).toBeUndefined();
    const entryId = restricted.data.restrictConsumption.entry.id;
    const held = await eventually(
      async () => railway.receiver.entriesOf(unit),
      (entries) => entries.length === 1,
    );
    expect(held[0]).toMatchObject({ list: "CONSUMPTION_RESTRICTION", fields: { name: "兰考某建材有限公司", startsOn: today } });
    expect(held[0].fields.boundPersons).toEqual([representative, controller]);

    // The order states what 限制消费规定 art. 5 asks.
    const [entry] = (await t.gql(ENTRIES, { caseNumber: number }, officer)).data.sanctionEntries;
    expect(entry.orderRecord).toMatchObject({
      signedBy: "张院长",
      rule: "限制消费规定 art. 5",
      period: `自${today}起至限制消费令解除之日止`,
    });
    expect(entry.orderRecord.items).toHaveLength(9);
    expect(entry.orderRecord.consequences).toContain("拘留、罚款");

    // The actual controller stays bound whoever represents the unit; the former representative leaves, the successor is bound.
    const successor = { name: "钱八", idNumber: residentId("19850909") };
    const change = (formerIdNumber: string) => ({
      entryId,
      formerIdNumber,
      successorName: successor.name,
      successorIdNumber: successor.idNumber,
      evidence: "工商变更登记及股权结构证明",
    });
    expect(refusalOf(await t.gql(CHANGE_REPRESENTATIVE, { input: change(controller.idNumber) }, officer))).toMatchObject({
      code: "NOT_THE_LEGAL_REPRESENTATIVE",
    });
    const changed = await t.gql(CHANGE_REPRESENTATIVE, { input: change(representative.idNumber) }, officer);
    expect(changed.errors).toBeUndefined();
    await eventually(
      async () => railway.receiver.entriesOf(unit)[0]?.fields.boundPersons as { idNumber: string }[] | undefined,
      (persons) => persons?.map((p) => p.idNumber).join() === [controller.idNumber, successor.idNumber].join(),
    );

    // An emergency lifting lasts at most a month (法发〔2019〕35号 item 17).
    const lifting = { entryId, idNumber: controller.idNumber, from: today, approvedBy: "张院长", reason: "近亲属重大疾病就医" };
    expect(refusalOf(await t.gql(LIFT, { input: { ...lifting, until: addDays(today, 40) } }, officer))).toMatchObject({
      code: "TEMPORARY_LIFTING_TOO_LONG",
      rule: "法发〔2019〕35号 item 17",
    });
    const lifted = await t.gql(LIFT, { input: { ...lifting, until: addDays(today, 10) } }, officer);
    expect(lifted.errors).toBeUndefined();
    await eventually(
      async () => (railway.receiver.entriesOf(unit)[0]?.fields.boundPersons as { liftedUntil?: string }[] | undefined)?.[0],
      (person) => person?.liftedUntil === addDays(today, 10),
    );
    expect(railway.receiver.violations).toEqual([]);
  });
});

describe("a dishonest-debtor listing", () => {
  it("restricts consumption in the same step; removals need their condition; the creditor's application bars another", async () => {
    const today = todayInChina(now);
    const debtor = residentId("19800202");
    const number = await newCase({ kind: "PERSON", idNumber: debtor, name: "周九" });
    const input = { ...facts(number, debtor), ground: "ABLE_BUT_REFUSES", standing: "PUBLIC_OFFICIAL", onCreditorApplication: true };
    const listed = await t.gql(LIST_DEBTOR, { input }, officer);
    expect(listed.errors).toBeUndefined();
    const listing = listed.data.listDishonestDebtor.entry;

    const entries = (await t.gql(ENTRIES, { caseNumber: number }, officer)).data.sanctionEntries;
    const restriction = entries.find((e: { list: string }) => e.list === "CONSUMPTION_RESTRICTION");
    expect(restriction).toMatchObject({ status: "LISTED", linkedEntryId: listing.id });
    expect(entries.find((e: { id: string }) => e.id === listing.id)).toMatchObject({ linkedEntryId: restriction.id });
    const decision = entries.find((e: { id: string }) => e.id === listing.id).orderRecord;
    expect(decision.notices.map((n: { to: string }) => n.to)).toEqual(["PARTIES", "AGENCIES", "CREDIT_REPORTING", "EMPLOYER"]);
    await eventually(
      async () =>
        railway.receiver
          .entriesOf(debtor)
          .map((e) => e.list)
          .sort(),
      (lists) => lists.join() === "CONSUMPTION_RESTRICTION,DISHONEST_DEBTOR",
    );

    // A written application for correction: reviewed within fifteen days (失信规定 art. 12).
    const applied = await t.gql(CORRECTION, { input: { entryId: listing.id, receivedOn: today, grounds: "已提供担保" } }, officer);
    expect(applied.data.receiveCorrectionApplication.orderRecord.corrections[0]).toMatchObject({ reviewBy: addDays(today, 15) });

    // Removals whose condition is not on record are refused, naming the rule, and nothing reaches the partner.
    expect(refusalOf(await t.gql(REMOVE, { input: { entryId: listing.id, reason: "PERFORMED" } }, officer))).toMatchObject({
      code: "REMOVAL_CONDITION_UNMET",
      condition: "NOTHING_OUTSTANDING",
      rule: "失信规定 art. 10 para. 1 item 1; 限制消费规定 art. 9",
    });
    expect(
      refusalOf(await t.gql(REMOVE, { input: { entryId: listing.id, reason: "NOTHING_FOUND_AFTER_CONCLUSION" } }, officer)),
    ).toMatchObject({ code: "REMOVAL_CONDITION_UNMET", rule: "失信规定 art. 10 para. 1 item 4" });
    expect(refusalOf(await t.gql(REMOVE, { input: { entryId: listing.id, reason: "CREDITOR_APPLICATION" } }, officer))).toMatchObject({
      code: "REMOVAL_CONDITION_UNMET",
      condition: "WRITTEN_APPLICATION",
    });
    expect(railway.receiver.entriesOf(debtor)).toHaveLength(2);

    const removed = await t.gql(
      REMOVE,
      { input: { entryId: listing.id, reason: "CREDITOR_APPLICATION", basisDocument: "申请执行人删除失信信息申请书" } },
      officer,
    );
    expect(removed.data.removeSanction).toMatchObject({ status: "REMOVED", removalReason: "CREDITOR_APPLICATION" });
    await eventually(
      async () => railway.receiver.entriesOf(debtor).map((e) => e.list),
      (lists) => lists.join() === "CONSUMPTION_RESTRICTION",
    );

    // Six months on the creditor's application are barred (art. 10 para. 4); the court may still list on its own motion.
    const again = { ...facts(number, debtor), ground: "ABLE_BUT_REFUSES" };
    expect(refusalOf(await t.gql(LIST_DEBTOR, { input: { ...again, onCreditorApplication: true } }, officer))).toMatchObject({
      code: "CREDITOR_APPLICATION_BARRED",
      rule: "失信规定 art. 10 para. 4",
    });
    const ownMotion = await t.gql(LIST_DEBTOR, { input: again }, officer);
    expect(ownMotion.errors).toBeUndefined();
    // The restriction in force is the one the new listing is tied to; no second one is made.
    const after = (await t.gql(ENTRIES, { caseNumber: number }, officer)).data.sanctionEntries;
    expect(after.filter((e: { list: string }) => e.list === "CONSUMPTION_RESTRICTION")).toHaveLength(1);
    expect(ownMotion.data.listDishonestDebtor.entry.id).not.toBe(listing.id);

    // Paid in full (case { claim } owes nothing), the listing is removed as performed and its restriction lifted with it.
    const paid = await t.gql(
      `mutation Pay($input: CasePaymentInput!) { recordPayment(input: $input) { claim { outstanding } } }`,
      { input: { caseNumber: number, amount: "80000.00", paidOn: today, note: "银行转账" } },
      officer,
    );
    expect(paid.data.recordPayment.claim.outstanding).toBe("0.00");
    const performed = await t.gql(
      REMOVE,
      { input: { entryId: ownMotion.data.listDishonestDebtor.entry.id, reason: "PERFORMED" } },
      officer,
    );
    expect(performed.data.removeSanction).toMatchObject({ status: "REMOVED", removalReason: "PERFORMED" });
    const lifted = (await t.gql(ENTRIES, { caseNumber: number }, officer)).data.sanctionEntries;
    expect(lifted.every((e: { status: string }) => e.status === "REMOVED")).toBe(true);
    await eventually(
      async () => railway.receiver.entriesOf(debtor),
      (held) => held.length === 0,
    );
  });
});
