/**
 * One asset, one truth: three inquiries and a delegated query that find the same flat show one asset with
 * a sighting each; the case cannot seal it twice; an inquiryUpdates event of an ANSWERED part carries what
 * the part found. On a real hub with the sandbox agencies, through GraphQL and graphql-ws.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInChina } from "../../../domain/calendarDate.js";
import { addDays, lastDayOfPeriod } from "../../../domain/measures/periodDates.js";
import { ACCEPT, ANHUI, COMPLETE, DELEGATE, HENAN, RECEIVE } from "../../support/delegation.js";
import {
  ORDER_MEASURE,
  REQUEST_INQUIRY,
  debtorWith,
  noticeNumber,
  panel,
  refusalOf,
  registerCase,
  type RegisteredCase,
} from "../../support/measures.js";
import { collect, type Stream } from "../../support/subscriptionStream.js";
import { eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const CASE_ASSETS = `query Assets($caseNumber: String!) { case(caseNumber: $caseNumber) { assets { id identifier foundBy
  sightings { inquiryPartId delegatedTaskId identifier estimatedValue } } } }`;
const UPDATES = `subscription Updates($caseNumber: String!) { inquiryUpdates(caseNumber: $caseNumber) { inquiryId agency status
  part { id assets { id identifier } } } }`;

let t: TestHub;
let henan: string;
const debtor = debtorWith({ flat: true, vehicle: true, account: { balance: "20000" } });
let c: RegisteredCase;
const today = () => todayInChina(new Date());

beforeAll(async () => {
  t = await startTestHub();
  henan = await t.token(HENAN);
  c = await registerCase(t, henan, { debtor: debtor.idNumber, claimAmount: "20000000" });
}, 60_000);
afterAll(() => t?.close());

async function inquire(agency = "PROPERTY_REGISTRY"): Promise<string> {
  const requested = await t.gql(
    REQUEST_INQUIRY,
    { input: { caseNumber: c.caseNumber, debtorIdNumber: c.debtor, purpose: "再次查询", agencies: [agency] } },
    henan,
  );
  expect(requested.errors).toBeUndefined();
  return requested.data.requestInquiry.id;
}

/** A delegated QUERY that the Anhui court completes reporting the debtor's flat. */
async function delegatedQueryFindingTheFlat(): Promise<string> {
  const anhui = await t.token(ANHUI);
  const input = { caseNumber: c.caseNumber, debtorIdNumber: c.debtor, kind: "QUERY", instructions: "查询不动产", divisionCode: "340104" };
  const taskId = (await t.gql(DELEGATE, { input }, henan)).data.delegateTask.id;
  expect((await t.gql(RECEIVE, { taskId }, anhui)).errors).toBeUndefined();
  expect((await t.gql(ACCEPT, { taskId }, anhui)).errors).toBeUndefined();
  const { flat } = debtor;
  const realEstate = { certificateNumber: flat.certificateNumber, address: flat.address, areaSquareMetres: flat.areaSquareMetres };
  const completed = await t.gql(
    COMPLETE,
    {
      input: {
        taskId,
        results: {
          summary: "经查，被执行人名下有不动产一处",
          assets: [
            {
              agency: "PROPERTY_REGISTRY",
              identifier: flat.certificateNumber,
              description: "住宅",
              estimatedValue: "990000",
              realEstate: { ...realEstate, usage: flat.usage, ownershipShare: flat.share },
            },
          ],
        },
      },
    },
    anhui,
  );
  expect(completed.errors).toBeUndefined();
  return taskId;
}

