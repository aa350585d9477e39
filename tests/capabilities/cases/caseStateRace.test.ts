/**
 * A case closed while an inquiry, a measure and a listing are on their way: the closure holds the case row
 * (as every step of a case does, caseSteps.ts) and commits while the three wait, so each finds the case closed
 * under the lock and is refused; nothing of theirs is written. On PostgreSQL the three really wait on the row
 * lock (their first, unlocked check saw the case in enforcement); on PGlite, one connection, they wait for the
 * closing transaction as a whole.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lockOwnCase, recordStep } from "../../../capabilities/cases/caseSteps.js";
import { todayInChina } from "../../../domain/calendarDate.js";
import { addDays, lastDayOfPeriod } from "../../../domain/measures/periodDates.js";
import { debtorWith, noticeNumber, ORDER_MEASURE, panel, refusalOf, registerCase, REQUEST_INQUIRY } from "../../support/measures.js";
import { facts, LIST_DEBTOR } from "../../support/sanctions.js";
import { onPostgres } from "../../support/testDatabase.js";
import { eventually, startTestHub, type TestHub } from "../../support/testHub.js";

let t: TestHub;
let officer: string;

beforeAll(async () => {
  t = await startTestHub();
  officer = await t.token("豫0225", ["CASE_OFFICER"], "officer-赵");
});

afterAll(async () => {
  await t?.close();
});

async function written(caseId: string): Promise<{ inquiries: number; measures: number; entries: number }> {
  const [row] = await t.hub.db.sql.query<{ inquiries: number; measures: number; entries: number }>(
    `SELECT (SELECT count(*)::int FROM inquiry WHERE case_id = $1::uuid) AS inquiries,
            (SELECT count(*)::int FROM measure WHERE case_id = $1::uuid) AS measures,
            (SELECT count(*)::int FROM sanction_entry WHERE case_id = $1::uuid) AS entries`,
    [caseId],
  );
  return row;
}

describe("the case-state check and the write are one", () => {
  it("refuses an inquiry, a measure and a listing whose case is closed while they wait; never both succeed", async () => {
    const debtor = debtorWith({ flat: true });
    const registered = await registerCase(t, officer, { debtor: debtor.idNumber, claimAmount: debtor.flat.appraisal });
    const before = await written(registered.caseId);
    const today = todayInChina(new Date());
    const principal = { org: "豫0225", roles: ["CASE_OFFICER" as const], officer: "officer-赵" };

    let commit!: () => void;
    const gate = new Promise<void>((resolve) => {
      commit = resolve;
    });
    const closer = t.hub.db.dedicatedSql(1);
    let held!: () => void;
    const holding = new Promise<void>((resolve) => {
      held = resolve;
    });
    const closing = closer.transaction(async (tx) => {
      const locked = await lockOwnCase(tx, principal, registered.caseNumber);
      await recordStep(tx, principal, locked, "CLOSE", "CLOSED", "被执行人履行完毕", {}, new Date());
      held();
      await gate;
    });
    await holding;

    const works = Promise.all([
      t.gql(
        REQUEST_INQUIRY,
        { input: { caseNumber: registered.caseNumber, debtorIdNumber: debtor.idNumber, channel: "NATIONAL", purpose: "再次查询" } },
        officer,
      ),
      t.gql(
        ORDER_MEASURE,
        {
          input: {
            caseNumber: registered.caseNumber,
            debtorIdNumber: debtor.idNumber,
            kind: "SEAL",
            assetId: registered.assetIds.get(debtor.flat.certificateNumber),
            startsOn: today,
            expiresOn: addDays(lastDayOfPeriod(today, 36), -1),
            notice: { number: noticeNumber(), date: today },
            decision: panel(today),
          },
        },
        officer,
      ),
      t.gql(LIST_DEBTOR, { input: { ...facts(registered.caseNumber, debtor.idNumber), ground: "VIOLATES_PROPERTY_REPORTING" } }, officer),
    ]);
    if (onPostgres) {
      // All three have passed their first check and wait on the case row the closure holds.
      const watcher = t.hub.db.dedicatedSql(1);
      await eventually(
        () =>
          watcher.query<{ waiting: number }>(
            `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          ),
        ([row]) => row.waiting === 3,
      );
    } else {
      // PGlite has one connection: the requests queue behind the open transaction; let them all arrive.
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    commit();
    await closing;

    const [inquiry, measure, listing] = await works;
    expect(refusalOf(inquiry)).toMatchObject({ code: "CASE_NOT_ACTIVE", status: "CLOSED", work: "INQUIRY" });
    expect(refusalOf(measure)).toMatchObject({ code: "CASE_NOT_ACTIVE", status: "CLOSED", work: "MEASURE" });
    expect(refusalOf(listing)).toMatchObject({ code: "CASE_NOT_ACTIVE", status: "CLOSED", work: "LISTING" });
    expect(await written(registered.caseId)).toEqual(before);
  });
});
