/**
 * What must be on record before a case is concluded without full performance (终结本次执行程序), under
 * 最高人民法院关于严格规范终结本次执行程序的规定（试行）(法〔2016〕373号). Each condition is its own rule; the
 * court records the facts only it knows (what it investigated, what it ordered, when it heard the creditor) and
 * the hub counts the network inquiries it ran itself.
 */
import { lastDayOfPeriod } from "../measures/periodDates.js";

export interface ConclusionFacts {
  /** The case's registration date, YYYY-MM-DD (Beijing time). */
  registeredOn: string;
  /** The date of the decision, YYYY-MM-DD (Beijing time). */
  today: string;
  /** Network inquiries (网络执行查控) the hub finished for this case. */
  networkInquiries: number;
  /** What the court did to investigate the debtor's property. */
  propertyInvestigation: string;
  /** The measures the court took: the consumption restriction order, the listing, fines or detention. */
  measuresTaken: string;
  /** When the creditor was told of the case's state and heard, YYYY-MM-DD; null when not yet. */
  creditorHeardOn: string | null;
  /** The creditor's opinion on 终本, as recorded. */
  creditorOpinion: string;
}

export type ConclusionCondition =
  | "THREE_MONTHS_SINCE_REGISTRATION"
  | "PROPERTY_INVESTIGATED"
  | "NETWORK_INQUIRY_MADE"
  | "MEASURES_TAKEN"
  | "CREDITOR_HEARD";

/** 法〔2016〕373号 art. 1 item 4: more than three months have passed since the case was registered. */
export function threeMonthsSinceRegistration(facts: Pick<ConclusionFacts, "registeredOn" | "today">): boolean {
  return facts.today > lastDayOfPeriod(facts.registeredOn, 3);
}

/** 法〔2016〕373号 art. 1 item 3 and art. 3: the property investigation was done, and the court says what it did. */
export function propertyInvestigated(facts: Pick<ConclusionFacts, "propertyInvestigation">): boolean {
  return facts.propertyInvestigation.trim().length > 0;
}

/** 法〔2016〕373号 art. 3 para. 1 item 2: the debtor's property was searched through the network inquiry system. */
export function networkInquiryMade(facts: Pick<ConclusionFacts, "networkInquiries">): boolean {
  return facts.networkInquiries >= 1;
}

/** 法〔2016〕373号 art. 1 items 2 and 5: the consumption restriction order issued, the listing and coercive measures taken. */
export function measuresTaken(facts: Pick<ConclusionFacts, "measuresTaken">): boolean {
  return facts.measuresTaken.trim().length > 0;
}

/** 法〔2016〕373号 art. 5: before 终本 the creditor was told the case's state and heard, on a date not after the decision. */
export function creditorHeard(facts: Pick<ConclusionFacts, "creditorHeardOn" | "creditorOpinion" | "today">): boolean {
  return facts.creditorHeardOn !== null && facts.creditorHeardOn <= facts.today && facts.creditorOpinion.trim().length > 0;
}

const RULES: Readonly<Record<ConclusionCondition, (facts: ConclusionFacts) => boolean>> = {
  THREE_MONTHS_SINCE_REGISTRATION: threeMonthsSinceRegistration,
  PROPERTY_INVESTIGATED: propertyInvestigated,
  NETWORK_INQUIRY_MADE: networkInquiryMade,
  MEASURES_TAKEN: measuresTaken,
  CREDITOR_HEARD: creditorHeard,
};

/** The conditions of 终本 the facts do not meet, in the order of the rules; empty when the case may be concluded. */
export function unmetConclusionConditions(facts: ConclusionFacts): ConclusionCondition[] {
  return (Object.keys(RULES) as ConclusionCondition[]).filter((condition) => !RULES[condition](facts));
}
