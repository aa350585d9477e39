/**
 * 限制消费规定 (法释〔2015〕17号) arts. 3 para. 2 (whom a unit's restriction binds) and 5 (what the order states);
 * 法发〔2019〕35号 item 17 (a change of legal representative; an emergency lifting of at most one month);
 * 失信规定 (法释〔2017〕7号) arts. 3 item 4 (settlement), 5, 8 (notices), 9–12 (deadlines), 10 para. 4 (six-month bar).
 */
import { describe, expect, it } from "vitest";
import {
  changeLegalRepresentative,
  checkBoundPersons,
  checkTemporaryLifting,
  type BoundPerson,
} from "../../../domain/sanctions/boundPersons.js";
import { checkCreditorApplicationBar } from "../../../domain/sanctions/creditorApplicationBar.js";
import { checkNotCovered } from "../../../domain/sanctions/coveredByMeasures.js";
import {
  addWorkingDays,
  correctionDeadlines,
  listingDecision,
  listingNotices,
  removalDueBy,
  restrictionOrder,
  RESTRICTED_ITEMS,
} from "../../../domain/sanctions/orderContents.js";

const rep: BoundPerson = { role: "LEGAL_REPRESENTATIVE", name: "赵六", idNumber: "110101199003077777" };

describe("限制消费规定 art. 3 para. 2: whom a unit's restriction binds", () => {
  it("needs the legal representative of an organisation, and binds no one else for a person", () => {
    expect(checkBoundPersons("ORGANISATION", [])).toMatchObject({ ok: false, code: "LEGAL_REPRESENTATIVE_REQUIRED" });
    expect(checkBoundPersons("ORGANISATION", [rep, { ...rep, role: "ACTUAL_CONTROLLER" }])).toMatchObject({ ok: true });
    expect(checkBoundPersons("ORGANISATION", [rep, rep])).toMatchObject({ ok: false, code: "BOUND_PERSON_REPEATED" });
    expect(checkBoundPersons("PERSON", [rep])).toMatchObject({ ok: false, code: "BOUND_PERSONS_OF_PERSON" });
  });
});

describe("法发〔2019〕35号 item 17", () => {
  const successor = { name: "钱七", idNumber: "110101198001010011" };
  it("moves the restriction from the former legal representative to the successor", () => {
    const change = changeLegalRepresentative([rep], { formerIdNumber: rep.idNumber, successor, evidence: "工商变更登记" });
    expect(change).toEqual({ ok: true, persons: [{ role: "LEGAL_REPRESENTATIVE", ...successor }] });
  });
  it("keeps it on a former representative who is also the actual controller, and wants evidence", () => {
    const persons = [rep, { ...rep, role: "ACTUAL_CONTROLLER" as const }];
    expect(changeLegalRepresentative(persons, { formerIdNumber: rep.idNumber, successor, evidence: "x" })).toMatchObject({
      ok: false,
      code: "FORMER_REPRESENTATIVE_STILL_IN_CONTROL",
    });
    expect(changeLegalRepresentative([rep], { formerIdNumber: rep.idNumber, successor, evidence: " " })).toMatchObject({
      code: "EVIDENCE_REQUIRED",
    });
    expect(changeLegalRepresentative([rep], { formerIdNumber: successor.idNumber, successor, evidence: "x" })).toMatchObject({
      code: "NOT_THE_LEGAL_REPRESENTATIVE",
    });
  });
  it("lifts temporarily for at most one month, with the president's approval", () => {
    expect(checkTemporaryLifting({ from: "2025-01-31", until: "2025-02-28", approvedBy: "院长" })).toEqual({
      ok: true,
      liftedUntil: "2025-02-28",
    });
    expect(checkTemporaryLifting({ from: "2025-01-15", until: "2025-02-16", approvedBy: "院长" })).toMatchObject({
      ok: false,
      code: "TEMPORARY_LIFTING_TOO_LONG",
      latest: "2025-02-15",
    });
    expect(checkTemporaryLifting({ from: "2025-01-15", until: "2025-01-20", approvedBy: "" })).toMatchObject({
      code: "PRESIDENT_APPROVAL_REQUIRED",
    });
  });
});

