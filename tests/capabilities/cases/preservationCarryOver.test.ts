/**
 * A 执保 case seals a flat; it may not deduct or list (民诉法解释 art. 168; 失信规定 art. 1). Once the judgment is
 * enforceable its seal passes to the 执 case with the same expiry, no new order sent (民诉法解释 art. 168), and the
 * expiry watch's list shows it under the 执 case.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInChina } from "../../../domain/calendarDate.js";
import { addDays, lastDayOfPeriod } from "../../../domain/measures/periodDates.js";
import {
  auditTrail,
  controlRequests,
  debtorWith,
  MEASURE,
  noticeNumber,
  ORDER_MEASURE,
  panel,
  refusalOf,
  registerCase,
  type RegisteredCase,
} from "../../support/measures.js";
import { facts, LIST_DEBTOR } from "../../support/sanctions.js";
import { eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const CARRY = `mutation Carry($preservationCaseNumber: String!, $caseNumber: String!, $reason: String!) {
  carryOverPreservation(preservationCaseNumber: $preservationCaseNumber, caseNumber: $caseNumber, reason: $reason) {
    caseNumber preservationCase { caseNumber enforcedAs { caseNumber } }
    measures(first: 10) { edges { node { id status expiresOn agencyReference carriedOverAt carriedFromCaseNumber caseNumber } } } } }`;
const EXPIRING = `query Expiring($withinDays: Int!) { measuresExpiring(withinDays: $withinDays) { id caseNumber expiresOn } }`;

const serial = () => Math.floor(Math.random() * 1_000_000) + 1;
const today = todayInChina(new Date());
let t: TestHub;
let officer: string;
let preservation: RegisteredCase;
let enforcement: RegisteredCase;
let sealId: string;
const debtor = debtorWith({ flat: true });
const expiresOn = addDays(lastDayOfPeriod(today, 36), -1);

beforeAll(async () => {
  t = await startTestHub();
  officer = await t.token("豫0225", ["CASE_OFFICER"], "officer-赵");
  preservation = await registerCase(t, officer, {
    debtor: debtor.idNumber,
    claimAmount: debtor.flat.appraisal,
    number: `（2024）豫0225执保${serial()}号`,
  });
});

afterAll(async () => {
  await t?.close();
});

describe("a preservation case (执保) and its carry-over to enforcement", () => {
  it("seals a flat, but neither deducts nor lists, naming the rule", async () => {
    const ordered = await t.gql(
      ORDER_MEASURE,
      {
        input: {
          caseNumber: preservation.caseNumber,
          debtorIdNumber: debtor.idNumber,
          kind: "SEAL",
          assetId: preservation.assetIds.get(debtor.flat.certificateNumber),
          startsOn: today,
          expiresOn,
          notice: { number: noticeNumber(), date: today },
          decision: panel(today),
        },
      },
      officer,
    );
    expect(ordered.errors).toBeUndefined();
    sealId = ordered.data.orderMeasure.measure.id;
    await eventually(
      () => t.gql(MEASURE, { id: sealId }, officer),
      (r) => r.data?.measure.status === "EFFECTIVE",
    );
    const deduct = await t.gql(
      ORDER_MEASURE,
      {
        input: {
          caseNumber: preservation.caseNumber,
          debtorIdNumber: debtor.idNumber,
          kind: "DEDUCT",
          assetId: preservation.assetIds.get(debtor.flat.certificateNumber),
          startsOn: today,
          expiresOn: today,
          notice: { number: noticeNumber(), date: today },
          decision: panel(today),
        },
      },
      officer,
    );
    expect(refusalOf(deduct)).toMatchObject({
      code: "PRESERVATION_CASE_LIMIT",
      work: "DEDUCT",
      rule: expect.stringContaining("民诉法解释 art. 168"),
    });
    const listing = await t.gql(
      LIST_DEBTOR,
      { input: { ...facts(preservation.caseNumber, debtor.idNumber), ground: "VIOLATES_PROPERTY_REPORTING" } },
      officer,
    );
    expect(refusalOf(listing)).toMatchObject({
      code: "PRESERVATION_CASE_LIMIT",
      work: "LISTING",
      rule: expect.stringContaining("失信规定"),
    });
  });

  it("carries the seal over to the 执 case with the same expiry and no new order; the expiry list shows it there", async () => {
    enforcement = await registerCase(t, officer, { debtor: debtor.idNumber, claimAmount: debtor.flat.appraisal });
    const refused = refusalOf(
      await t.gql(
        CARRY,
        { preservationCaseNumber: enforcement.caseNumber, caseNumber: preservation.caseNumber, reason: "判决生效" },
        officer,
      ),
    );
    expect(refused).toMatchObject({ code: "CARRY_OVER_NOT_ALLOWED", field: "preservationCaseNumber", rule: "民诉法解释 art. 168" });
    const before = (await t.gql(MEASURE, { id: sealId }, officer)).data.measure;
    const carry = () =>
      t.gql(CARRY, { preservationCaseNumber: preservation.caseNumber, caseNumber: enforcement.caseNumber, reason: "判决生效" }, officer);
    const carried = await carry();
    expect(carried.errors).toBeUndefined();
    expect(carried.data.carryOverPreservation).toMatchObject({
      caseNumber: enforcement.caseNumber,
      preservationCase: { caseNumber: preservation.caseNumber, enforcedAs: { caseNumber: enforcement.caseNumber } },
      measures: {
        edges: [
          {
            node: {
              id: sealId,
              status: "EFFECTIVE",
              expiresOn,
              agencyReference: before.agencyReference,
              carriedFromCaseNumber: preservation.caseNumber,
              caseNumber: enforcement.caseNumber,
            },
          },
        ],
      },
    });
    expect(carried.data.carryOverPreservation.measures.edges[0].node.carriedOverAt).not.toBeNull();
    // Again: the same answer, nothing moved twice.
    expect((await carry()).data.carryOverPreservation.caseNumber).toBe(enforcement.caseNumber);
    expect((await controlRequests(t, sealId)).map((request) => request.action)).toEqual(["APPLY"]);
    const expiring = (await t.gql(EXPIRING, { withinDays: 1200 }, officer)).data.measuresExpiring;
    expect(expiring.find((measure: { id: string }) => measure.id === sealId)).toEqual({
      id: sealId,
      caseNumber: enforcement.caseNumber,
      expiresOn,
    });
    const trail = await auditTrail(t, officer, enforcement.caseNumber);
    expect(trail.find((row) => row.action === "PRESERVATION_CARRIED_OVER")?.detail).toMatchObject({
      preservedBy: preservation.caseNumber,
      rule: "民诉法解释 art. 168",
      measures: [{ id: sealId, expiresOn }],
    });
  });
});