describe("an asset is one thing", () => {
  it("three inquiries and a delegated query that find the same flat show one asset with four sightings", async () => {
    const inquiries = [await inquire(), await inquire()];
    const taskId = await delegatedQueryFindingTheFlat();
    const flats = await eventually(
      async () =>
        ((await t.gql(CASE_ASSETS, { caseNumber: c.caseNumber }, henan)).data.case.assets as any[]).filter(
          (a) => a.identifier === debtor.flat.certificateNumber,
        ),
      (found) => found.length === 1 && found[0].sightings.length === 4,
    );
    const [flat] = flats;
    expect(flat.id).toBe(c.assetIds.get(debtor.flat.certificateNumber));
    expect(flat.sightings.filter((s: any) => s.inquiryPartId !== null)).toHaveLength(3);
    expect(flat.sightings.at(-1)).toMatchObject({ delegatedTaskId: taskId, inquiryPartId: null, estimatedValue: "990000.00" });
    expect(flat.foundBy).toBe(flat.sightings[0].inquiryPartId);
    expect(inquiries).toHaveLength(2);
  });
});

describe("one measure per asset", () => {
  const seal = () => ({
    caseNumber: c.caseNumber,
    debtorIdNumber: c.debtor,
    kind: "SEAL",
    assetId: c.assetIds.get(debtor.flat.certificateNumber),
    startsOn: today(),
    expiresOn: addDays(lastDayOfPeriod(today(), 36), -1),
    notice: { number: noticeNumber(), date: today() },
    decision: panel(today()),
  });

  it("refuses a second seal of the flat, naming the measure already on it (民事诉讼法 2023 art. 253)", async () => {
    const first = await t.gql(ORDER_MEASURE, { input: seal() }, henan);
    expect(first.errors).toBeUndefined();
    const refusal = refusalOf(await t.gql(ORDER_MEASURE, { input: seal() }, henan));
    expect(refusal).toMatchObject({
      code: "MEASURE_ALREADY_ON_ASSET",
      existingMeasureId: first.data.orderMeasure.measure.id,
      existingKind: "SEAL",
    });
  });

  it("allows a further freeze of an account only within its reported balance", async () => {
    const accountId = c.assetIds.get(debtor.account.accountNumber);
    const freeze = (value: string) => ({
      ...seal(),
      kind: "FREEZE",
      assetId: accountId,
      value,
      expiresOn: addDays(lastDayOfPeriod(today(), 12), -1),
    });
    const first = await t.gql(ORDER_MEASURE, { input: freeze("10000") }, henan);
    expect(first.errors).toBeUndefined();
    expect((await t.gql(ORDER_MEASURE, { input: freeze("5000") }, henan)).errors).toBeUndefined();
    const balance = debtor.account.balance;
    const refusal = refusalOf(await t.gql(ORDER_MEASURE, { input: freeze(balance) }, henan));
    expect(refusal).toMatchObject({ code: "MEASURE_ALREADY_ON_ASSET", existingMeasureId: first.data.orderMeasure.measure.id });
    expect(refusal.frozenByCase).toBe("15000.00");
  });
});

describe("subscriptions carry what a query would show", () => {
  // The vehicle registry answers by ticket: the part's AWAITING event comes first, with no assets yet.
  it("an ANSWERED part's event carries the car it found, after an AWAITING event of the same part", async () => {
    const stream: Stream = collect(t.ws(henan), UPDATES, { caseNumber: c.caseNumber }, "inquiryUpdates");
    // graphql-ws does not acknowledge a subscription: inquire until one is heard from its first event.
    let heard: string | undefined;
    for (let attempt = 0; attempt < 10 && !heard; attempt++) {
      const id = await inquire("VEHICLE_REGISTRY");
      heard = await eventually(
        async () => (stream.events.some((e) => e.inquiryId === id) ? id : undefined),
        (found) => found !== undefined,
        1_500,
      ).catch(() => undefined);
    }
    expect(heard).toBeDefined();
    const answered = await eventually(
      async () => stream.events.find((e) => e.inquiryId === heard && e.status === "ANSWERED"),
      (event) => event !== undefined,
    );
    expect(stream.errors).toEqual([]);
    expect(stream.events.find((e) => e.inquiryId === heard && e.status === "AWAITING")?.part.assets).toEqual([]);
    expect(answered.part.assets).toContainEqual({ id: c.assetIds.get(debtor.vehicle.plate), identifier: debtor.vehicle.plate });
  });
});
