import { describe, expect, it } from "vitest";
import {
  creditorHeard,
  measuresTaken,
  networkInquiryMade,
  propertyInvestigated,
  threeMonthsSinceRegistration,
  unmetConclusionConditions,
  type ConclusionFacts,
} from "../../../domain/cases/conclusionConditions.js";

const MET: ConclusionFacts = {
  registeredOn: "2024-01-10",
  today: "2024-05-01",
  networkInquiries: 1,
  propertyInvestigation: "核查申请执行人提供的线索；网络查控；住所地调查",
  measuresTaken: "限制消费令；纳入失信被执行人名单",
  creditorHeardOn: "2024-04-20",
  creditorOpinion: "同意终结本次执行程序",
};

describe("the conditions of 终本 (法〔2016〕373号)", () => {
  it("art. 1 item 4: more than three months since registration", () => {
    expect(threeMonthsSinceRegistration({ registeredOn: "2024-01-10", today: "2024-04-10" })).toBe(false);
    expect(threeMonthsSinceRegistration({ registeredOn: "2024-01-10", today: "2024-04-11" })).toBe(true);
    expect(threeMonthsSinceRegistration({ registeredOn: "2023-11-30", today: "2024-03-01" })).toBe(true);
  });

  it("art. 1 item 3 and art. 3: the property investigation is stated", () => {
    expect(propertyInvestigated({ propertyInvestigation: "  " })).toBe(false);
    expect(propertyInvestigated(MET)).toBe(true);
  });

  it("art. 3 para. 1 item 2: at least one network inquiry", () => {
    expect(networkInquiryMade({ networkInquiries: 0 })).toBe(false);
    expect(networkInquiryMade({ networkInquiries: 1 })).toBe(true);
  });

  it("art. 1 items 2 and 5: the measures taken are stated", () => {
    expect(measuresTaken({ measuresTaken: "" })).toBe(false);
    expect(measuresTaken(MET)).toBe(true);
  });

  it("art. 5: the creditor heard before the decision, with an opinion", () => {
    expect(creditorHeard({ ...MET, creditorHeardOn: null })).toBe(false);
    expect(creditorHeard({ ...MET, creditorHeardOn: "2024-05-02" })).toBe(false);
    expect(creditorHeard({ ...MET, creditorOpinion: " " })).toBe(false);
    expect(creditorHeard(MET)).toBe(true);
  });

  it("names every condition not met, none when all are", () => {
    expect(unmetConclusionConditions(MET)).toEqual([]);
    expect(unmetConclusionConditions({ ...MET, today: "2024-02-01", networkInquiries: 0, creditorHeardOn: null })).toEqual([
      "THREE_MONTHS_SINCE_REGISTRATION",
      "NETWORK_INQUIRY_MADE",
      "CREDITOR_HEARD",
    ]);
  });
});
