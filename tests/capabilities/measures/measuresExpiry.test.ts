/**
 * The expiry watch (Henan High Court supervision opinion, item 13: 杜绝处置期间"脱封"; 查扣冻规定 2020 art. 27;
 * 民诉法解释 2022 art. 485 para. 2) with the hub's clock injected and moved
 * forward, never slept on: measures nearing their last day are listed by
 * `measuresExpiring` and announced over `measureUpdates` 30, 7 and 1 days
 * ahead, each warning once; a measure past its last day is recorded LAPSED and
 * can no longer be renewed; a renewal in time, within the maximum period, is
 * carried out by the registry and moves the expiry (and its warnings) on.
 *
 * The sandbox registries keep their own clock, by default the real one: a
 * vehicle seal the hub records as lapsed 41 days from now would still be in
 * force at a registry living in the present, and renewals there are checked
 * against the registry's today. So the registries here are given the same
 * injected clock (startTestHub's registryClock), and hub and registry agree
 * about every lapse and renewal; nothing below would need more than that.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInChina } from "../../../domain/calendarDate.js";
import { addDays, daysFromTo, lastDayOfPeriod } from "../../../domain/measures/periodDates.js";
import {
  INQUIRY_ASSETS,
  MEASURE,
  MEASURES_EXPIRING,
  ORDER_MEASURE,
  RELEASE_MEASURE,
  RENEW_MEASURE,
  REQUEST_INQUIRY,
  auditTrail,
  debtorWith,
  noticeNumber,
  panel,
  quiet,
  refusalOf,
  registerCase,
  subscribeMeasures,
  untilLive,
  type RegisteredCase,
  type Stream,
} from "../../support/measures.js";
import { eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const DAY_MS = 86_400_000;
const started = Date.now();
/** The injected clock: the real time when the file started, moved forward by whole days, frozen between moves. */
let now = new Date(started);
const clock = () => now;
const today = () => todayInChina(now);
/** Moves the clock so that it is `date` in China, at the time of day the file started. */
function moveTo(date: string) {
  now = new Date(started + daysFromTo(todayInChina(new Date(started)), date) * DAY_MS);
  expect(today()).toBe(date);
}

let t: TestHub;
let token: string;
let c: RegisteredCase;
let stream: Stream;
const debtor = debtorWith({ flat: true, vehicle: true });
const flat = { id: "", expiresOn: "" };
const car = { id: "", expiresOn: "" };

beforeAll(async () => {
  t = await startTestHub({ clock, registryClock: clock });
  token = await t.token("豫0225");
  c = await registerCase(t, token, { debtor: debtor.idNumber, claimAmount: "20000000" });
  stream = subscribeMeasures(t.ws(token), c.caseNumber);
  await untilLive(t, token, stream, c, today());
}, 60_000);
afterAll(() => t?.close());

const decision = () => panel(today());
const notice = () => ({ number: noticeNumber(), date: today() });
const measure = async (id: string) => (await t.gql(MEASURE, { id }, token)).data.measure;
const expiring = async (withinDays: number) => {
  const result = await t.gql(MEASURES_EXPIRING, { withinDays }, token);
  expect(result.errors).toBeUndefined();
  return result.data.measuresExpiring.map((m: any) => m.id);
};
const warnings = () => stream.events.filter((e) => e.status === "EXPIRING");

/**
 * Everything announced so far has reached the subscriber: a probe sent now is heard after it, since one
 * subscription delivers in publishing order. Lets the tests say "nothing more was announced" without sleeping.
 */
const heardEverything = () => untilLive(t, token, stream, c, today());

async function seal(asset: string, expiresOn: string) {
  const ordered = await t.gql(
    ORDER_MEASURE,
    {
      input: {
        caseNumber: c.caseNumber,
        debtorIdNumber: debtor.idNumber,
        kind: "SEAL",
        assetId: c.assetIds.get(asset),
        startsOn: today(),
        expiresOn,
        notice: notice(),
        decision: decision(),
      },
    },
    token,
  );
  expect(ordered.errors).toBeUndefined();
  const id = ordered.data.orderMeasure.measure.id;
  const inForce = await eventually(
    () => measure(id),
    (m) => m.status !== "REQUESTED",
  );
  expect(inForce).toMatchObject({ status: "EFFECTIVE", expiresOn });
  return id;
}

/** The vehicle's seals as a fresh inquiry sees them at the registry now. */
async function vehicleSeals() {
  const requested = await t.gql(
    REQUEST_INQUIRY,
    { input: { caseNumber: c.caseNumber, debtorIdNumber: debtor.idNumber, purpose: "核查查封期限", agencies: ["VEHICLE_REGISTRY"] } },
    token,
  );
  expect(requested.errors).toBeUndefined();
  const done = await eventually(
    () => t.gql(INQUIRY_ASSETS, { id: requested.data.requestInquiry.id }, token),
    (r) => r.data?.inquiry.complete === true,
  );
  const vehicle = done.data.inquiry.parts[0].assets.find((a: any) => a.identifier === debtor.vehicle.plate);
  return vehicle.encumbrances.filter((e: any) => e.type === "SEAL");
}

