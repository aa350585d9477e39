/**
 * Agency requests finished in the same turn share one statement
 * (AgencyRequestStore.finish through a StatementBatcher). Against the real
 * database: parts of one inquiry count its open parts down in call order, as
 * if finished one after the other; a second finish of the same request changes
 * nothing, also when it is made in the same turn; every finish has its assets
 * and its audit row.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENCY_KINDS, type OtherAssetFinding } from "../../../connectors/connector.js";
import { AgencyRequestStore } from "../../../gateway/dispatch/agencyRequestStore.js";
import type { AuditEntry } from "../../../gateway/audit/auditEvent.js";
import { MEASURE_FINISHING } from "../../../capabilities/measures/measureStore.js";
import { caseNumber, residentId } from "../../support/identities.js";
import { REGISTER_CASE, eventually, startTestHub, type TestHub } from "../../support/testHub.js";

let hub: TestHub;
interface Part {
  id: string;
  case_id: string;
  debtor_id: string;
  agency_kind: string;
  inquiry_id: string;
}
let parts: Part[];

beforeAll(async () => {
  // Agencies that drop every connection: the parts stay open, retried with backoff, until this test finishes them.
  hub = await startTestHub({ knobs: Object.fromEntries(AGENCY_KINDS.map((kind) => [kind, { down: true }])) });
  const token = await hub.token("豫0225");
  const registered = await hub.gql(
    REGISTER_CASE,
    {
      input: {
        caseNumber: caseNumber(),
        creditorName: "开封农商银行",
        claimAmount: "50000",
        debtors: [{ kind: "PERSON", idNumber: residentId(), name: "周八" }],
      },
    },
    token,
  );
  expect(registered.errors).toBeUndefined();
  await hub.hub.dispatcher.stop();
  const sql = hub.hub.db.sql;
  parts = await eventually(
    () =>
      sql.query<Part>(
        `SELECT id::text AS id, case_id::text AS case_id, debtor_id::text AS debtor_id, agency_kind, inquiry_id::text AS inquiry_id
         FROM agency_request ORDER BY agency_kind`,
      ),
    (rows) => rows.length === AGENCY_KINDS.length,
  );
});

afterAll(async () => {
  await hub?.close();
});

function audit(part: Part): AuditEntry {
  return {
    actorOrg: "豫0225",
    action: "AGENCY_EXCHANGE",
    caseId: part.case_id,
    debtorId: part.debtor_id,
    subjectId: part.id,
    detail: { agency: part.agency_kind },
  };
}

describe("finishing agency requests together", () => {
  it("counts an inquiry's open parts down in call order, finishes each request once, and audits each finish", async () => {
    const store = new AgencyRequestStore(hub.hub.db.sql, MEASURE_FINISHING);
    const [a, b, c, ...rest] = parts;
    const total = parts.length;
    const asset: OtherAssetFinding = {
      type: "OTHER",
      identifier: "TX-1",
      description: "应退税款 10.00 元",
      estimatedValue: "10.00",
      category: "TAX_REFUND",
      holder: "国家税务总局兰考县税务局",
      encumbrances: [],
    };
    // Same turn: three requests, and the first one twice.
    const first = await Promise.all([
      store.finish(a.id, { status: "ANSWERED", findings: { assets: [asset] }, raw: "{}" }, audit(a)),
      store.finish(b.id, { status: "REFUSED", raw: "{}", error: "refused by the agency: no such person" }, audit(b)),
      store.finish(a.id, { status: "FAILED", error: "a late second answer" }, audit(a)),
      store.finish(c.id, { status: "ANSWERED", raw: "{}" }, audit(c)),
    ]);
    expect(first).toEqual([
      { finished: true, openParts: total - 1, measureStatus: null },
      { finished: true, openParts: total - 2, measureStatus: null },
      { finished: false, openParts: null, measureStatus: null },
      { finished: true, openParts: total - 3, measureStatus: null },
    ]);
    const later = await Promise.all(rest.map((part) => store.finish(part.id, { status: "TIMED_OUT", error: "no answer" }, audit(part))));
    expect(later.map((r) => r.openParts)).toEqual(rest.map((_, i) => rest.length - 1 - i));

    const sql = hub.hub.db.sql;
    const [inquiry] = await sql.query<{ open_parts: number; complete: boolean }>(
      `SELECT open_parts, completed_at IS NOT NULL AS complete FROM inquiry WHERE id = $1::uuid`,
      [a.inquiry_id],
    );
    expect(inquiry).toEqual({ open_parts: 0, complete: true });
    const statuses = await sql.query<{ id: string; status: string }>(`SELECT id::text AS id, status::text AS status FROM agency_request`);
    expect(Object.fromEntries(statuses.map((r) => [r.id, r.status]))).toEqual({
      [a.id]: "ANSWERED",
      [b.id]: "REFUSED",
      [c.id]: "ANSWERED",
      ...Object.fromEntries(rest.map((part) => [part.id, "TIMED_OUT"])),
    });
    const assets = await sql.query<{ agency_request_id: string; identifier: string }>(
      `SELECT agency_request_id::text AS agency_request_id, identifier FROM asset_sighting`,
    );
    expect(assets).toEqual([{ agency_request_id: a.id, identifier: "TX-1" }]);
    const audits = await sql.query<{ subject_id: string; n: number }>(
      `SELECT subject_id, count(*)::int AS n FROM audit_event WHERE action = 'AGENCY_EXCHANGE' GROUP BY subject_id ORDER BY subject_id`,
    );
    expect(audits).toEqual(parts.map((p) => ({ subject_id: p.id, n: 1 })).sort((x, y) => x.subject_id.localeCompare(y.subject_id)));
  });
});
