/**
 * Queued measures (轮候查封、扣押、冻结) on one asset.
 *
 * 查扣冻规定 (法释〔2020〕21号) art. 26 para. 1: "对已被人民法院查封、扣押、冻结的财产，其他人民法院可以
 * 进行轮候查封、扣押、冻结。查封、扣押、冻结解除的，登记在先的轮候查封、扣押、冻结即自动生效。"
 * Order of registration is the order the assistance notices reached the registry
 * (法发〔2004〕5号 art. 20: "轮候查封登记的顺序按照人民法院送达协助执行通知书的时间先后进行排列"),
 * recorded here as `queuedAt`.
 *
 * Ranks: the measure in effect (首封) has rank 1, queued ones 2, 3, … in order of
 * registration; measures that ended (released or lapsed) have none.
 * Choice: a lapse (art. 27, 效力消灭) ends the first measure as a release does, so the
 * next queued measure takes effect in both cases.
 */

import { refuseWith, type Refusal } from "./guardResult.js";

export type MeasureOnAssetStatus = "EFFECTIVE" | "QUEUED" | "RELEASED" | "LAPSED";

export interface MeasureOnAsset {
  readonly id: string;
  readonly status: MeasureOnAssetStatus;
  /** When the measure was registered with the agency, an ISO 8601 instant with offset. */
  readonly queuedAt: string;
  /** 1 for the measure in effect, 2… for queued ones, null once ended. */
  readonly rank: number | null;
}

export type QueueAdvance =
  | { ok: true; tookEffect: string | null; measures: MeasureOnAsset[] }
  | Refusal<"FIRST_MEASURE_STILL_IN_EFFECT", { effectiveId: string }>
  | Refusal<"SEVERAL_IN_EFFECT", { effectiveIds: string[] }>
  | Refusal<"INVALID_QUEUED_AT", { id: string; queuedAt: string }>;

const ENDED: ReadonlySet<MeasureOnAssetStatus> = new Set(["RELEASED", "LAPSED"]);

/**
 * Called once the measure in effect on an asset has been released or has lapsed:
 * the queued measure registered first takes effect with rank 1, the others move up
 * (2, 3, …). Ties on `queuedAt` keep their previous rank order. Returns the whole list,
 * the measure in effect first, then the queue, then ended measures as given.
 * Refuses while a measure is still in effect: nothing may jump the queue.
 */
export function nextToTakeEffect(measures: readonly MeasureOnAsset[]): QueueAdvance {
  const effective = measures.filter((measure) => measure.status === "EFFECTIVE");
  if (effective.length > 1) {
    return refuseWith(
      "SEVERAL_IN_EFFECT",
      `only one measure can be in effect on an asset; ${effective.map((m) => m.id).join(", ")} all are`,
      { effectiveIds: effective.map((m) => m.id) },
    );
  }
  if (effective.length === 1) {
    return refuseWith(
      "FIRST_MEASURE_STILL_IN_EFFECT",
      `measure ${effective[0].id} is still in effect; a queued measure takes effect only once it is released or has lapsed (查扣冻规定 art. 26)`,
      { effectiveId: effective[0].id },
    );
  }

  const queued: { measure: MeasureOnAsset; at: number }[] = [];
  for (const measure of measures) {
    if (measure.status !== "QUEUED") continue;
    const at = Date.parse(measure.queuedAt);
    if (Number.isNaN(at)) {
      return refuseWith("INVALID_QUEUED_AT", `measure ${measure.id} has no valid registration time: ${JSON.stringify(measure.queuedAt)}`, {
        id: measure.id,
        queuedAt: String(measure.queuedAt),
      });
    }
    queued.push({ measure, at });
  }
  const rankOrder = (rank: number | null) => rank ?? Number.MAX_SAFE_INTEGER;
  queued.sort((a, b) => a.at - b.at || rankOrder(a.measure.rank) - rankOrder(b.measure.rank));

  const advanced = queued.map(
    ({ measure }, index): MeasureOnAsset => ({
      ...measure,
      status: index === 0 ? "EFFECTIVE" : "QUEUED",
      rank: index + 1,
    }),
  );
  const ended = measures.filter((measure) => ENDED.has(measure.status)).map((measure): MeasureOnAsset => ({ ...measure, rank: null }));

  return { ok: true, tookEffect: advanced[0]?.id ?? null, measures: [...advanced, ...ended] };
}
