/**
 * In-person work out of the province (Henan High Court supervision opinion, item 18; Nanzhao court enforcement
 * minutes (2020): 未委托的必须经局长审查批准): a Henan
 * court's measure on a flat or a vehicle registered in Anhui is refused, with nothing written or sent,
 * until the enforcement director's approval for Anhui is on record for the case; then it is ordered
 * and the approval is named in the audit trail. Where the asset is comes from its certificate or plate
 * (gateway/measures/assetLocation.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInChina } from "../../../domain/calendarDate.js";
import { addDays } from "../../../domain/measures/periodDates.js";
import { debtorProfile, type Flat } from "../../../sandbox/debtorProfile.js";
import { completeResidentId } from "../../../sandbox/idNumbers.js";
import {
  ORDER_MEASURE,
  auditTrail,
  footprint,
  noticeNumber,
  panel,
  refusalOf,
  registerCase,
  type RegisteredCase,
} from "../../support/measures.js";
import { startTestHub, type TestHub } from "../../support/testHub.js";

const RECORD_APPROVAL = `mutation Approve($input: DirectorApprovalInput!) {
  recordDirectorApproval(input: $input) { id province approvalNumber approvedOn director reason recordedBy } }`;

/** A person born in 合肥市蜀山区 whom the sandbox gives an unsealed flat registered in Anhui. */
function anhuiDebtor(): { idNumber: string; flat: Flat } {
  for (let order = 10; ; order++) {
    const idNumber = completeResidentId(
      `340104198501${String((order % 28) + 1).padStart(2, "0")}${String(order).padStart(2, "0").slice(-2)}1`,
    );
    const flat = debtorProfile(idNumber).flats.find(
      (f) => f.certificateNumber.startsWith("皖") && f.encumbrances.every((e) => e.type === "MORTGAGE"),
    );
    if (flat) return { idNumber, flat };
  }
}

let t: TestHub;
let henan: string;
let c: RegisteredCase;
const debtor = anhuiDebtor();
const today = todayInChina();

beforeAll(async () => {
  t = await startTestHub();
  henan = await t.token("豫0225");
  c = await registerCase(t, henan, { debtor: debtor.idNumber, claimAmount: "50000000" });
});

afterAll(async () => {
  await t?.close();
});

const order = (asset: Record<string, unknown>) =>
  t.gql(
    ORDER_MEASURE,
    {
      input: {
        caseNumber: c.caseNumber,
        debtorIdNumber: c.debtor,
        kind: "SEAL",
        ...asset,
        startsOn: today,
        expiresOn: addDays(today, 365),
        notice: { number: noticeNumber(), date: today },
        decision: panel(today),
      },
    },
    henan,
  );

const approval = (overrides: Record<string, unknown> = {}) => ({
  caseNumber: c.caseNumber,
  province: "34",
  approvalNumber: "兰法执批〔2024〕7号",
  approvedOn: today,
  director: "赵局长",
  reason: "委托当地法院办理可能造成财产转移",
  ...overrides,
});

describe("without the director's approval, measures out of the province are refused", () => {
  it("a seal on a flat registered in Anhui, found by the case's inquiry", async () => {
    const assetId = c.assetIds.get(debtor.flat.certificateNumber);
    expect(assetId).toBeDefined();
    const before = await footprint(t);
    expect(refusalOf(await order({ assetId }))).toMatchObject({
      code: "OUT_OF_JURISDICTION_NEEDS_APPROVAL",
      courtProvince: "41",
      assetProvince: "34",
    });
    expect(await footprint(t)).toEqual(before);
  });

  it("a seizure of a vehicle with an Anhui plate that the court identifies itself", async () => {
    const before = await footprint(t);
    const refusal = refusalOf(
      await order({ kind: "SEIZE", asset: { agency: "VEHICLE_REGISTRY", identifier: "皖A12345", category: "MOVABLE", value: "80000" } }),
    );
    expect(refusal).toMatchObject({ code: "OUT_OF_JURISDICTION_NEEDS_APPROVAL", assetProvince: "34" });
    expect(await footprint(t)).toEqual(before);
  });
});

describe("the director's approval (局长审批)", () => {
  it("is recorded only by the case's court, only for another province, with its number, director and reason", async () => {
    expect(refusalOf(await t.gql(RECORD_APPROVAL, { input: approval({ province: "41" }) }, henan))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "province",
    });
    expect(refusalOf(await t.gql(RECORD_APPROVAL, { input: approval({ director: " " }) }, henan))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "director",
    });
    expect(refusalOf(await t.gql(RECORD_APPROVAL, { input: approval() }, await t.token("皖0104")))).toMatchObject({ code: "FORBIDDEN" });
    const recorded = await t.gql(RECORD_APPROVAL, { input: approval() }, henan);
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data.recordDirectorApproval).toMatchObject({
      province: "34",
      approvalNumber: "兰法执批〔2024〕7号",
      director: "赵局长",
      recordedBy: "豫0225-officer",
    });
    // Recording the same approval again changes nothing.
    expect((await t.gql(RECORD_APPROVAL, { input: approval() }, henan)).data.recordDirectorApproval.id).toBe(
      recorded.data.recordDirectorApproval.id,
    );
  });

  it("lets the seal be ordered, and the audit trail names the approval", async () => {
    const result = await order({ assetId: c.assetIds.get(debtor.flat.certificateNumber) });
    expect(result.errors).toBeUndefined();
    expect(result.data.orderMeasure.created).toBe(true);
    await t.hub.sealAudit();
    const rows = await auditTrail(t, henan, c.caseNumber);
    expect(rows.filter((r) => r.action === "DIRECTOR_APPROVAL_RECORDED")).toHaveLength(1);
    const ordered = rows.filter((r) => r.action === "MEASURE_ORDERED");
    expect(ordered).toHaveLength(1);
    expect(ordered[0].detail).toMatchObject({ asset: debtor.flat.certificateNumber, directorApproval: "兰法执批〔2024〕7号" });
  });
});
