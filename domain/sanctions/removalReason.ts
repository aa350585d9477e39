/**
 * Why an entry leaves a list.
 * Dishonest-debtor list, 失信规定 (法释〔2017〕7号) art. 10: performed or fully enforced (item 1), settlement
 * performed (item 2), enforcement terminated (items 4, 7), decision revoked on review (art. 12), an error
 * corrected (art. 11, 12); and the end of the period (art. 10 para. 2), which the hub applies by itself.
 * Consumption restriction, 限制消费规定 (法释〔2015〕17号) art. 9: performed, or adequate security given / the
 * creditor consents.
 */
import { refuseWith, type Refusal } from "../measures/guardResult.js";

export const REMOVAL_REASONS = {
  PERFORMED: "已履行生效法律文书确定的义务或执行完毕",
  SETTLEMENT_PERFORMED: "执行和解协议已履行完毕",
  ENFORCEMENT_TERMINATED: "终结执行",
  DECISION_REVOKED: "纳入决定被撤销",
  ERROR_CORRECTED: "纳入错误，予以纠正",
  SECURITY_PROVIDED: "提供确实有效的担保或经申请执行人同意",
  EXPIRED: "纳入期限届满",
} as const;
export type RemovalReason = keyof typeof REMOVAL_REASONS;

const BY_LIST: Record<"DISHONEST_DEBTOR" | "CONSUMPTION_RESTRICTION", readonly RemovalReason[]> = {
  DISHONEST_DEBTOR: ["PERFORMED", "SETTLEMENT_PERFORMED", "ENFORCEMENT_TERMINATED", "DECISION_REVOKED", "ERROR_CORRECTED"],
  CONSUMPTION_RESTRICTION: [
    "PERFORMED",
    "SETTLEMENT_PERFORMED",
    "ENFORCEMENT_TERMINATED",
    "DECISION_REVOKED",
    "ERROR_CORRECTED",
    "SECURITY_PROVIDED",
  ],
};

export type RemovalCheck =
  | { ok: true; reason: RemovalReason }
  | Refusal<"REMOVAL_REASON_NOT_ALLOWED", { reason: string; allowed: readonly RemovalReason[] }>;

/** A court's reason for removing an entry; EXPIRED is the hub's own and never a court's. */
export function checkRemovalReason(list: "DISHONEST_DEBTOR" | "CONSUMPTION_RESTRICTION", reason: string): RemovalCheck {
  const allowed = BY_LIST[list];
  if (!(allowed as readonly string[]).includes(reason)) {
    return refuseWith("REMOVAL_REASON_NOT_ALLOWED", `${reason} is not a reason to remove a ${list} entry; allowed: ${allowed.join(", ")}`, {
      reason,
      allowed,
    });
  }
  return { ok: true, reason: reason as RemovalReason };
}

/** 失信规定 art. 10 para. 2: an entry with a period is removed once its last day has passed. */
export function hasExpired(expiresOn: string | null, today: string): boolean {
  return expiresOn !== null && today > expiresOn;
}
