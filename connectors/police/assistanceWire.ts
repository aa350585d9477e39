/**
 * 公安 assistance wire format (docs/AGENCY_PROTOCOLS.md, "POLICE: assistance"):
 * the SOAP request, the SOAP acceptance, and the signed JSON report that follows.
 */
import type { AssistanceCall, AssistanceReport } from "../connector.js";
import { isoDate, isoDateTime, literal, record, tagged, text, type Decoded, type Decoder } from "../codec.js";
import { soapRequest } from "./soap.js";

export function assistanceEnvelope(call: AssistanceCall): string {
  return soapRequest("AssistanceRequest", [
    ["RequestId", call.idempotencyKey],
    ["Kind", call.kind],
    ["CaseNumber", call.caseNumber],
    ["Court", call.courtCode],
    ["IdNumber", call.debtor.idNumber],
    ["Name", call.debtor.name],
    ["Plate", call.plate],
    ["From", call.from],
    ["Until", call.until],
    ["RestrictionRef", call.restrictionRef],
    ["DecisionNumber", call.decision.number],
    ["DecisionDate", call.decision.date],
    ...call.decision.judges.map((judge) => ["Judge", judge] as const),
    ["Officer", call.officer],
    ["CallbackUrl", call.callbackUrl],
  ]);
}

export const assistanceResponse = record({ RequestId: text, Result: literal("ACCEPTED"), Reference: text });

const head = { requestId: text, reference: text, at: isoDateTime };

/** What each kind reports when done; the tag is checked again so the decoded type narrows. */
const done = tagged("kind", {
  LOCATE_DEBTOR: record({ ...head, kind: literal("LOCATE_DEBTOR"), place: text }),
  TEMPORARY_CONTROL: record({ ...head, kind: literal("TEMPORARY_CONTROL"), place: text, unit: text }),
  SEIZE_VEHICLE: record({ ...head, kind: literal("SEIZE_VEHICLE"), plate: text, heldAt: text }),
  RESTRICT_EXIT: record({ ...head, kind: literal("RESTRICT_EXIT"), borderControlRef: text, until: isoDate }),
  LIFT_EXIT_RESTRICTION: record({ ...head, kind: literal("LIFT_EXIT_RESTRICTION"), borderControlRef: text }),
});

export const assistanceReportBody = tagged("result", {
  DONE: (value, path) => ({ ...done(value, path), result: "DONE" as const }),
  UNSUCCESSFUL: record({ ...head, result: literal("UNSUCCESSFUL"), reason: text }),
} satisfies Record<string, Decoder<unknown>>);

/** The answer to a status query: `{"state":"PENDING"}` (undefined) or the report as it was sent. */
export const assistanceStatusBody: Decoder<Decoded<typeof assistanceReportBody> | undefined> = (value, path) =>
  (value as { state?: unknown } | null)?.state === "PENDING" ? undefined : assistanceReportBody(value, path);

export function toAssistanceReport(report: Decoded<typeof assistanceReportBody>): AssistanceReport {
  const base = { requestKey: report.requestId, reference: report.reference, at: report.at };
  if (report.result === "UNSUCCESSFUL") return { ...base, outcome: "UNSUCCESSFUL", reason: report.reason };
  switch (report.kind) {
    case "LOCATE_DEBTOR":
      return { ...base, outcome: "DONE", place: report.place };
    case "TEMPORARY_CONTROL":
      return { ...base, outcome: "DONE", place: report.place, unit: report.unit };
    case "SEIZE_VEHICLE":
      return { ...base, outcome: "DONE", heldAt: report.heldAt };
    case "RESTRICT_EXIT":
    case "LIFT_EXIT_RESTRICTION":
      return { ...base, outcome: "DONE", borderControlReference: report.borderControlRef };
  }
}
