/**
 * What the command centre's tests set up through the API as a court would: a case whose inquiry is left running
 * (an agency may be down), and a seal of a flat that expires in a few days.
 */
import { expect } from "vitest";
import { todayInChina } from "../../domain/calendarDate.js";
import { addDays } from "../../domain/measures/periodDates.js";
import { caseNumber, residentId } from "./identities.js";
import { debtorWith, noticeNumber, ORDER_MEASURE, panel, type RegisteredCase, registerCase } from "./measures.js";
import { REGISTER_CASE, type TestHub } from "./testHub.js";

/** Registers a case of 豫0225 for a fresh debtor without waiting for its first inquiry; its case number. */
export async function registerCaseNow(t: TestHub, officer: string): Promise<string> {
  const number = caseNumber();
  const registered = await t.gql(
    REGISTER_CASE,
    {
      input: {
        caseNumber: number,
        creditorName: "开封农商银行",
        claimAmount: "5000.00",
        debtors: [{ kind: "PERSON", idNumber: residentId(), name: "孙八" }],
      },
    },
    officer,
  );
  expect(registered.errors).toBeUndefined();
  return number;
}

/** A case whose debtor has a flat, sealed from today until `days` days on; the case and the seal's id. */
export async function sealExpiringIn(
  t: TestHub,
  officer: string,
  days: number,
): Promise<{ registered: RegisteredCase; measureId: string }> {
  const debtor = debtorWith({ flat: true });
  const registered = await registerCase(t, officer, { debtor: debtor.idNumber, claimAmount: "20000000" });
  const today = todayInChina(new Date());
  const ordered = await t.gql(
    ORDER_MEASURE,
    {
      input: {
        caseNumber: registered.caseNumber,
        debtorIdNumber: debtor.idNumber,
        kind: "SEAL",
        assetId: registered.assetIds.get(debtor.flat.certificateNumber),
        startsOn: today,
        expiresOn: addDays(today, days),
        notice: { number: noticeNumber(), date: today },
        decision: panel(today),
      },
    },
    officer,
  );
  expect(ordered.errors).toBeUndefined();
  return { registered, measureId: ordered.data.orderMeasure.measure.id };
}
