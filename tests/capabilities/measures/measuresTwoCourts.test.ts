/**
 * Two courts, one flat (查扣冻规定 2020 art. 26: 轮候查封): court 豫0225 seals a
 * debtor's flat and its seal takes effect; court 豫0223, enforcing another
 * judgment against the same debtor, seals the same flat and is queued behind
 * it. Every later inquiry, by either court, shows both seals in rank order.
 * The first court releases (and repeats the release, which is safe and sends
 * nothing more); the registry lets the queued seal take effect and reports it,
 * signed, to the hub, which tells the second court's subscriber; ten days have
 * passed by then, and the second seal's period counts from the day it took
 * effect (查扣冻规定 2020 art. 26, 27; domain/measures/queuedPeriod.ts). Each case's
 * audit trail holds every step. The registry is the sandbox's, with real state.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInChina } from "../../../domain/calendarDate.js";
import { addDays, lastDayOfPeriod } from "../../../domain/measures/periodDates.js";
import {
  INQUIRY_ASSETS,
  MEASURE,
  ORDER_MEASURE,
  RELEASE_MEASURE,
  REQUEST_INQUIRY,
  auditTrail,
  controlRequests,
  debtorWith,
  noticeNumber,
  panel,
  quiet,
  registerCase,
  subscribeMeasures,
  untilLive,
  type RegisteredCase,
  type Stream,
} from "../../support/measures.js";
import { eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const FIRST = "豫0225";
const SECOND = "豫0223";

let t: TestHub;
const tokens: Record<string, string> = {};
const debtor = debtorWith({ flat: true });
const certNo = debtor.flat.certificateNumber;
const cases: Record<string, RegisteredCase> = {};
const streams: Record<string, Stream> = {};
/** The day orders are dated; the hub's and the registry's clocks run `daysLater` ahead of it once the first court releases. */
const today = () => todayInChina();
let daysLater = 0;
const clock = () => new Date(Date.now() + daysLater * 86_400_000);

beforeAll(async () => {
  // Answers not back within a second are sent again (the lost-answer scenario at the end); 20 attempts before FAILED.
  t = await startTestHub({ requestTimeoutMs: 1_000, maxAttempts: 20, clock, registryClock: clock });
  tokens[FIRST] = await t.token(FIRST);
  tokens[SECOND] = await t.token(SECOND);
  for (const court of [FIRST, SECOND]) {
    cases[court] = await registerCase(t, tokens[court], { court, debtor: debtor.idNumber, claimAmount: "20000000" });
    expect(cases[court].assetIds.get(certNo), `${court} found the flat`).toBeDefined();
    streams[court] = subscribeMeasures(t.ws(tokens[court]), cases[court].caseNumber);
    await untilLive(t, tokens[court], streams[court], cases[court], today());
  }
  await quiet(t);
}, 60_000);
afterAll(() => t?.close());

const registry = () => t.sandbox.agencies.PROPERTY_REGISTRY;

function sealOrder(court: string, notice: string) {
  return {
    caseNumber: cases[court].caseNumber,
    debtorIdNumber: debtor.idNumber,
    kind: "SEAL",
    // Each court seals the asset its own inquiry found: the same flat, under two asset ids.
    assetId: cases[court].assetIds.get(certNo),
    startsOn: today(),
    expiresOn: addDays(lastDayOfPeriod(today(), 36), -1),
    notice: { number: notice, date: today() },
    decision: panel(today(), `（2024）${court}执保${court === FIRST ? 1 : 2}号`),
  };
}

const measureOf = async (court: string, id: string) => (await t.gql(MEASURE, { id }, tokens[court])).data?.measure;
const untilStatus = (court: string, id: string, status: string) =>
  eventually(
    () => measureOf(court, id),
    (m) => m?.status === status,
  );

