/**
 * 失信规定 (法释〔2017〕7号) art. 3: "具有下列情形之一的，人民法院不得依据本规定第一条第一项的规定将被执行人纳入
 * 失信被执行人名单：（一）提供了充分有效担保的；（二）已被采取查封、扣押、冻结等措施的财产足以清偿生效法律
 * 文书确定债务的；…". Both bars apply to art. 1 item 1 only: a debtor who forged evidence is listed whatever
 * is sealed. "Enough to pay" is measured as the over-seizure rule measures it (查扣冻规定 art. 19), net of
 * deductions (划拨, domain/measures/netOfDeductions.ts): what stays under measures in force against what is
 * still owed (domain/claims/claimStatement.ts: costs, doubled interest, less payments and deductions), in cents.
 * Money deducted has paid that much of the debt (查扣冻规定 art. 28 item 4: 债务已经清偿), so a debtor whose
 * remaining assets under measures cover what remains is not listed.
 * Art. 3 item 4 bars the rest of what is not "able but refuses" (其他不属于有履行能力而拒不履行生效法律文书确定义务的
 * 情形): a debtor performing a settlement on record (执行和解, 民事诉讼法 2023 art. 241) is performing, not refusing,
 * until the settlement is recorded as breached (then art. 1 item 6 applies).
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
  | Refusal<"ADEQUATE_SECURITY_GIVEN", { security: string }>
  | Refusal<"SETTLEMENT_BEING_PERFORMED", { agreedOn: string; rule: string }>;

export function checkNotCovered(
  input: ClaimAndMeasures & {
    ground: ListingGround;
    /** Security the court has on record for this debtor in this case, if any. */
    security?: string | null;
    /** The day of a settlement on record and not breached, if any. */
    settlementAgreedOn?: string | null;
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
  if (input.settlementAgreedOn) {
    return refuseWith(
      "SETTLEMENT_BEING_PERFORMED",
      `the debtor is performing a settlement agreed on ${input.settlementAgreedOn}; 失信规定 art. 3 item 4 bars listing on art. 1 item 1`,
      { agreedOn: input.settlementAgreedOn, rule: "失信规定 art. 3 item 4" },
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
