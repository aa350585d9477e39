/**
 * Which new work a case in a given status admits. A case performed (执行完毕) or terminated (终结执行) is over:
 * nothing new is queried, controlled, listed, asked of the police or delegated, and its measures are not renewed
 * (民事诉讼法 2023 art. 268; 法发〔2014〕26号 art. 15). A case carried on by its 执恢 case is worked under that
 * number. A 终本 case stays open for its measures in force and their renewals, and for the inquiries that watch it
 * (法〔2016〕373号 arts. 9, 16). Lifting (release, removal from a list) is never refused: a case that is over must
 * still be able to undo what binds the debtor.
 */
import { refuseWith, type Refusal } from "../measures/guardResult.js";
import { CASE_STATUS_NAMES, CASE_STATUSES, type CaseStatus } from "./caseLifecycle.js";

export type CaseWork = "INQUIRY" | "MEASURE" | "RENEWAL" | "LISTING" | "ASSISTANCE" | "DELEGATION";

const OVER: readonly CaseStatus[] = ["CLOSED", "TERMINATED", "SUPERSEDED"];

/** The statuses in which a case takes new work, for the stores' guards (gateway/persistence/lifecycleSql.ts). */
export const CASE_STATUSES_TAKING_WORK: readonly CaseStatus[] = CASE_STATUSES.filter((status) => !OVER.includes(status));

export type CaseWorkCheck = { ok: true } | Refusal<"CASE_NOT_ACTIVE", { status: CaseStatus; work: CaseWork }>;

export function caseAdmitsWork(status: CaseStatus, work: CaseWork): CaseWorkCheck {
  if (!OVER.includes(status)) return { ok: true };
  return refuseWith(
    "CASE_NOT_ACTIVE",
    `the case is ${status} (${CASE_STATUS_NAMES[status]}); no new ${work.toLowerCase()} is allowed on it`,
    {
      status,
      work,
    },
  );
}
