/**
 * Preservation (财产保全) enforced in a 执保 case, and what becomes of it once the judgment is enforceable.
 *
 * - A 执保 case secures the claim before there is an enforceable judgment: it seals, seizes and freezes, but pays
 *   nothing out (no deduction, 划拨) and lists no one (失信规定 art. 1 and 限制消费规定 art. 1 name a debtor who fails
 *   to perform an effective legal document, which a 执保 case does not yet enforce).
 * - 民诉法解释 art. 168: "保全裁定未经人民法院依法撤销或者解除，进入执行程序后，自动转为执行中的查封、扣押、冻结措施，
 *   期限连续计算，执行法院无需重新制作裁定书". The measures carry over to the 执 case as they are, with their periods
 *   running on, and nothing new is sent to the agencies.
 */
import type { CaseKind } from "../caseNumber.js";
import { refuseWith, type Refusal } from "../measures/guardResult.js";

export type PreservationBarredWork = "DEDUCT" | "LISTING";

const BARRED_BY: Readonly<Record<PreservationBarredWork, string>> = {
  DEDUCT: "民诉法解释 art. 168: preservation seals, seizes and freezes; payment out waits for the 执 case",
  LISTING: "失信规定 art. 1; 限制消费规定 art. 1: only a debtor who fails to perform an effective legal document is listed",
};

export type PreservationCheck = { ok: true } | Refusal<"PRESERVATION_CASE_LIMIT", { work: PreservationBarredWork; rule: string }>;

/** What a case of this kind may do: a 执保 case neither deducts nor lists. */
export function preservationAllows(kind: CaseKind, work: PreservationBarredWork): PreservationCheck {
  if (kind !== "PRESERVATION") return { ok: true };
  return refuseWith(
    "PRESERVATION_CASE_LIMIT",
    `a preservation case (执保) does not ${work === "DEDUCT" ? "deduct (划拨)" : "list debtors"}; carry its measures over to the 执 case first`,
    { work, rule: BARRED_BY[work] },
  );
}

export type CarryOverCheck =
  | { ok: true }
  | Refusal<"CARRY_OVER_NOT_ALLOWED", { field: "preservationCaseNumber" | "caseNumber"; kind: CaseKind; rule: string }>;

/** 民诉法解释 art. 168: measures pass from a 执保 case to the 执 case that enforces the judgment, nowhere else. */
export function checkCarryOver(fromKind: CaseKind, toKind: CaseKind): CarryOverCheck {
  const rule = "民诉法解释 art. 168";
  if (fromKind !== "PRESERVATION") {
    return refuseWith("CARRY_OVER_NOT_ALLOWED", "measures carry over from a preservation case (执保) only", {
      field: "preservationCaseNumber" as const,
      kind: fromKind,
      rule,
    });
  }
  if (toKind !== "ENFORCEMENT") {
    return refuseWith("CARRY_OVER_NOT_ALLOWED", "preservation measures carry over to the enforcement case (执) of the judgment", {
      field: "caseNumber" as const,
      kind: toKind,
      rule,
    });
  }
  return { ok: true };
}
