/**
 * Exactly once across a crash, for police assistance: the hub is killed
 * outright (SIGKILL) in the middle of a batch of requests to locate debtors,
 * one of them just taken on by the police and its acceptance sure to be lost,
 * then started again on the same data. Reports the police send while the hub
 * is down are lost too when their retries end before it is back. Every request
 * ends DONE: the lost acceptance is resent under the same key and answered from
 * the police's original, the lost reports are asked for (HUB_ASSISTANCE_REPORT_CHECK_MS),
 * and the police carried out each request once.
 *
 * Same approach as measures-crash.test.ts: the hub runs as a child process
 * configured through its environment; the sandbox runs here, so its
 * statistics can be read directly.
 */
import { describe, expect, it } from "vitest";
import { todayInChina } from "../../../domain/calendarDate.js";
import { debtorProfile } from "../../../sandbox/debtorProfile.js";
import { useCrashHarness } from "../../support/crashHarness.js";
import { killMidBatch } from "../../support/hubProcess.js";
import { caseNumber, residentId } from "../../support/identities.js";
import { CASE_INQUIRIES, REGISTER_CASE, eventually } from "../../support/testHub.js";

const COURT = "豫0225";
const REQUESTS = 8;
const KILL_AFTER_ACKNOWLEDGED = 3;
const CONCURRENCY = 3;
const REQUEST = `mutation Request($input: PoliceAssistanceInput!) { requestPoliceAssistance(input: $input) { created assistance { id
  status } } }`;
const CASE_ASSISTANCE = `query CaseAssistance($caseNumber: String!) { case(caseNumber: $caseNumber) { policeAssistance(first: 10) {
  edges { node { id status agencyReference result { place } } } } } }`;

const h = useCrashHarness({ name: "hub-assistance-crash", court: COURT, leaseMs: 2_000, env: { HUB_ASSISTANCE_REPORT_CHECK_MS: "1000" } });
const gql = <T = any>(query: string, variables?: Record<string, unknown>) => h.gql<T>(query, variables);

/** A person the sandbox police hold a household record for: located, not reported missing. */
function traceable(): string {
  for (;;) {
    const idNumber = residentId();
    if (debtorProfile(idNumber).household) return idNumber;
  }
}

describe("a hub killed in the middle of a batch of requests for police assistance and restarted on the same data", () => {
  it("ends with every request DONE, each carried out once by the police, lost reports asked for", async () => {
    const { sandbox, hub } = h;
    const today = todayInChina();
    const requests = Array.from({ length: REQUESTS }, (_, i) => ({
      number: caseNumber(COURT),
      debtor: traceable(),
      decisionNumber: `（2024）豫0225执9${i}号之一`,
    }));
    await Promise.all(
      requests.map(async (r) => {
        const registered = await gql(REGISTER_CASE, {
          input: {
            caseNumber: r.number,
            creditorName: "开封农商银行",
            claimAmount: "1000",
            debtors: [{ kind: "PERSON", idNumber: r.debtor, name: "周九" }],
          },
        });
        expect(registered.errors, hub.output).toBeUndefined();
        // The first inquiries finish before the batch, so that every later submission at the police is a request for assistance.
        await eventually(
          () => gql(CASE_INQUIRIES, { caseNumber: r.number }),
          (result) => result.data?.case.inquiries.edges[0]?.node.complete === true,
        );
      }),
    );
    const inputOf = (r: (typeof requests)[number]) => ({
      caseNumber: r.number,
      debtorIdNumber: r.debtor,
      kind: "LOCATE_DEBTOR",
      decision: { decisionNumber: r.decisionNumber, decisionDate: today, judges: ["王明"] },
    });

    const police = sandbox.agencies.POLICE;
    const { killed, acknowledged, lostReplyKey } = await killMidBatch({
      hub,
      stats: police.stats,
      items: requests,
      killAfter: KILL_AFTER_ACKNOWLEDGED,
      concurrency: CONCURRENCY,
      send: async (r) => Boolean((await gql(REQUEST, { input: inputOf(r) })).data?.requestPoliceAssistance),
    });
    expect(killed, "the batch ended before the hub was killed").toBe(true);
    expect(acknowledged.size).toBeLessThan(REQUESTS);

    await hub.start("restarted");
    // The case system sends again what was not acknowledged; the same decision finds a request recorded just before the crash.
    for (const r of requests.filter((x) => !acknowledged.has(x))) {
      const result = await gql(REQUEST, { input: inputOf(r) });
      expect(result.errors, hub.output).toBeUndefined();
    }

    const assistance = await eventually(
      async () => {
        const all = [];
        for (const r of requests) {
          const result = await gql(CASE_ASSISTANCE, { caseNumber: r.number });
          expect(result.errors, hub.output).toBeUndefined();
          all.push(...result.data.case.policeAssistance.edges.map((edge: any) => edge.node));
        }
        return all;
      },
      (all) => all.length === REQUESTS && all.every((a) => a.status === "DONE"),
      60_000,
    );
    expect(assistance.every((a) => /^公协/.test(a.agencyReference) && a.result.place)).toBe(true);

    const rows = await h.afterCleanStop((db) =>
      db.sql.query<{ id: string; request_id: string; status: string; requested: number; exchanges: number; reported: number }>(
        `SELECT a.id::text AS id, r.id::text AS request_id, r.status::text AS status,
                (SELECT count(*)::int FROM audit_event e WHERE e.action = 'POLICE_ASSISTANCE_REQUESTED' AND e.subject_id =
                  a.id::text) AS requested,
                (SELECT count(*)::int FROM audit_event e WHERE e.action = 'AGENCY_EXCHANGE' AND e.subject_id = r.id::text) AS exchanges,
                (SELECT count(*)::int FROM audit_event e WHERE e.action = 'POLICE_ASSISTANCE_REPORTED' AND e.subject_id =
                  a.id::text) AS reported
           FROM police_assistance a JOIN agency_request r ON r.id = a.request_id`,
      ),
    );
    expect(rows).toHaveLength(REQUESTS); // one request per assistance: nothing sent twice under a new key
    for (const row of rows) {
      expect(police.stats.executionsFor(row.request_id), row.id).toBe(1);
      expect(row).toMatchObject({ status: "ANSWERED", requested: 1, exchanges: 1, reported: 1 });
    }
    expect(rows.map((row) => row.request_id)).toContain(lostReplyKey);
    // The reply lost with the crash is asked for, not resent: no key reaches the police twice.
    expect(police.stats.lookupsFor(lostReplyKey!)).toBeGreaterThanOrEqual(1);
    for (const row of rows) expect(police.stats.submissionsFor(row.request_id), row.id).toBe(1);
    console.info(
      `killed after ${acknowledged.size} acknowledged requests; ${police.stats.duplicateSubmissions} duplicate submissions at the ` +
        `police; ` +
        `reports: ${police.stats.callbacksSent} delivered, ${police.stats.callbacksFailed} lost and asked for, ` +
        `${police.stats.polls} status queries`,
    );
  }, 180_000);
});
