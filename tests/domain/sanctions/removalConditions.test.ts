/**
 * 失信规定 (法释〔2017〕7号) art. 10 (the seven reasons of para. 1 with their conditions; para. 2: not for an entry with a
 * fixed period, which leaves at its end or early under art. 2 para. 3), arts. 9 and 12 (revocation, correction);
 * 限制消费规定 (法释〔2015〕17号) art. 9.
 */
import { describe, expect, it } from "vitest";
import { checkRemoval, type RemovalFacts } from "../../../domain/sanctions/removalReason.js";

const facts: RemovalFacts = {
  list: "DISHONEST_DEBTOR",
  reason: "PERFORMED",
  expiresOn: null,
  caseStatus: "IN_ENFORCEMENT",
  outstanding: "0.00",
  settlements: { count: 0, breached: 0 },
  fruitlessInquiriesAfterConclusion: 0,
};

describe("the reasons of each list", () => {
  it("takes art. 10's reasons for the dishonest list and art. 9's for restrictions; EXPIRED is the hub's own", () => {
    expect(checkRemoval(facts)).toEqual({ ok: true, reason: "PERFORMED", rule: "失信规定 art. 10 para. 1 item 1; 限制消费规定 art. 9" });
    expect(checkRemoval({ ...facts, list: "CONSUMPTION_RESTRICTION", reason: "SECURITY_PROVIDED", basisDocument: "担保书" })).toMatchObject(
      {
        ok: true,
      },
    );
    expect(checkRemoval({ ...facts, reason: "SECURITY_PROVIDED" })).toMatchObject({ ok: false, code: "REMOVAL_REASON_NOT_ALLOWED" });
    expect(checkRemoval({ ...facts, reason: "EXPIRED" })).toMatchObject({ ok: false, code: "REMOVAL_REASON_NOT_ALLOWED" });
    expect(checkRemoval({ ...facts, list: "CONSUMPTION_RESTRICTION", reason: "CREDITOR_APPLICATION" })).toMatchObject({
      ok: false,
      code: "REMOVAL_REASON_NOT_ALLOWED",
    });
  });
});

describe("art. 10 para. 1: each item's condition", () => {
  const unmet = (over: Partial<RemovalFacts>, condition: string, rule: string) =>
    expect(checkRemoval({ ...facts, ...over })).toMatchObject({ ok: false, code: "REMOVAL_CONDITION_UNMET", condition, rule });

  it("item 1: nothing outstanding, or the case closed", () => {
    unmet({ outstanding: "10.00" }, "NOTHING_OUTSTANDING", "失信规定 art. 10 para. 1 item 1; 限制消费规定 art. 9");
    expect(checkRemoval({ ...facts, outstanding: "10.00", caseStatus: "CLOSED" })).toMatchObject({ ok: true });
  });
  it("item 2: a settlement on record and not breached", () => {
    unmet({ reason: "SETTLEMENT_PERFORMED" }, "SETTLEMENT_ON_RECORD", "失信规定 art. 10 para. 1 item 2");
    unmet(
      { reason: "SETTLEMENT_PERFORMED", settlements: { count: 1, breached: 1 } },
      "SETTLEMENT_ON_RECORD",
      "失信规定 art. 10 para. 1 item 2",
    );
    expect(checkRemoval({ ...facts, reason: "SETTLEMENT_PERFORMED", settlements: { count: 1, breached: 0 } })).toMatchObject({ ok: true });
  });
  it("item 3: the creditor's written application", () => {
    unmet({ reason: "CREDITOR_APPLICATION" }, "WRITTEN_APPLICATION", "失信规定 art. 10 para. 1 item 3");
    expect(checkRemoval({ ...facts, reason: "CREDITOR_APPLICATION", basisDocument: "申请书 2025-03-01" })).toMatchObject({ ok: true });
  });
  it("item 4: 终本 and two network inquiries after it that found nothing", () => {
    const reason = "NOTHING_FOUND_AFTER_CONCLUSION";
    const rule = "失信规定 art. 10 para. 1 item 4";
    unmet({ reason, caseStatus: "CONCLUDED", fruitlessInquiriesAfterConclusion: 1 }, "TWO_FRUITLESS_INQUIRIES_AFTER_CONCLUSION", rule);
    unmet({ reason, caseStatus: "IN_ENFORCEMENT", fruitlessInquiriesAfterConclusion: 2 }, "TWO_FRUITLESS_INQUIRIES_AFTER_CONCLUSION", rule);
    expect(checkRemoval({ ...facts, reason, caseStatus: "CONCLUDED", fruitlessInquiriesAfterConclusion: 2 })).toMatchObject({ ok: true });
  });
  it("item 5: suspended for a retrial or bankruptcy", () => {
    const reason = "SUSPENDED_FOR_RETRIAL_OR_BANKRUPTCY";
    unmet({ reason, caseStatus: "SUSPENDED" }, "SUSPENDED_FOR_RETRIAL_OR_BANKRUPTCY", "失信规定 art. 10 para. 1 item 5");
    unmet({ reason, suspensionBasis: "BANKRUPTCY" }, "SUSPENDED_FOR_RETRIAL_OR_BANKRUPTCY", "失信规定 art. 10 para. 1 item 5");
    expect(checkRemoval({ ...facts, reason, caseStatus: "SUSPENDED", suspensionBasis: "RETRIAL" })).toMatchObject({ ok: true });
  });
  it("items 6 and 7: a ruling not to enforce; a terminated case", () => {
    unmet({ reason: "ENFORCEMENT_REFUSED" }, "RULING_NOT_TO_ENFORCE", "失信规定 art. 10 para. 1 item 6");
    unmet({ reason: "ENFORCEMENT_TERMINATED" }, "CASE_TERMINATED", "失信规定 art. 10 para. 1 item 7");
    expect(checkRemoval({ ...facts, reason: "ENFORCEMENT_TERMINATED", caseStatus: "TERMINATED" })).toMatchObject({ ok: true });
  });
});

describe("entries with a fixed period (art. 10 para. 2, art. 2 para. 3)", () => {
  const fixed = { ...facts, expiresOn: "2027-05-01" };
  it("refuses art. 10 para. 1 for them, even when the debt is paid", () => {
    expect(checkRemoval(fixed)).toMatchObject({ ok: false, code: "FIXED_PERIOD_ENTRY", rule: "失信规定 art. 10 para. 2" });
  });
  it("lets them leave early for active performance or correction, by the court's decision (信用修复)", () => {
    expect(checkRemoval({ ...fixed, reason: "EARLY_REMOVAL" })).toMatchObject({ ok: false, condition: "ACTIVE_PERFORMANCE_OR_CORRECTION" });
    expect(checkRemoval({ ...fixed, reason: "EARLY_REMOVAL", earlyRemovalBasis: "CORRECTION", basisDocument: "决定书" })).toMatchObject({
      ok: true,
      rule: "失信规定 art. 2 para. 3",
    });
    expect(checkRemoval({ ...facts, reason: "EARLY_REMOVAL", earlyRemovalBasis: "CORRECTION", basisDocument: "决定书" })).toMatchObject({
      ok: false,
      condition: "FIXED_PERIOD",
    });
  });
  it("still revokes or corrects a wrong listing (arts. 9, 12) on the decision", () => {
    expect(checkRemoval({ ...fixed, reason: "DECISION_REVOKED" })).toMatchObject({ ok: false, condition: "DECISION_DOCUMENT" });
    expect(checkRemoval({ ...fixed, reason: "DECISION_REVOKED", basisDocument: "复议决定书" })).toMatchObject({ ok: true });
  });
});