describe("what an order states (限制消费规定 art. 5; 失信规定 arts. 5, 8)", () => {
  it("a restriction order: signer, period, items (all nine by default), consequences", () => {
    const order = restrictionOrder({ signedBy: "张院长", startsOn: "2025-03-01" });
    expect(order).toMatchObject({ ok: true, order: { signedBy: "张院长", period: "自2025-03-01起至限制消费令解除之日止" } });
    expect(order.ok && order.order.items).toHaveLength(Object.keys(RESTRICTED_ITEMS).length);
    expect(order.ok && order.order.consequences).toContain("民事诉讼法第一百一十四条");
    expect(restrictionOrder({ signedBy: "张院长", startsOn: "2025-03-01", items: ["HIGH_SPEED_RAIL"] })).toMatchObject({
      order: { items: [RESTRICTED_ITEMS.HIGH_SPEED_RAIL] },
    });
    expect(restrictionOrder({ signedBy: " ", startsOn: "2025-03-01" })).toMatchObject({ ok: false, code: "SIGNER_REQUIRED" });
    expect(restrictionOrder({ signedBy: "张院长", startsOn: "2025-03-01", items: ["GOLF"] })).toMatchObject({
      code: "UNKNOWN_RESTRICTED_ITEM",
    });
  });
  it("a listing decision: its ground, its period when fixed, and the reports art. 8 calls for", () => {
    const decision = listingDecision({
      signedBy: "张院长",
      ground: "VIOLATES_PROPERTY_REPORTING",
      startsOn: "2025-03-01",
      expiresOn: "2027-03-01",
      standing: "PUBLIC_OFFICIAL",
    });
    expect(decision).toMatchObject({ ok: true, order: { ground: "违反财产报告制度的", period: "自2025-03-01起至2027-03-01止" } });
    expect(decision.ok && decision.order.notices.map((n) => n.to)).toEqual(["PARTIES", "AGENCIES", "CREDIT_REPORTING", "EMPLOYER"]);
    expect(listingNotices("STATE_OWNED_ENTERPRISE").at(-1)).toMatchObject({ to: "SUPERIOR", rule: "失信规定 art. 8 para. 4" });
    expect(listingNotices(null)).toHaveLength(3);
  });
});

describe("deadlines (失信规定 arts. 9, 10, 12)", () => {
  it("three working days to remove, Monday to Friday", () => {
    expect(removalDueBy("2025-03-07")).toBe("2025-03-12"); // Friday → Wednesday
    expect(addWorkingDays("2025-03-03", 3)).toBe("2025-03-06");
  });
  it("a correction application reviewed within fifteen days; ten days to seek reconsideration", () => {
    expect(correctionDeadlines("2025-03-01")).toEqual({
      reviewBy: "2025-03-16",
      correctWithinWorkingDays: 3,
      reconsiderationApplicationDays: 10,
      reconsiderationDecisionDays: 15,
    });
  });
});

describe("失信规定 art. 10 para. 4: the creditor's six-month bar", () => {
  it("refuses a listing on the creditor's application within six months of its application's removal", () => {
    const removalsOnApplication = ["2025-01-31"];
    expect(checkCreditorApplicationBar({ onCreditorApplication: true, startsOn: "2025-07-31", removalsOnApplication })).toMatchObject({
      ok: false,
      code: "CREDITOR_APPLICATION_BARRED",
      barredUntil: "2025-07-31",
    });
    expect(checkCreditorApplicationBar({ onCreditorApplication: true, startsOn: "2025-08-01", removalsOnApplication })).toEqual({
      ok: true,
    });
    expect(checkCreditorApplicationBar({ onCreditorApplication: false, startsOn: "2025-02-01", removalsOnApplication })).toEqual({
      ok: true,
    });
  });
});

describe("失信规定 art. 3: what bars listing on item 1", () => {
  const base = { claimAmount: "100000.00", costs: "0.00", ground: "ABLE_BUT_REFUSES" as const };
  it("a settlement being performed (item 4)", () => {
    expect(checkNotCovered({ ...base, measures: [], settlementAgreedOn: "2025-01-01" })).toMatchObject({
      ok: false,
      code: "SETTLEMENT_BEING_PERFORMED",
      rule: "失信规定 art. 3 item 4",
    });
  });
  it("measures in force covering what is still owed, interest and payments counted (item 2)", () => {
    const measures = [{ value: "60000.00" }];
    expect(checkNotCovered({ ...base, measures, outstanding: "60000.00" })).toMatchObject({ code: "ASSETS_UNDER_MEASURES_COVER_CLAIM" });
    expect(checkNotCovered({ ...base, measures, outstanding: "60000.01" })).toEqual({ ok: true });
  });
});
