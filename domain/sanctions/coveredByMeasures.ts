/**
 * 失信规定 (法释〔2017〕7号) art. 3: "具有下列情形之一的，人民法院不得依据本规定第一条第一项的规定将被执行人纳入
 * 失信被执行人名单：（一）提供了充分有效担保的；（二）已被采取查封、扣押、冻结等措施的财产足以清偿生效法律
 * 文书确定债务的；…". Both bars apply to art. 1 item 1 only: a debtor who forged evidence is listed whatever
 * is sealed. "Enough to pay" is measured as the over-seizure rule measures it (查扣冻规定 art. 19), net of
 * deductions (划拨, domain/measures/netOfDeductions.ts): what stays under measures in force against the
 * claim plus costs still owed, in cents. Money deducted has paid that much of the debt (查扣冻规定 art. 28
 * item 4: 债务已经清偿), so a debtor whose remaining assets under measures cover what remains is not listed.
 */
import { refuseWith, type Refusal } from "../measures/guardResult.js";
import { netOfDeductions, type ClaimAndMeasures, type DeductedExceedsValue } from "../measures/netOfDeductions.js";
import { formatYuan, type InvalidAmount } from "../measures/yuan.js";
import type { ListingGround } from "./listingGround.js";

export type CoveredCheck =
  | { ok: true }
  | InvalidAmount
  | DeductedExceedsValue
  | Refusal<"ASSETS_UNDER_MEASURES_COVER_CLAIM", { valueInForce: string; claimAndCosts: string; deducted: string; outstanding: string }>
  | Refusal<"ADEQUATE_SECURITY_GIVEN", { security: string }>;

export function checkNotCovered(
  input: ClaimAndMeasures & {
    ground: ListingGround;
    /** Security the court has on record for this debtor in this case, if any. */
    security?: string | null;
  },
): CoveredCheck {
  if (input.ground !== "ABLE_BUT_REFUSES") return { ok: true };
  if (input.security) {
    return refuseWith(
      "ADEQUATE_SECURITY_GIVEN",
      `the debtor gave security (${input.security}); 失信规定 art. 3 item 1 bars listing on art. 1 item 1`,
      {
        security: input.security,
      },
    );
  }
  const net = netOfDeductions(input);
  if (!net.ok) return net;
  const { held, claimAndCosts, deducted, outstanding } = net.figures;
  if (held >= outstanding) {
    return refuseWith(
      "ASSETS_UNDER_MEASURES_COVER_CLAIM",
      `assets under measures in force still hold ${formatYuan(held)} yuan, enough for the ${formatYuan(outstanding)} yuan still owed ` +
        `(claim plus costs ${formatYuan(claimAndCosts)} yuan, ${formatYuan(deducted)} yuan deducted); ` +
        "失信规定 art. 3 item 2 bars listing on art. 1 item 1",
      {
        valueInForce: formatYuan(held),
        claimAndCosts: formatYuan(claimAndCosts),
        deducted: formatYuan(deducted),
        outstanding: formatYuan(outstanding),
      },
    );
  }
  return { ok: true };
}
