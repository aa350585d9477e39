/**
 * Work outside the province: delegate it, or do it in person with the director's approval.
 *
 * Seed 000 item 18: 需在我省辖区以外办理的查询、冻结、查封、划拨、调查或送达法律文书等事项，原则上应通过执行指挥管理平台
 * 委托当地法院代为办理. Seed 004 (执行局工作规范): 对需要到外地办理……有关事项的，原则上应通过指挥平台委托外地法院办理，
 * 未委托的必须经局长审查批准. So a measure on an asset located in another province is recorded only
 * when the enforcement director (执行局局长) approved doing it in person, for that province.
 * An asset whose location the hub does not know (a deposit, a tax refund) is not held to this rule.
 */
import { refuseWith, type Refusal } from "../measures/guardResult.js";

export interface DirectorApproval {
  /** Province code (two digits) the approval covers. */
  province: string;
  approvalNumber: string;
}

export type InPersonRefusal = Refusal<"OUT_OF_JURISDICTION_NEEDS_APPROVAL", { courtProvince: string; assetProvince: string }>;

export type InPersonResult = { ok: true; approval: DirectorApproval | null } | InPersonRefusal;

export function checkInPersonWork(input: {
  courtProvince: string;
  assetProvince: string | undefined;
  approvals: readonly DirectorApproval[];
}): InPersonResult {
  if (!input.assetProvince || input.assetProvince === input.courtProvince) return { ok: true, approval: null };
  const approval = input.approvals.find((a) => a.province === input.assetProvince);
  if (approval) return { ok: true, approval };
  return refuseWith(
    "OUT_OF_JURISDICTION_NEEDS_APPROVAL",
    `the asset lies in province ${input.assetProvince}, outside the court's province ${input.courtProvince}: ` +
      "delegate the task to the local court (delegateTask), " +
      "or record the enforcement director's approval for doing it in person (recordDirectorApproval)",
    { courtProvince: input.courtProvince, assetProvince: input.assetProvince },
  );
}