/** The flat as a fresh inquiry by `court` sees it at the registry: its seals, in rank order. */
async function sealsSeenBy(court: string) {
  const requested = await t.gql(
    REQUEST_INQUIRY,
    {
      input: {
        caseNumber: cases[court].caseNumber,
        debtorIdNumber: debtor.idNumber,
        purpose: "查看查封状态",
        agencies: ["PROPERTY_REGISTRY"],
      },
    },
    tokens[court],
  );
  expect(requested.errors).toBeUndefined();
  const done = await eventually(
    () => t.gql(INQUIRY_ASSETS, { id: requested.data.requestInquiry.id }, tokens[court]),
    (r) => r.data?.inquiry.complete === true,
  );
  const part = done.data.inquiry.parts[0];
  expect(part.status).toBe("ANSWERED");
  const flat = part.assets.find((a: any) => a.identifier === certNo);
  return flat.encumbrances.filter((e: any) => e.type === "SEAL").sort((a: any, b: any) => a.rank - b.rank);
}

const noticeOf: Record<string, string> = { [FIRST]: noticeNumber(FIRST), [SECOND]: noticeNumber(SECOND) };
const ids: Record<string, string> = {};

describe("two courts seal one flat (查扣冻规定 2020 art. 26)", () => {
  it("the first court's seal takes effect with the registry's reference; its subscriber is told", async () => {
    const ordered = await t.gql(ORDER_MEASURE, { input: sealOrder(FIRST, noticeOf[FIRST]) }, tokens[FIRST]);
    expect(ordered.errors).toBeUndefined();
    expect(ordered.data.orderMeasure).toMatchObject({
      created: true,
      measure: { assetIdentifier: certNo, assetCategory: "REAL_ESTATE", value: debtor.flat.appraisal },
    });
    // Recorded and sent; in force only once the registry confirms (which may already have happened).
    expect(["REQUESTED", "EFFECTIVE"]).toContain(ordered.data.orderMeasure.measure.status);
    ids[FIRST] = ordered.data.orderMeasure.measure.id;
    const sealed = await untilStatus(FIRST, ids[FIRST], "EFFECTIVE");
    expect(sealed).toMatchObject({ rank: 1, agency: "PROPERTY_REGISTRY", noticeNumber: noticeOf[FIRST] });
    expect(sealed.agencyReference).toMatch(/^不动产查封登记\(\d{4}\)第\d{6}号$/);
    expect(sealed.effectiveFrom).toBeTruthy();
    await eventually(
      async () => streams[FIRST].events,
      (events) => events.some((e) => e.measureId === ids[FIRST] && e.status === "EFFECTIVE"),
    );
  });

  it("the same order submitted again (same notice number) is not a new measure: created false, executed once at the registry", async () => {
    const before = registry().stats.submissions;
    const again = await t.gql(ORDER_MEASURE, { input: sealOrder(FIRST, noticeOf[FIRST]) }, tokens[FIRST]);
    expect(again.errors).toBeUndefined();
    expect(again.data.orderMeasure).toMatchObject({ created: false, measure: { id: ids[FIRST], status: "EFFECTIVE" } });
    await quiet(t);
    expect(registry().stats.submissions).toBe(before);
    const requests = await controlRequests(t, ids[FIRST]);
    expect(requests).toEqual([{ id: expect.any(String), action: "APPLY", status: "ANSWERED" }]);
    expect(registry().stats.executionsFor(requests[0].id)).toBe(1);
    expect(registry().stats.submissionsFor(requests[0].id)).toBe(1);
  });

  it("the second court's seal on the same flat is queued at rank 2; its subscriber is told", async () => {
    const ordered = await t.gql(ORDER_MEASURE, { input: sealOrder(SECOND, noticeOf[SECOND]) }, tokens[SECOND]);
    expect(ordered.errors).toBeUndefined();
    ids[SECOND] = ordered.data.orderMeasure.measure.id;
    const queued = await untilStatus(SECOND, ids[SECOND], "QUEUED");
    expect(queued).toMatchObject({ rank: 2, agencyReference: null, effectiveFrom: null });
    await eventually(
      async () => streams[SECOND].events,
      (events) => events.some((e) => e.measureId === ids[SECOND] && e.status === "QUEUED"),
    );
    // The second court's measure, though on the same flat, belongs to its own case: 豫0225 may not read it.
    const foreign = await t.gql(MEASURE, { id: ids[SECOND] }, tokens[FIRST]);
    expect(foreign.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN" });
  });

  it("a later inquiry, by either court, shows both seals on the flat in rank order", async () => {
    for (const court of [FIRST, SECOND]) {
      expect(await sealsSeenBy(court), court).toEqual([
        { type: "SEAL", byAuthority: FIRST, reference: noticeOf[FIRST], since: today(), rank: 1 },
        { type: "SEAL", byAuthority: SECOND, reference: noticeOf[SECOND], since: today(), rank: 2 },
      ]);
    }
  });

  it("the first court releases, twice at once and again while the first is on its way: one RELEASE reaches the registry", async () => {
    await quiet(t);
    daysLater = 10;
    const release = () =>
      t.gql(
        RELEASE_MEASURE,
        {
          input: {
            measureId: ids[FIRST],
            notice: { number: noticeNumber(FIRST), date: today() },
            decision: panel(today(), "（2024）豫0225执保1号之二"),
          },
        },
        tokens[FIRST],
      );
    const submissions = registry().stats.submissions;
    // Slow the registry so that the second release arrives while the first is still on its way.
    registry().knobs.latencyMs = 400;
    let first, second, inFlight;
    try {
      [first, second] = await Promise.all([release(), release()]);
      inFlight = await release();
      // Still on its way: the registry has not answered, and the measure is in force until it does.
      expect(inFlight.data?.releaseMeasure.status).toBe("EFFECTIVE");
      await untilStatus(FIRST, ids[FIRST], "RELEASED");
    } finally {
      registry().knobs.latencyMs = 30;
    }
    for (const result of [first, second, inFlight]) {
      expect(result.errors).toBeUndefined();
      expect(result.data.releaseMeasure).toEqual(first.data.releaseMeasure);
    }
    await quiet(t);
    const releases = (await controlRequests(t, ids[FIRST])).filter((r) => r.action === "RELEASE");
    expect(releases).toEqual([{ id: expect.any(String), action: "RELEASE", status: "ANSWERED" }]);
    expect(registry().stats.submissions - submissions).toBe(1);

    const released = await measureOf(FIRST, ids[FIRST]);
    expect(released).toMatchObject({ status: "RELEASED", rank: null });
    expect(released.releasedAt).toBeTruthy();
    // Done, a release answers with the measure as it is and sends nothing.
    const third = await release();
    expect(third.errors).toBeUndefined();
    expect(third.data.releaseMeasure).toEqual(released);
    await quiet(t);
    expect(registry().stats.submissions - submissions).toBe(1);
    await eventually(
      async () => streams[FIRST].events,
      (events) => events.some((e) => e.measureId === ids[FIRST] && e.status === "RELEASED"),
    );
  });

  it("the second court's seal then takes effect, reported by the registry's signed report; its subscriber is told", async () => {
    const effective = await untilStatus(SECOND, ids[SECOND], "EFFECTIVE");
    expect(effective.rank).toBe(1);
    expect(effective.agencyReference).toMatch(/^不动产查封登记\(\d{4}\)第\d{6}号$/);
    expect(effective.effectiveFrom).toBeTruthy();
    // Its period counts from the day it took effect, ten days after it was ordered: the 36 months less a day
    // ordered move with it (查扣冻规定 2020 art. 26, 27).
    expect(effective).toMatchObject({ startsOn: addDays(today(), 10), expiresOn: addDays(sealOrder(SECOND, "").expiresOn, 10) });
    await eventually(
      async () => streams[SECOND].events,
      (events) => events.some((e) => e.measureId === ids[SECOND] && e.status === "EFFECTIVE"),
    );
    // One report, acknowledged by the hub (the registry counts it once the hub's 2xx is back).
    await eventually(
      async () => registry().stats.callbacksSent,
      (sent) => sent === 1,
    );
    expect(registry().stats.callbackAttempts).toBe(1);
    // Each court heard about its own measures only.
    expect(streams[FIRST].events.every((e) => e.caseId === cases[FIRST].caseId && e.measureId !== ids[SECOND])).toBe(true);
    expect(streams[SECOND].events.every((e) => e.caseId === cases[SECOND].caseId && e.measureId !== ids[FIRST])).toBe(true);
    expect(streams[SECOND].events.filter((e) => e.measureId === ids[SECOND]).map((e) => e.status)).toEqual(["QUEUED", "EFFECTIVE"]);
    expect(streams[FIRST].events.filter((e) => e.measureId === ids[FIRST]).map((e) => e.status)).toEqual(["EFFECTIVE", "RELEASED"]);
    expect([...streams[FIRST].errors, ...streams[SECOND].errors]).toEqual([]);
    // And the registry now shows only the second court's seal, in effect, to both courts.
    for (const court of [FIRST, SECOND]) {
      expect(await sealsSeenBy(court), court).toEqual([
        { type: "SEAL", byAuthority: SECOND, reference: noticeOf[SECOND], since: addDays(today(), 10), rank: 1 },
      ]);
    }
  });

  it("each case's audit trail holds the order, every agency exchange, the release and the taking effect", async () => {
    await t.hub.sealAudit();
    const first = await auditTrail(t, tokens[FIRST], cases[FIRST].caseNumber);
    const firstRequests = await controlRequests(t, ids[FIRST]);
    const exchanges = (trail: typeof first, requestId: string) =>
      trail.filter((row) => row.action === "AGENCY_EXCHANGE" && row.subjectId === requestId);

    expect(first.filter((r) => r.subjectId === ids[FIRST]).map((r) => r.action)).toEqual(["MEASURE_ORDERED", "MEASURE_RELEASE_ORDERED"]);
    const [apply, release] = firstRequests;
    expect(exchanges(first, apply.id)).toHaveLength(1);
    expect(exchanges(first, apply.id)[0]).toMatchObject({
      actorOrg: FIRST,
      purpose: `APPLY SEAL ${certNo}`,
      detail: { status: "ANSWERED", measure: { status: "EFFECTIVE", rank: 1 } },
    });
    expect(exchanges(first, release.id)).toHaveLength(1);
    expect(exchanges(first, release.id)[0]).toMatchObject({
      purpose: `RELEASE SEAL ${certNo}`,
      detail: { status: "ANSWERED", measure: { status: "RELEASED", rank: null } },
    });
    for (const row of [...exchanges(first, apply.id), ...exchanges(first, release.id)]) {
      expect(row.sentDigest).toMatch(/^[0-9a-f]{64}$/);
      expect(row.replyDigest).toMatch(/^[0-9a-f]{64}$/);
    }

    const second = await auditTrail(t, tokens[SECOND], cases[SECOND].caseNumber);
    const [secondApply] = await controlRequests(t, ids[SECOND]);
    expect(second.filter((r) => r.subjectId === ids[SECOND]).map((r) => r.action)).toEqual(["MEASURE_ORDERED", "MEASURE_TOOK_EFFECT"]);
    expect(exchanges(second, secondApply.id)[0]).toMatchObject({
      actorOrg: SECOND,
      detail: { status: "ANSWERED", measure: { status: "QUEUED", rank: 2 } },
    });
    const tookEffect = second.find((r) => r.action === "MEASURE_TOOK_EFFECT")!;
    // Recorded as the registry's act, with the digest of the signed report it sent.
    expect(tookEffect).toMatchObject({
      actorOrg: "PROPERTY_REGISTRY",
      detail: { kind: "SEAL", asset: certNo, startsOn: addDays(today(), 10) },
    });
    expect(tookEffect.replyDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(tookEffect.detail.reference).toBe((await measureOf(SECOND, ids[SECOND])).agencyReference);
    // Neither court's trail holds the other's measure.
    expect(first.some((r) => r.subjectId === ids[SECOND])).toBe(false);
    expect(second.some((r) => r.subjectId === ids[FIRST])).toBe(false);
  });
});

/**
 * The registry's answer to the second court's seal is lost (executed, never replied), and before the hub
 * hears it again the first court releases: the registry lets the queued seal take effect and reports it.
 * The hub's resend of the seal is then answered from the registry's stored original, "QUEUED, rank 2",
 * which is stale: the answer to an order must not undo what the registry has reported since.
 */
describe("a stale answer to an order arriving after the registry reported the seal in effect", () => {
  const other = debtorWith({ flat: true });
  const mine: Record<string, RegisteredCase> = {};
  const measureIds: Record<string, string> = {};

  beforeAll(async () => {
    // Another debtor, another flat, the same two courts.
    for (const court of [FIRST, SECOND]) {
      mine[court] = await registerCase(t, tokens[court], { court, debtor: other.idNumber, claimAmount: "20000000" });
    }
  }, 60_000);

  it("keeps the second court's seal EFFECTIVE", async () => {
    const order = async (court: string) => {
      const ordered = await t.gql(
        ORDER_MEASURE,
        {
          input: {
            caseNumber: mine[court].caseNumber,
            debtorIdNumber: other.idNumber,
            kind: "SEAL",
            assetId: mine[court].assetIds.get(other.flat.certificateNumber),
            startsOn: today(),
            expiresOn: addDays(today(), 300),
            notice: { number: noticeNumber(court), date: today() },
            decision: panel(today()),
          },
        },
        tokens[court],
      );
      expect(ordered.errors).toBeUndefined();
      return ordered.data.orderMeasure.measure.id as string;
    };
    const statusOf = async (court: string, id: string) => (await t.gql(MEASURE, { id }, tokens[court])).data.measure;
    const reg = t.sandbox.agencies.PROPERTY_REGISTRY;

    measureIds[FIRST] = await order(FIRST);
    await eventually(
      () => statusOf(FIRST, measureIds[FIRST]),
      (m) => m.status === "EFFECTIVE",
    );

    reg.knobs.timeoutRate = 1; // executed, but the answer is never sent
    try {
      measureIds[SECOND] = await order(SECOND);
      const [apply] = await controlRequests(t, measureIds[SECOND]);
      await eventually(
        async () => reg.stats.executionsFor(apply.id),
        (n) => n === 1,
      );
      const released = await t.gql(
        RELEASE_MEASURE,
        { input: { measureId: measureIds[FIRST], notice: { number: noticeNumber(FIRST), date: today() }, decision: panel(today()) } },
        tokens[FIRST],
      );
      expect(released.errors).toBeUndefined();
      // The registry reports the queued seal in effect (reports are not subject to the lost answers).
      await eventually(
        () => statusOf(SECOND, measureIds[SECOND]),
        (m) => m.status === "EFFECTIVE",
      );
    } finally {
      reg.knobs.timeoutRate = 0;
    }
    // Now the lookups before any resend are answered, with the stored originals: RELEASED for the release,
    // QUEUED rank 2 for the seal; neither request reached the registry a second time.
    await quiet(t);
    const [apply] = await controlRequests(t, measureIds[SECOND]);
    expect(apply.status).toBe("ANSWERED");
    expect(reg.stats.lookupsFor(apply.id)).toBeGreaterThan(0);
    expect(reg.stats.submissionsFor(apply.id)).toBe(1);
    expect(reg.stats.executionsFor(apply.id)).toBe(1);
    expect(await statusOf(FIRST, measureIds[FIRST])).toMatchObject({ status: "RELEASED" });
    expect(await statusOf(SECOND, measureIds[SECOND])).toMatchObject({ status: "EFFECTIVE", rank: 1 });
    // The trail says so: the seal took effect by the registry's report; the late answer to the order is
    // recorded as an exchange that changed nothing (measure: null).
    const trail = await auditTrail(t, tokens[SECOND], mine[SECOND].caseNumber);
    expect(trail.filter((row) => row.subjectId === measureIds[SECOND]).map((row) => row.action)).toEqual([
      "MEASURE_ORDERED",
      "MEASURE_TOOK_EFFECT",
    ]);
    expect(trail.filter((row) => row.subjectId === apply.id)).toEqual([
      expect.objectContaining({ action: "AGENCY_EXCHANGE", detail: expect.objectContaining({ status: "ANSWERED", measure: null }) }),
    ]);
  });
});
