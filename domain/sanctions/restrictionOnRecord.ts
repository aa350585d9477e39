/**
 * 失信规定 art. 1 item 5 lists a debtor for violating a consumption restriction (违反限制消费令): there is no such
 * violation without a restriction order of the case on record (限制消费规定 arts. 1, 3), in force or since lifted.
 */
import { refuseWith, type Refusal } from "../measures/guardResult.js";
import type { ListingGround } from "./listingGround.js";

export type RestrictionOnRecordCheck = { ok: true } | Refusal<"NO_RESTRICTION_ON_RECORD", { ground: ListingGround }>;

export function checkRestrictionOnRecord(ground: ListingGround, restrictionsOnRecord: number): RestrictionOnRecordCheck {
  if (ground !== "VIOLATES_CONSUMPTION_RESTRICTION" || restrictionsOnRecord > 0) return { ok: true };
  return refuseWith(
    "NO_RESTRICTION_ON_RECORD",
    "listing for violating a consumption restriction (失信规定 art. 1 item 5) needs a consumption restriction of this case on record",
    { ground },
  );
}
