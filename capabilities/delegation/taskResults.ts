/**
 * What a completed task reports back: a summary, and for queries and investigations (ASSET_FINDING_KINDS)
 * the assets found, in the same typed shapes an agency's answer to an inquiry is normalised into, so
 * they join the case's assets and can be sealed or frozen like any other.
 */
import type { AgencyKind, AssetFinding } from "../../connectors/connector.js";
import { ASSET_FINDING_KINDS, type DelegatedTaskKind } from "../../domain/delegation/taskKinds.js";
import { parseYuan } from "../../domain/measures/yuan.js";
import { guardRefused, invalidField } from "../../gateway/errors.js";

export type ReportedAsset = AssetFinding & { agency: AgencyKind };

export interface TaskResultsInput {
  summary: string;
  assets?: ReportedAsset[];
}

export function checkResults(kind: DelegatedTaskKind, results: TaskResultsInput | undefined): TaskResultsInput {
  if (!results?.summary.trim()) throw invalidField("results.summary", "a completed task reports what was done");
  const assets = results.assets ?? [];
  if (assets.length > 0 && !ASSET_FINDING_KINDS.includes(kind)) {
    throw invalidField("results.assets", `a ${kind} task reports no assets; only ${ASSET_FINDING_KINDS.join(" and ")} tasks do`);
  }
  const seen = new Set<string>();
  assets.forEach((asset, index) => {
    if (!asset.identifier.trim()) throw invalidField(`results.assets[${index}].identifier`, "the registry identifier is required");
    if (seen.has(asset.identifier)) throw invalidField(`results.assets[${index}].identifier`, `${asset.identifier} is reported twice`);
    seen.add(asset.identifier);
    if (asset.estimatedValue !== undefined) {
      const value = parseYuan(asset.estimatedValue, `results.assets[${index}].estimatedValue`);
      if (!value.ok) throw guardRefused(value);
    }
  });
  return { summary: results.summary.trim(), assets };
}
