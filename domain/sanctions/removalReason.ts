/**
 * Why an entry leaves a list, and the condition each reason needs on record.
 *
 * Dishonest-debtor list, 失信规定 (法释〔2017〕7号) art. 10 para. 1, "具有下列情形之一的，人民法院应当在三个工作日内删除
 * 失信信息": (1) performed or fully enforced; (2) a settlement agreed and performed; (3) the creditor's written
 * application, approved by the court; (4) after 终本, two or more network inquiries found nothing to enforce and no one
 * offered a lead; (5) enforcement suspended for a retrial (审判监督) or bankruptcy; (6) a ruling not to enforce (不予执行);
 * (7) enforcement terminated (终结执行). Para. 2: "有纳入期限的，不适用前款规定" — an entry with a fixed period leaves
 * when it ends (the hub's own EXPIRED, eighth), or early under art. 2 para. 3 when the debtor performs actively or
 * corrects the conduct (积极履行…或主动纠正失信行为的，人民法院可以决定提前删除), which is the credit-repair (信用修复) hook.
 * Arts. 9 and 12: a listing that should not have been made is revoked, a wrong one corrected.
 *
 * Consumption restriction, 限制消费规定 (法释〔2015〕17号) art. 9: lifted on performance, or when the debtor gives
 * adequate security or the creditor consents; and with the case's end (terminated, revoked, corrected).
 */
import type { CaseStatus } from "../cases/caseLifecycle.js";
import { refuseWith, type Refusal } from "../measures/guardResult.js";
import { parseYuan } from "../measures/yuan.js";

export const REMOVAL_REASONS = {
  PERFORMED: "已履行生效法律文书确定的义务或人民法院已执行完毕",
  SETTLEMENT_PERFORMED: "当事人达成执行和解协议且已履行完毕",
  CREDITOR_APPLICATION: "申请执行人书面申请删除失信信息，人民法院审查同意",
  NOTHING_FOUND_AFTER_CONCLUSION: "终结本次执行程序后，通过网络执行查控系统查询两次以上未发现可供执行财产",
  SUSPENDED_FOR_RETRIAL_OR_BANKRUPTCY: "因审判监督或破产程序，人民法院依法裁定对失信被执行人中止执行",
  ENFORCEMENT_REFUSED: "人民法院依法裁定不予执行",
  ENFORCEMENT_TERMINATED: "人民法院依法裁定终结执行",
  EARLY_REMOVAL: "积极履行或主动纠正失信行为，人民法院决定提前删除",
  DECISION_REVOKED: "不应纳入，予以撤销",
  ERROR_CORRECTED: "纳入错误，予以纠正",
  SECURITY_PROVIDED: "提供确实有效的担保或经申请执行人同意",
  EXPIRED: "纳入期限届满",
} as const;
export type RemovalReason = keyof typeof REMOVAL_REASONS;

/** Where each reason comes from, named in refusals. */
export const REMOVAL_RULES: Readonly<Record<RemovalReason, string>> = {
  PERFORMED: "失信规定 art. 10 para. 1 item 1; 限制消费规定 art. 9",
  SETTLEMENT_PERFORMED: "失信规定 art. 10 para. 1 item 2",
  CREDITOR_APPLICATION: "失信规定 art. 10 para. 1 item 3",
  NOTHING_FOUND_AFTER_CONCLUSION: "失信规定 art. 10 para. 1 item 4",
  SUSPENDED_FOR_RETRIAL_OR_BANKRUPTCY: "失信规定 art. 10 para. 1 item 5",
  ENFORCEMENT_REFUSED: "失信规定 art. 10 para. 1 item 6",
  ENFORCEMENT_TERMINATED: "失信规定 art. 10 para. 1 item 7",
  EARLY_REMOVAL: "失信规定 art. 2 para. 3",
  DECISION_REVOKED: "失信规定 arts. 9, 12",
  ERROR_CORRECTED: "失信规定 arts. 9, 12",
  SECURITY_PROVIDED: "限制消费规定 art. 9",
  EXPIRED: "失信规定 art. 10 para. 2",
};

