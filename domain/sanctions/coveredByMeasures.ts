/**
 * 失信规定 (法释〔2017〕7号) art. 3: "具有下列情形之一的，人民法院不得依据本规定第一条第一项的规定将被执行人纳入
 * 失信被执行人名单：（一）提供了充分有效担保的；（二）已被采取查封、扣押、冻结等措施的财产足以清偿生效法律
 * 文书确定债务的；…". Both bars apply to art. 1 item 1 only: a debtor who forged evidence is listed whatever
 * is sealed. "Enough to pay" is measured as the over-seizure rule measures it (查扣冻规定 art. 19): the value
 * under measures in force against the claim amount plus costs, in cents.
 */
import { refuseWith, type Refusal } from "../measures/guardResult.js";
import { formatYuan, parseYuan, type InvalidAmount } from "../measures/yuan.js";
import type { ListingGround } from "./listingGround.js";

export type CoveredCheck =
  | { ok: true }
  | InvalidAmount
  | Refusal<"ASSETS_UNDER_MEASURES_COVER_CLAIM", { valueInForce: string; claimAndCosts: string }>
  | Refusal<"ADEQUATE_SECURITY_GIVEN", { security: string }>;

export function checkNotCovered(input: {
  ground: ListingGround;
  claimAmount: string;
  costs: string;
  valuesInForce: readonly string[];
  /** Security the court has on record for this debtor in this case, if any. */
  security?: string | null;
}): CoveredCheck {
  if (input.ground !== "ABLE_BUT_REFUSES") return { ok: true };
  if (input.security) {
    return refuseWith("ADEQUATE_SECURITY_GIVEN", `the debtor gave security (${input.security}); 失信规定 art. 3 item 1 bars listing on art. 1 item 1`, {
      security: input.security,
    });
  }
  const claim = parseYuan(input.claimAmount, "claim amount");
  if (!claim.ok) return claim;
  const costs = parseYuan(input.costs, "costs");
  if (!costs.ok) return costs;
  let held = 0n;
  for (const [index, value] of input.valuesInForce.entries()) {
    const parsed = parseYuan(value, `value in force #${index + 1}`);
    if (!parsed.ok) return parsed;
    held += parsed.cents;
  }
  const base = claim.cents + costs.cents;
  if (held >= base) {
    return refuseWith(
      "ASSETS_UNDER_MEASURES_COVER_CLAIM",
      `assets under measures in force are worth ${formatYuan(held)} yuan, enough for the claim plus costs of ${formatYuan(base)} yuan; 失信规定 art. 3 item 2 bars listing on art. 1 item 1`,
      { valueInForce: formatYuan(held), claimAndCosts: formatYuan(base) },
    );
  }
  return { ok: true };
}