describe("the expiry watch with a moving clock", () => {
  it("a flat sealed for three years less ten days and a car for 40 days: nothing expires within 30 days today", async () => {
    flat.expiresOn = addDays(lastDayOfPeriod(today(), 36), -10);
    car.expiresOn = addDays(today(), 40);
    flat.id = await seal(debtor.flat.certificateNumber, flat.expiresOn);
    car.id = await seal(debtor.vehicle.plate, car.expiresOn);
    expect(await expiring(30)).toEqual([]);
    expect(await t.hub.expiryWatch.runOnce()).toEqual({ lapsed: 0, warned: 0 });
    expect(await expiring(3660)).toEqual([car.id, flat.id]); // soonest first
  });

  it("eleven days on, the car is listed within 30 days and announced once: EXPIRING, 30 days", async () => {
    moveTo(addDays(today(), 11));
    expect(daysFromTo(today(), car.expiresOn)).toBe(29);
    expect(await expiring(30)).toEqual([car.id]);
    expect(await expiring(7)).toEqual([]);
    expect(await t.hub.expiryWatch.runOnce()).toEqual({ lapsed: 0, warned: 1 });
    await eventually(
      async () => warnings(),
      (w) => w.length === 1,
    );
    expect(warnings()).toEqual([{ caseId: c.caseId, measureId: car.id, status: "EXPIRING", warningDays: 30 }]);
    // Run again (the next hourly pass, or another instance): nothing more is announced.
    expect(await t.hub.expiryWatch.runOnce()).toEqual({ lapsed: 0, warned: 0 });
    await heardEverything();
    expect(warnings()).toHaveLength(1);
  });

  it("7 days and 1 day before its last day, the car is announced again, each once", async () => {
    for (const days of [7, 1]) {
      moveTo(addDays(car.expiresOn, -days));
      expect(await expiring(days)).toEqual([car.id]);
      expect(await t.hub.expiryWatch.runOnce()).toEqual({ lapsed: 0, warned: 1 });
      expect(await t.hub.expiryWatch.runOnce()).toEqual({ lapsed: 0, warned: 0 });
      await heardEverything();
      expect(warnings().map((w) => [w.measureId, w.warningDays])).toEqual([
        [car.id, 30],
        ...(days === 7
          ? [[car.id, 7]]
          : [
              [car.id, 7],
              [car.id, 1],
            ]),
      ]);
    }
    expect((await measure(car.id)).status).toBe("EFFECTIVE");
    expect(await vehicleSeals()).toHaveLength(1);
  });

  it("the day after its last day, renewing is refused RENEWAL_AFTER_EXPIRY (查扣冻规定 2020 art. 27), before the watch has run", async () => {
    moveTo(addDays(car.expiresOn, 1));
    await quiet(t);
    const refusal = refusalOf(
      await t.gql(
        RENEW_MEASURE,
        { input: { measureId: car.id, notice: notice(), decision: decision(), expiresOn: addDays(car.expiresOn, 60) } },
        token,
      ),
    );
    // The measure is still recorded EFFECTIVE (the watch has not looked yet): the renewal guard itself refuses.
    expect(refusal).toMatchObject({ code: "RENEWAL_AFTER_EXPIRY", expiresOn: car.expiresOn, renewalDate: today() });
    expect((await measure(car.id)).status).toBe("EFFECTIVE");
  });

  it("the watch then records the car's seal LAPSED, audited and announced; the registry agrees it is gone", async () => {
    expect(await t.hub.expiryWatch.runOnce()).toEqual({ lapsed: 1, warned: 0 });
    const lapsed = await measure(car.id);
    expect(lapsed).toMatchObject({ status: "LAPSED", rank: null, expiresOn: car.expiresOn });
    expect(lapsed.lapsedAt).toBeTruthy();
    await eventually(
      async () => stream.events,
      (events) => events.some((e) => e.measureId === car.id && e.status === "LAPSED"),
    );
    expect(stream.events.filter((e) => e.measureId === car.id && e.status === "LAPSED")).toEqual([
      { caseId: c.caseId, measureId: car.id, status: "LAPSED", warningDays: null },
    ]);
    const trail = await auditTrail(t, token, c.caseNumber);
    expect(trail.filter((row) => row.subjectId === car.id).map((row) => row.action)).toEqual(["MEASURE_ORDERED", "MEASURE_LAPSED"]);
    expect(trail.find((row) => row.action === "MEASURE_LAPSED")).toMatchObject({
      actorOrg: "HUB",
      detail: { kind: "SEAL", asset: debtor.vehicle.plate, expiresOn: car.expiresOn },
    });
    // No longer in force: not listed, not lapsed twice, and the registry (same clock) no longer shows the seal.
    expect(await expiring(30)).toEqual([]);
    expect(await t.hub.expiryWatch.runOnce()).toEqual({ lapsed: 0, warned: 0 });
    expect(await vehicleSeals()).toEqual([]);
  });

  it("once LAPSED, a renewal is refused MEASURE_NOT_IN_FORCE, and so is a release; neither sends anything", async () => {
    await quiet(t);
    const submissions = t.sandbox.agencies.VEHICLE_REGISTRY.stats.submissions;
    const renewal = refusalOf(
      await t.gql(
        RENEW_MEASURE,
        { input: { measureId: car.id, notice: notice(), decision: decision(), expiresOn: addDays(car.expiresOn, 60) } },
        token,
      ),
    );
    expect(renewal).toMatchObject({ code: "MEASURE_NOT_IN_FORCE", status: "LAPSED" });
    const release = refusalOf(
      await t.gql(RELEASE_MEASURE, { input: { measureId: car.id, notice: notice(), decision: decision() } }, token),
    );
    expect(release).toMatchObject({ code: "MEASURE_NOT_IN_FORCE", status: "LAPSED" });
    await quiet(t);
    expect(t.sandbox.agencies.VEHICLE_REGISTRY.stats.submissions).toBe(submissions);
  });

  it(
    "30 days before the flat's last day a watch just started announces it at once, not an hour later; a renewal beyond 36 " +
      "months is refused RENEWAL_TOO_LONG (民诉法解释 2022 art. 485)",
    async () => {
      moveTo(addDays(flat.expiresOn, -30));
      expect(await expiring(30)).toEqual([flat.id]);
      // As on a hub restarted now: its hourly timer has not fired, the pass at start does the work.
      await t.hub.expiryWatch.stop();
      t.hub.expiryWatch.start();
      await eventually(
        async () => warnings(),
        (w) => w.some((e) => e.measureId === flat.id && e.warningDays === 30),
      );
      expect(await t.hub.expiryWatch.runOnce()).toEqual({ lapsed: 0, warned: 0 });
      const latest = lastDayOfPeriod(flat.expiresOn, 36);
      const refusal = refusalOf(
        await t.gql(
          RENEW_MEASURE,
          { input: { measureId: flat.id, notice: notice(), decision: decision(), expiresOn: addDays(latest, 1) } },
          token,
        ),
      );
      expect(refusal).toMatchObject({ code: "RENEWAL_TOO_LONG", maximumMonths: 36, expiresOn: flat.expiresOn, latestExpiresOn: latest });
    },
  );

  it("a renewal in time and within 36 months is carried out by the registry; the expiry moves once it answers RENEWED", async () => {
    const renewedTo = lastDayOfPeriod(flat.expiresOn, 36);
    const renewed = await t.gql(
      RENEW_MEASURE,
      { input: { measureId: flat.id, notice: notice(), decision: decision(), expiresOn: renewedTo } },
      token,
    );
    expect(renewed.errors).toBeUndefined();
    // Recorded and sent; the expiry changes only with the registry's answer.
    expect(renewed.data.renewMeasure).toMatchObject({ id: flat.id, status: "EFFECTIVE" });
    const after = await eventually(
      () => measure(flat.id),
      (m) => m.expiresOn === renewedTo,
    );
    expect(after).toMatchObject({ status: "EFFECTIVE", rank: 1, lastError: null });
    const trail = await auditTrail(t, token, c.caseNumber);
    expect(trail.find((row) => row.action === "MEASURE_RENEWAL_ORDERED" && row.subjectId === flat.id)?.detail).toMatchObject({
      from: flat.expiresOn,
      to: renewedTo,
    });
    expect(
      trail.find((row) => row.action === "AGENCY_EXCHANGE" && row.purpose === `RENEW SEAL ${debtor.flat.certificateNumber}`)?.detail,
    ).toMatchObject({
      status: "ANSWERED",
      measure: { expiresOn: renewedTo },
    });
    // Not expiring any more.
    expect(await expiring(30)).toEqual([]);
    expect(await t.hub.expiryWatch.runOnce()).toEqual({ lapsed: 0, warned: 0 });
    flat.expiresOn = renewedTo;
  });

  it("the renewed flat is warned again 30 days before its new last day: a renewal starts the warnings afresh", async () => {
    moveTo(addDays(flat.expiresOn, -30));
    expect(await expiring(30)).toEqual([flat.id]);
    expect(await t.hub.expiryWatch.runOnce()).toEqual({ lapsed: 0, warned: 1 });
    await eventually(
      async () => warnings(),
      (w) => w.filter((e) => e.measureId === flat.id).length === 2,
    );
    expect(
      warnings()
        .filter((e) => e.measureId === flat.id)
        .map((e) => e.warningDays),
    ).toEqual([30, 30]);
  });
});