/** The seven of art. 10 para. 1: they do not apply to an entry with a fixed period (para. 2). */
const ARTICLE_10_ITEMS: readonly RemovalReason[] = [
  "PERFORMED",
  "SETTLEMENT_PERFORMED",
  "CREDITOR_APPLICATION",
  "NOTHING_FOUND_AFTER_CONCLUSION",
  "SUSPENDED_FOR_RETRIAL_OR_BANKRUPTCY",
  "ENFORCEMENT_REFUSED",
  "ENFORCEMENT_TERMINATED",
];

const BY_LIST: Record<"DISHONEST_DEBTOR" | "CONSUMPTION_RESTRICTION", readonly RemovalReason[]> = {
  DISHONEST_DEBTOR: [...ARTICLE_10_ITEMS, "EARLY_REMOVAL", "DECISION_REVOKED", "ERROR_CORRECTED"],
  CONSUMPTION_RESTRICTION: [
    "PERFORMED",
    "SETTLEMENT_PERFORMED",
    "ENFORCEMENT_TERMINATED",
    "DECISION_REVOKED",
    "ERROR_CORRECTED",
    "SECURITY_PROVIDED",
  ],
};

/** How the court's early removal is justified (失信规定 art. 2 para. 3). */
export const EARLY_REMOVAL_BASES = {
  ACTIVE_PERFORMANCE: "积极履行生效法律文书确定义务",
  CORRECTION: "主动纠正失信行为",
} as const;
export type EarlyRemovalBasis = keyof typeof EARLY_REMOVAL_BASES;

export const SUSPENSION_BASES = { RETRIAL: "审判监督程序", BANKRUPTCY: "破产程序" } as const;
export type SuspensionBasis = keyof typeof SUSPENSION_BASES;

/** What the court states with the removal, and what the hub knows of the case. */
export interface RemovalFacts {
  list: "DISHONEST_DEBTOR" | "CONSUMPTION_RESTRICTION";
  reason: string;
  /** The entry's last day, or null when it lasts until removed. */
  expiresOn: string | null;
  caseStatus: CaseStatus;
  /** What the debtor still owes today, yuan (domain/claims/claimStatement.ts). */
  outstanding: string;
  /** Settlements of the debtor on record in the case, and whether one was breached. */
  settlements: { count: number; breached: number };
  /** National inquiries of the debtor completed after 终本 that found no asset. */
  fruitlessInquiriesAfterConclusion: number;
  /** The document the removal rests on: the creditor's application, the ruling, the decision. */
  basisDocument?: string | null;
  suspensionBasis?: string | null;
  earlyRemovalBasis?: string | null;
}

export type RemovalCheck =
  | { ok: true; reason: RemovalReason; rule: string }
  | Refusal<"REMOVAL_REASON_NOT_ALLOWED", { reason: string; allowed: readonly RemovalReason[] }>
  | Refusal<"FIXED_PERIOD_ENTRY", { reason: string; rule: string; expiresOn: string }>
  | Refusal<"REMOVAL_CONDITION_UNMET", { reason: RemovalReason; rule: string; condition: string }>;

function unmet(reason: RemovalReason, condition: string, why: string): RemovalCheck {
  return refuseWith("REMOVAL_CONDITION_UNMET", `${reason} needs ${why} (${REMOVAL_RULES[reason]})`, {
    reason,
    rule: REMOVAL_RULES[reason],
    condition,
  });
}

