/**
 * One measure per asset and case. A case that already has a seal, freeze or seizure requested, queued or in
 * force on an asset gains nothing from a second one: the registry would only queue it behind the case's own
 * (查扣冻规定 2020 art. 26 ranks measures of several courts, not a court against itself), and it would count
 * the asset twice against the claim (查扣冻规定 2020 art. 19; 民事诉讼法 2023 art. 253: no wider than the
 * obligation). The way to keep an asset longer is renewal (续行), which changes the measure in force.
 *
 * A deposit account is frozen by amount (民事诉讼法 2023 art. 253 freezes deposits "不得超出被执行人应当履行义务的
 * 范围"), so a further freeze of the part the case has not frozen is a new measure on the same account: allowed
 * while the case's freezes on it, the new one included, stay within the balance the bank last reported. With
 * no reported balance the hub cannot tell the unfrozen part, and refuses like any other second measure.
 */
import { refuseWith, type Refusal } from "./guardResult.js";
import type { MeasureKind } from "./measureKinds.js";
import { formatYuan, parseYuan, type InvalidAmount } from "./yuan.js";

/** A measure of the case on the asset that is requested, queued or in force. */
export interface MeasureOnAsset {
  readonly id: string;
  readonly kind: MeasureKind;
  readonly status: string;
  /** yuan */
  readonly value: string;
}

export interface OneMeasurePerAssetInput {
  readonly kind: MeasureKind;
  /** yuan the new measure would hold */
  readonly value: string;
  readonly existing: readonly MeasureOnAsset[];
  /** For a deposit account, the balance the bank last reported, yuan. */
  readonly balance?: string;
}

export type MeasureAlreadyOnAsset = Refusal<
  "MEASURE_ALREADY_ON_ASSET",
  { existingMeasureId: string; existingKind: MeasureKind; existingStatus: string; frozenByCase?: string; balance?: string }
>;

export function checkOneMeasurePerAsset(input: OneMeasurePerAssetInput): { ok: true } | MeasureAlreadyOnAsset | InvalidAmount {
  const [first] = input.existing;
  if (first === undefined) return { ok: true };
  const existing = { existingMeasureId: first.id, existingKind: first.kind, existingStatus: first.status };
  if (input.kind === "FREEZE" && input.balance !== undefined && input.existing.every((m) => m.kind === "FREEZE")) {
    const balance = parseYuan(input.balance, "balance");
    if (!balance.ok) return balance;
    const added = parseYuan(input.value, "value");
    if (!added.ok) return added;
    let frozen = 0n;
    for (const measure of input.existing) {
      const value = parseYuan(measure.value, "existing value");
      if (!value.ok) return value;
      frozen += value.cents;
    }
    if (frozen + added.cents <= balance.cents) return { ok: true };
    const figures = { frozenByCase: formatYuan(frozen), balance: formatYuan(balance.cents) };
    return refuseWith(
      "MEASURE_ALREADY_ON_ASSET",
      `the case's freezes on this account already hold ${figures.frozenByCase} of its ${figures.balance} yuan balance; ` +
        `a further freeze may hold at most ${formatYuan(balance.cents > frozen ? balance.cents - frozen : 0n)} yuan`,
      { ...existing, ...figures },
    );
  }
  return refuseWith(
    "MEASURE_ALREADY_ON_ASSET",
    `the case already has ${first.kind} ${first.id} (${first.status}) on this asset; renew it rather than order another`,
    existing,
  );
}
