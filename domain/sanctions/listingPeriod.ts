/**
 * How long a debtor stays on the dishonest-debtor list, 失信规定 (法释〔2017〕7号) art. 2:
 * "被执行人具有本规定第一条第二项至第六项规定情形的，纳入失信被执行人名单的期限为二年。被执行人以暴力、
 * 威胁方法妨碍、抗拒执行情节严重或具有多项失信行为的，可以延长一至三年。"
 *
 * - art. 1 item 1 (able but refuses) has no period: the entry stays until removed under art. 10
 *   (performance, settlement performed, termination, …);
 * - items 2 to 6: two years from listing, extendable once or more by 1 to 3 years in all, only for
 *   serious violent or threatening obstruction or several dishonest conducts.
 * Period arithmetic as for control measures (民法典 art. 201–202, periodDates.ts).
 */
import { refuseWith, type Refusal } from "../measures/guardResult.js";
import { lastDayOfPeriod } from "../measures/periodDates.js";
import type { ListingGround } from "./listingGround.js";

export const LISTING_PERIOD_YEARS = 2;
export const MAX_EXTENSION_YEARS = 3;

export const EXTENSION_BASES = {
  SERIOUS_VIOLENT_OBSTRUCTION: "以暴力、威胁方法妨碍、抗拒执行情节严重",
  MULTIPLE_DISHONEST_CONDUCTS: "具有多项失信行为",
} as const;
export type ExtensionBasis = keyof typeof EXTENSION_BASES;

/** The last day on the list, or null for art. 1 item 1, which lasts until removal. */
export function listingLastDay(ground: ListingGround, startsOn: string, extensionYears = 0): string | null {
  if (ground === "ABLE_BUT_REFUSES") return null;
  return lastDayOfPeriod(startsOn, (LISTING_PERIOD_YEARS + extensionYears) * 12);
}

export type ExtensionCheck =
  | { ok: true; extensionYears: number; expiresOn: string }
  | Refusal<"NO_FIXED_PERIOD", { ground: ListingGround }>
  | Refusal<"EXTENSION_BASIS_REQUIRED", { basis: string | undefined }>
  | Refusal<"EXTENSION_OUT_OF_RANGE", { alreadyExtendedYears: number; requestedYears: number; maximumYears: number }>;

/**
 * An extension of `years` more on an entry already extended by `alreadyExtendedYears`: whole years,
 * 1 to 3 in all, on one of the two bases art. 2 names, for grounds with a period.
 */
export function checkExtension(input: {
  ground: ListingGround;
  startsOn: string;
  alreadyExtendedYears: number;
  years: number;
  basis: string | undefined;
}): ExtensionCheck {
  if (input.ground === "ABLE_BUT_REFUSES") {
    return refuseWith("NO_FIXED_PERIOD", "an entry on 失信规定 art. 1 item 1 has no period to extend; it lasts until removed (art. 10)", {
      ground: input.ground,
    });
  }
  if (input.basis === undefined || !Object.hasOwn(EXTENSION_BASES, input.basis)) {
    return refuseWith(
      "EXTENSION_BASIS_REQUIRED",
      `an extension needs one of the bases of 失信规定 art. 2: ${Object.entries(EXTENSION_BASES)
        .map(([k, v]) => `${k} (${v})`)
        .join(", ")}`,
      { basis: input.basis },
    );
  }
  const total = input.alreadyExtendedYears + input.years;
  if (!Number.isSafeInteger(input.years) || input.years < 1 || total > MAX_EXTENSION_YEARS) {
    return refuseWith(
      "EXTENSION_OUT_OF_RANGE",
      `失信规定 art. 2 allows extending by 1 to ${MAX_EXTENSION_YEARS} years in all; ` +
        `already extended ${input.alreadyExtendedYears}, asked ${input.years}`,
      { alreadyExtendedYears: input.alreadyExtendedYears, requestedYears: input.years, maximumYears: MAX_EXTENSION_YEARS },
    );
  }
  return { ok: true, extensionYears: total, expiresOn: listingLastDay(input.ground, input.startsOn, total)! };
}