/** The condition of each reason, or null when it is met. */
function conditionUnmet(reason: RemovalReason, facts: RemovalFacts): RemovalCheck | null {
  const document = facts.basisDocument?.trim();
  switch (reason) {
    case "PERFORMED": {
      const owed = parseYuan(facts.outstanding, "outstanding");
      const paid = facts.caseStatus === "CLOSED" || (owed.ok && owed.cents === 0n);
      return paid ? null : unmet(reason, "NOTHING_OUTSTANDING", `nothing owed (${facts.outstanding} yuan still is) or the case closed`);
    }
    case "SETTLEMENT_PERFORMED":
      return facts.settlements.count > facts.settlements.breached
        ? null
        : unmet(reason, "SETTLEMENT_ON_RECORD", "a settlement of this debtor on record and not breached");
    case "CREDITOR_APPLICATION":
      return document ? null : unmet(reason, "WRITTEN_APPLICATION", "the creditor's written application (basisDocument)");
    case "NOTHING_FOUND_AFTER_CONCLUSION":
      return facts.caseStatus === "CONCLUDED" && facts.fruitlessInquiriesAfterConclusion >= 2
        ? null
        : unmet(
            reason,
            "TWO_FRUITLESS_INQUIRIES_AFTER_CONCLUSION",
            `a 终本 case and two network inquiries after it that found nothing (case ${facts.caseStatus}, ` +
              `${facts.fruitlessInquiriesAfterConclusion} such inquiries)`,
          );
    case "SUSPENDED_FOR_RETRIAL_OR_BANKRUPTCY":
      return facts.caseStatus === "SUSPENDED" && Object.hasOwn(SUSPENSION_BASES, facts.suspensionBasis ?? "")
        ? null
        : unmet(reason, "SUSPENDED_FOR_RETRIAL_OR_BANKRUPTCY", "the case suspended (中止) and the basis RETRIAL or BANKRUPTCY");
    case "ENFORCEMENT_REFUSED":
      return document ? null : unmet(reason, "RULING_NOT_TO_ENFORCE", "the ruling not to enforce (不予执行裁定, basisDocument)");
    case "ENFORCEMENT_TERMINATED":
      return facts.caseStatus === "TERMINATED" ? null : unmet(reason, "CASE_TERMINATED", `a terminated case (it is ${facts.caseStatus})`);
    case "EARLY_REMOVAL":
      if (facts.expiresOn === null) return unmet(reason, "FIXED_PERIOD", "an entry with a fixed period; others leave under art. 10");
      return Object.hasOwn(EARLY_REMOVAL_BASES, facts.earlyRemovalBasis ?? "") && document
        ? null
        : unmet(reason, "ACTIVE_PERFORMANCE_OR_CORRECTION", "the basis ACTIVE_PERFORMANCE or CORRECTION and the court's decision");
    case "DECISION_REVOKED":
    case "ERROR_CORRECTED":
    case "SECURITY_PROVIDED":
      return document ? null : unmet(reason, "DECISION_DOCUMENT", "the decision it rests on (basisDocument)");
    case "EXPIRED":
      return null;
  }
}

/** A court's removal; EXPIRED is the hub's own and never a court's. */
export function checkRemoval(facts: RemovalFacts): RemovalCheck {
  const allowed = BY_LIST[facts.list];
  if (!(allowed as readonly string[]).includes(facts.reason)) {
    return refuseWith(
      "REMOVAL_REASON_NOT_ALLOWED",
      `${facts.reason} is not a reason to remove a ${facts.list} entry; allowed: ${allowed.join(", ")}`,
      { reason: facts.reason, allowed },
    );
  }
  const reason = facts.reason as RemovalReason;
  if (facts.list === "DISHONEST_DEBTOR" && facts.expiresOn !== null && ARTICLE_10_ITEMS.includes(reason)) {
    return refuseWith(
      "FIXED_PERIOD_ENTRY",
      `the entry lasts until ${facts.expiresOn}: art. 10 para. 1 does not apply to it (失信规定 art. 10 para. 2); ` +
        "it may leave early only under art. 2 para. 3 (EARLY_REMOVAL)",
      { reason, rule: "失信规定 art. 10 para. 2", expiresOn: facts.expiresOn },
    );
  }
  return conditionUnmet(reason, facts) ?? { ok: true, reason, rule: REMOVAL_RULES[reason] };
}

/** 失信规定 art. 10 para. 2: an entry with a period is removed once its last day has passed. */
export function hasExpired(expiresOn: string | null, today: string): boolean {
  return expiresOn !== null && today > expiresOn;
}
