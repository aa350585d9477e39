/**
 * What a completed task reports back: a summary, and for queries and investigations (ASSET_FINDING_KINDS)
 * the assets found, in the same typed shapes an agency's answer to an inquiry is normalised into, so
 * they join the case's assets and can be sealed or frozen like any other; for freezes, seals and deductions
 * (CONTROL_KINDS) the agency's registration, which settles the task's measure (delegatedMeasures.ts).
 */
import type { AgencyKind, AssetFinding } from "../../connectors/connector.js";
import { ASSET_FINDING_KINDS, CONTROL_KINDS, isControlKind, type DelegatedTaskKind } from "../../domain/delegation/taskKinds.js";
import { isCalendarDate } from "../../domain/calendarDate.js";
import type { ControlReport } from "../measures/delegatedMeasures.js";
import { parseYuan } from "../../domain/measures/yuan.js";
import { guardRefused, invalidField } from "../../gateway/errors.js";

export type ReportedAsset = AssetFinding & { agency: AgencyKind };

export interface TaskResultsInput {
  summary: string;
  assets?: ReportedAsset[];
  control?: ControlReport;
}

export function checkResults(kind: DelegatedTaskKind, results: TaskResultsInput | undefined): TaskResultsInput {
  if (!results?.summary.trim()) throw invalidField("results.summary", "a completed task reports what was done");
  const assets = results.assets ?? [];
  if (assets.length > 0 && !ASSET_FINDING_KINDS.includes(kind)) {
    throw invalidField("results.assets", `a ${kind} task reports no assets; only ${ASSET_FINDING_KINDS.join(" and ")} tasks do`);
  }
  if (results.control && !isControlKind(kind)) {
    throw invalidField("results.control", `a ${kind} task registers nothing at an agency; only ${CONTROL_KINDS.join(", ")} tasks do`);
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
  return { summary: results.summary.trim(), assets, ...(isControlKind(kind) && { control: checkControlReport(results.control) }) };
}

function checkControlReport(control: ControlReport | undefined): ControlReport {
  const kinds = CONTROL_KINDS.join(", ");
  if (!control) throw invalidField("results.control", `a completed ${kinds} task reports what the agency registered`);
  if (!control.assetIdentifier?.trim()) throw invalidField("results.control.assetIdentifier", "say what was sealed or frozen");
  if (!control.agencyReference?.trim()) throw invalidField("results.control.agencyReference", "the agency's registration is required");
  if (!isCalendarDate(control.registeredOn)) throw invalidField("results.control.registeredOn", "a YYYY-MM-DD date");
  if (control.registeredUntil != null && !isCalendarDate(control.registeredUntil)) {
    throw invalidField("results.control.registeredUntil", "a YYYY-MM-DD date");
  }
  if (control.rank != null && (!Number.isSafeInteger(control.rank) || control.rank < 1)) {
    throw invalidField("results.control.rank", "轮候 rank: 1 or more");
  }
  return {
    assetIdentifier: control.assetIdentifier.trim(),
    agencyReference: control.agencyReference.trim(),
    registeredOn: control.registeredOn,
    ...(control.registeredUntil != null && { registeredUntil: control.registeredUntil }),
    ...(control.rank != null && { rank: control.rank }),
  };
}
