/**
 * What one court may delegate to another (事项委托): Henan High Court supervision opinion, item 18 lists 查询、冻结、查封、划拨、
 * 调查、送达法律文书, and, after agreement with the court where the property is, 评估、拍卖、变卖.
 * Seed 004 (§ 执行实施 5, 办理委托案件) is the receiving side of the same work.
 */
export const DELEGATED_TASK_KINDS = [
  "QUERY",
  "FREEZE",
  "SEAL",
  "DEDUCT",
  "INVESTIGATE",
  "SERVE_DOCUMENTS",
  "VALUATION_AUCTION_CONSULTATION",
] as const;
export type DelegatedTaskKind = (typeof DELEGATED_TASK_KINDS)[number];

/** Kinds whose results are assets found for the case (like an inquiry's), not only a report. */
export const ASSET_FINDING_KINDS: readonly DelegatedTaskKind[] = ["QUERY", "INVESTIGATE"];

/**
 * Kinds that put a measure on an asset (冻结、查封、划拨): ordered with the same decision, period and limits as a measure the
 * court orders itself (查扣冻规定 2020 art. 19; 民诉法解释 2022 art. 485), and reported back as the agency registered them.
 */
export const CONTROL_KINDS = ["FREEZE", "SEAL", "DEDUCT"] as const satisfies readonly DelegatedTaskKind[];
export type ControlTaskKind = (typeof CONTROL_KINDS)[number];
export const isControlKind = (kind: DelegatedTaskKind): kind is ControlTaskKind => (CONTROL_KINDS as readonly string[]).includes(kind);
