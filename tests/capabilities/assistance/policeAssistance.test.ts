/**
 * Police assistance (公安协助, Henan enforcement decision (2020): 查找及临时控制被执行人、查扣车辆、限制出境) through
 * GraphQL against the sandbox police: the decision each kind needs
 * (domain/measures/policeAssistance.ts) is enforced before anything is written
 * or sent; each kind runs end to end, accepted at once and its result reported
 * later by signed callback, pushed to the case system over
 * policeAssistanceUpdates; the police's own register refuses what it must
 * (a plate not the debtor's, a lift of a restriction not registered).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInChina } from "../../../domain/calendarDate.js";
import { addDays, lastDayOfPeriod } from "../../../domain/measures/periodDates.js";
import { debtorProfile } from "../../../sandbox/debtorProfile.js";
import { caseNumber, residentId } from "../../support/identities.js";
import { CASE_MEASURES, JUDGES, auditTrail, refusalOf, registerCase, type RegisteredCase } from "../../support/measures.js";
import { REGISTER_CASE, eventually, startTestHub, type GraphQLResult, type TestHub } from "../../support/testHub.js";

const FIELDS = `id kind status debtorIdNumber plate restrictedFrom restrictedUntil liftsAssistanceId
  decision { decisionNumber decisionDate judges } requestedBy agencyReference lastError createdAt
  result { at place unit heldAt borderControlReference reason }`;
const REQUEST = `mutation Request($input: PoliceAssistanceInput!) { requestPoliceAssistance(input: $input) { created assistance {
  ${FIELDS} } } }`;
const ASSISTANCE = `query Assistance($id: ID!) { policeAssistance(id: $id) { ${FIELDS} } }`;
const CASE_ASSISTANCE = `query CaseAssistance($caseNumber: String!, $first: Int, $after: String) {
  case(caseNumber: $caseNumber) { policeAssistance(first: $first, after: $after) { edges { cursor node { id kind status } } pageInfo
    { hasNextPage endCursor } } } }`;
const UPDATES = `subscription Updates($caseNumber: String!) { policeAssistanceUpdates(caseNumber: $caseNumber) { caseId assistanceId
  kind status } }`;

let t: TestHub;
let token: string;
const today = () => todayInChina(new Date());

/** A person the sandbox police hold a household record for, with a vehicle registered to them. */
function traceableDebtor(): { idNumber: string; plate: string } {
  for (;;) {
    const idNumber = residentId();
    const profile = debtorProfile(idNumber);
    if (profile.household && profile.vehicles.length > 0) return { idNumber, plate: profile.vehicles[0].plate };
  }
}

/** A person the police hold no record of: the police look and do not find them. */
function untraceableDebtor(): string {
  for (;;) {
    const idNumber = residentId();
    if (!debtorProfile(idNumber).household) return idNumber;
  }
}

const main = traceableDebtor();
let mainCase: RegisteredCase;
let serial = 0;

/** A court decision of one judge, or a panel of three; each call a new number, so each request is a new one. */
function decision(judges: string[] = ["王明"]) {
  serial += 1;
  return { decisionNumber: `（2024）豫0225执123号之${serial}`, decisionDate: today(), judges };
}

function input(kind: string, extra: Record<string, unknown> = {}, c: RegisteredCase = mainCase) {
  return {
    caseNumber: c.caseNumber,
    debtorIdNumber: c.debtor,
    kind,
    decision: decision(kind === "SEIZE_VEHICLE" ? [...JUDGES] : undefined),
    ...extra,
  };
}

async function request(variables: Record<string, unknown>): Promise<any> {
  const result = await t.gql(REQUEST, { input: variables }, token);
  expect(result.errors).toBeUndefined();
  return result.data.requestPoliceAssistance;
}

/** Waits until the assistance is no longer REQUESTED or ACCEPTED (or reaches `status`), as its court reads it. */
async function settled(id: string, status?: string): Promise<any> {
  const read = await eventually(
    () => t.gql(ASSISTANCE, { id }, token),
    (r: GraphQLResult) =>
      status ? r.data?.policeAssistance.status === status : !["REQUESTED", "ACCEPTED"].includes(r.data?.policeAssistance.status),
  );
  return read.data.policeAssistance;
}

/** What a refused request could leave behind: assistance, agency request and audit rows, and submissions at the police. */
async function footprint() {
  const [rows] = await t.hub.db.sql.query<{ assistance: number; requests: number; audit: number }>(
    `SELECT (SELECT count(*)::int FROM police_assistance) AS assistance, (SELECT count(*)::int FROM agency_request) AS requests,
            (SELECT count(*)::int FROM audit_event) AS audit`,
  );
  return { ...rows, submissions: t.sandbox.agencies.POLICE.stats.submissions };
}

async function quiet(): Promise<void> {
  await eventually(
    () =>
      t.hub.db.sql.query<{ open: number }>(
        `SELECT count(*)::int AS open FROM agency_request WHERE status IN ('QUEUED', 'SENT', 'AWAITING')`,
      ),
    (rows) => rows[0].open === 0,
  );
}

async function refusedWithoutTrace(variables: Record<string, unknown>): Promise<Record<string, any>> {
  await quiet();
  const before = await footprint();
  const extensions = refusalOf(await t.gql(REQUEST, { input: variables }, token));
  await quiet();
  expect(await footprint()).toEqual(before);
  return extensions;
}

beforeAll(async () => {
  t = await startTestHub({ knobs: { POLICE: { latencyMs: 0, jitterMs: 0, processingMs: 150 } } });
  token = await t.token("豫0225");
  mainCase = await registerCase(t, token, { debtor: main.idNumber, claimAmount: "500000" });
}, 60_000);
afterAll(() => t?.close());

describe(
  "Henan enforcement decision (2020): each kind of police assistance needs its decision on record; " +
    "refused with a typed error, nothing written",
  () => {
    it.each(["LOCATE_DEBTOR", "TEMPORARY_CONTROL", "SEIZE_VEHICLE", "RESTRICT_EXIT"])(
      "%s without a decision is refused DECISION_MISSING",
      async (kind) => {
        const extra =
          kind === "SEIZE_VEHICLE"
            ? { plate: main.plate }
            : kind === "RESTRICT_EXIT"
              ? { exitRestriction: { from: today(), until: addDays(today(), 180) } }
              : {};
        const refusal = await refusedWithoutTrace({ ...input(kind, extra), decision: null });
        expect(refusal.code).toBe("DECISION_MISSING");
      },
    );

    it(
      "Henan High Court supervision opinion, item 6 (扣押 by a collegial panel): seizing a vehicle on one " +
        "judge's decision is refused PANEL_TOO_SMALL",
      async () => {
        const refusal = await refusedWithoutTrace({ ...input("SEIZE_VEHICLE", { plate: main.plate }), decision: decision(["王明"]) });
        expect(refusal).toMatchObject({ code: "PANEL_TOO_SMALL", panelSize: 1 });
      },
    );

    it("a decision naming no judge, or dated after the request, is refused", async () => {
      expect((await refusedWithoutTrace({ ...input("LOCATE_DEBTOR"), decision: { ...decision(), judges: [] } })).code).toBe(
        "JUDGE_MISSING",
      );
      expect(
        (await refusedWithoutTrace({ ...input("LOCATE_DEBTOR"), decision: { ...decision(), decisionDate: addDays(today(), 1) } })).code,
      ).toBe("DECISION_AFTER_ORDER");
    });

    it("what a kind needs is required, and what it does not take is refused: BAD_USER_INPUT", async () => {
      expect(await refusedWithoutTrace(input("SEIZE_VEHICLE"))).toMatchObject({ code: "BAD_USER_INPUT", field: "plate" });
      expect(await refusedWithoutTrace(input("LOCATE_DEBTOR", { plate: main.plate }))).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "plate",
      });
      expect(
        await refusedWithoutTrace(
          input("RESTRICT_EXIT", { exitRestriction: { from: addDays(today(), -30), until: addDays(today(), -1) } }),
        ),
      ).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "exitRestriction.until",
      });
    });

    it("only the court owning the case may ask, and only about a debtor of the case", async () => {
      const other = await t.token("豫0102");
      expect(refusalOf(await t.gql(REQUEST, { input: input("LOCATE_DEBTOR") }, other)).code).toBe("FORBIDDEN");
      expect(await refusedWithoutTrace({ ...input("LOCATE_DEBTOR"), debtorIdNumber: residentId() })).toMatchObject({
        code: "DEBTOR_NOT_A_PARTY",
      });
    });
  },
);

describe("each kind end to end: accepted by the police at once, the result reported later and pushed to the case system", () => {
  const events: { assistanceId: string; kind: string; status: string }[] = [];
  let stop: () => void = () => undefined;
  const statusesOf = (id: string) => events.filter((e) => e.assistanceId === id).map((e) => e.status);

  beforeAll(async () => {
    stop = t
      .ws(token)
      .subscribe<any>(
        { query: UPDATES, variables: { caseNumber: mainCase.caseNumber } },
        { next: (r) => r.data && events.push(r.data.policeAssistanceUpdates), error: () => undefined, complete: () => undefined },
      );
    // The subscription is set up after a database read and graphql-ws does not acknowledge it: probe until an
    // update is heard. A probe is a seizure the police refuse (a plate not the debtor's), which changes nothing there.
    for (let attempt = 0; ; attempt++) {
      const probe = await request(input("SEIZE_VEHICLE", { plate: `豫Z${String(attempt).padStart(5, "0")}` }));
      try {
        await eventually(
          async () => statusesOf(probe.assistance.id),
          (s) => s.includes("REFUSED"),
          1_500,
        );
        return;
      } catch (error) {
        if (attempt >= 10) throw error;
      }
    }
  }, 60_000);
  afterAll(() => stop());

  it("LOCATE_DEBTOR (查找): the police report where and when they located the debtor", async () => {
    const asked = await request(input("LOCATE_DEBTOR"));
    expect(asked).toMatchObject({
      created: true,
      assistance: { kind: "LOCATE_DEBTOR", status: "REQUESTED", debtorIdNumber: main.idNumber },
    });
    const done = await settled(asked.assistance.id);
    const household = debtorProfile(main.idNumber).household!;
    expect(done).toMatchObject({
      status: "DONE",
      agencyReference: expect.stringMatching(/^公协/),
      result: { place: household.whereabouts.at(-1)?.place ?? household.householdAddress },
    });
    expect(Date.parse(done.result.at)).not.toBeNaN();
    await eventually(
      async () => statusesOf(done.id),
      (s) => s.join() === "ACCEPTED,DONE",
    );

    const trail = (await auditTrail(t, token, mainCase.caseNumber)).filter(
      (row) => row.subjectId === done.id || row.detail?.assistance?.id === done.id,
    );
    expect(trail.map((row) => row.action)).toEqual(["POLICE_ASSISTANCE_REQUESTED", "AGENCY_EXCHANGE", "POLICE_ASSISTANCE_REPORTED"]);
    expect(trail[0].detail).toMatchObject({ kind: "LOCATE_DEBTOR", requiredDecision: "COURT_DECISION" });
    expect(trail[1].detail.assistance).toMatchObject({ status: "ACCEPTED", agencyReference: done.agencyReference });
    expect(trail[2]).toMatchObject({
      actorOrg: "POLICE",
      replyDigest: expect.any(String),
      detail: { outcome: "DONE", place: done.result.place },
    });
  });

  it("LOCATE_DEBTOR of a person the police hold no record of: reported UNSUCCESSFUL with the reason", async () => {
    const stranger = await registerCase(t, token, { debtor: untraceableDebtor(), claimAmount: "1000" });
    const asked = await request(input("LOCATE_DEBTOR", {}, stranger));
    expect(await settled(asked.assistance.id)).toMatchObject({
      status: "UNSUCCESSFUL",
      result: { reason: expect.any(String), place: null },
    });
  });

  it("TEMPORARY_CONTROL (临时控制): the debtor is under the control of a named police unit, at a place and time", async () => {
    const asked = await request(input("TEMPORARY_CONTROL"));
    const done = await settled(asked.assistance.id);
    expect(done).toMatchObject({
      status: "DONE",
      result: { place: expect.any(String), unit: debtorProfile(main.idNumber).household!.registrationAuthority },
    });
    await eventually(
      async () => statusesOf(done.id),
      (s) => s.includes("DONE"),
    );
  });

  it(
    "SEIZE_VEHICLE (查扣车辆): the debtor's car is seized and held; a second seizure of it, and a plate not " +
      "the debtor's, are refused by the police",
    async () => {
      const asked = await request(input("SEIZE_VEHICLE", { plate: main.plate }));
      expect(asked.assistance.plate).toBe(main.plate);
      const done = await settled(asked.assistance.id);
      expect(done).toMatchObject({ status: "DONE", result: { heldAt: expect.any(String) } });
      // The seizure is a measure of the case on that vehicle, in force from the day seized for the two years of art. 485.
      const measures = (await t.gql(CASE_MEASURES, { caseNumber: mainCase.caseNumber }, token)).data.case.measures.edges.map(
        (e: any) => e.node,
      );
      const seizedOn = todayInChina(new Date(done.result.at));
      expect(measures.filter((m: any) => m.policeAssistanceId === done.id)).toEqual([
        expect.objectContaining({
          kind: "SEIZE",
          status: "EFFECTIVE",
          agency: "VEHICLE_REGISTRY",
          assetIdentifier: main.plate,
          assetCategory: "MOVABLE",
          startsOn: seizedOn,
          expiresOn: lastDayOfPeriod(seizedOn, 24),
          agencyReference: done.agencyReference,
        }),
      ]);

      const again = await settled((await request(input("SEIZE_VEHICLE", { plate: main.plate }))).assistance.id);
      expect(again).toMatchObject({ status: "REFUSED", lastError: expect.stringContaining("已被查扣") });
      const notTheirs = await settled((await request(input("SEIZE_VEHICLE", { plate: "豫B99999" }))).assistance.id);
      expect(notTheirs).toMatchObject({ status: "REFUSED", lastError: expect.stringContaining("不登记在被执行人名下") });
      await eventually(
        async () => statusesOf(notTheirs.id),
        (s) => s.join() === "REFUSED",
      );
    },
  );

  it(
    "RESTRICT_EXIT (限制出境) is registered with border control; " + "LIFT_EXIT_RESTRICTION lifts it, and the restriction shows LIFTED",
    async () => {
      const until = addDays(today(), 180);
      const restricted = await settled(
        (await request(input("RESTRICT_EXIT", { exitRestriction: { from: today(), until } }))).assistance.id,
      );
      expect(restricted).toMatchObject({
        status: "DONE",
        restrictedFrom: today(),
        restrictedUntil: until,
        result: { borderControlReference: expect.stringMatching(/^边控/) },
      });

      const lift = await request(input("LIFT_EXIT_RESTRICTION", { liftsAssistanceId: restricted.id }));
      expect(lift.assistance.liftsAssistanceId).toBe(restricted.id);
      expect(await settled(lift.assistance.id)).toMatchObject({
        status: "DONE",
        result: { borderControlReference: expect.stringMatching(/^撤控/) },
      });
      expect(await settled(restricted.id, "LIFTED")).toMatchObject({ status: "LIFTED" });
      await eventually(
        async () => statusesOf(restricted.id),
        (s) => s.join() === "ACCEPTED,DONE,LIFTED",
      );

      const trail = await auditTrail(t, token, mainCase.caseNumber);
      expect(trail.find((row) => row.action === "EXIT_RESTRICTION_LIFTED")).toMatchObject({
        subjectId: restricted.id,
        detail: { liftedBy: lift.assistance.id },
      });
      // Lifted: the hub has nothing left to lift, and says so without asking the police.
      expect(await refusedWithoutTrace(input("LIFT_EXIT_RESTRICTION", { liftsAssistanceId: restricted.id }))).toMatchObject({
        code: "EXIT_RESTRICTION_NOT_IN_FORCE",
        status: "LIFTED",
      });
    },
  );

  it("lifting a restriction the police have not registered is refused by the police", async () => {
    const police = t.sandbox.agencies.POLICE;
    police.knobs.processingMs = 60_000; // the restriction is taken on, and stays unregistered for this test
    try {
      const restriction = await request(input("RESTRICT_EXIT", { exitRestriction: { from: today(), until: addDays(today(), 30) } }));
      expect(await settled(restriction.assistance.id, "ACCEPTED")).toMatchObject({ agencyReference: expect.any(String) });
      const lift = await settled(
        (await request(input("LIFT_EXIT_RESTRICTION", { liftsAssistanceId: restriction.assistance.id }))).assistance.id,
      );
      expect(lift).toMatchObject({ status: "REFUSED", lastError: expect.stringContaining("未找到对该人员的限制出境登记") });
      expect((await t.gql(ASSISTANCE, { id: restriction.assistance.id }, token)).data.policeAssistance.status).toBe("ACCEPTED");
    } finally {
      police.knobs.processingMs = 150;
    }
  });
});

describe("exactly once, and listed with the case", () => {
  it("the same decision asking again finds the request recorded: nothing new is sent, the police take it on once", async () => {
    const same = input("LOCATE_DEBTOR");
    const first = await request(same);
    const second = await request(same);
    expect(second).toMatchObject({ created: false, assistance: { id: first.assistance.id } });
    await settled(first.assistance.id);
    const [row] = await t.hub.db.sql.query<{ request_id: string }>(
      `SELECT request_id::text AS request_id FROM police_assistance WHERE id = $1::uuid`,
      [first.assistance.id],
    );
    expect(t.sandbox.agencies.POLICE.stats.executionsFor(row.request_id)).toBe(1);
    expect(t.sandbox.agencies.POLICE.stats.submissionsFor(row.request_id)).toBe(1);
  });

  it(
    "an acceptance lost on the way back: the report overtakes it, the hub asks the police about the key " +
      "instead of resending, and takes their original answer; carried out once",
    async () => {
      const police = t.sandbox.agencies.POLICE;
      police.knobs.timeoutRate = 1; // the police take the request on, but their answer never arrives
      let requestKey = "";
      try {
        const asked = await request(input("TEMPORARY_CONTROL"));
        const [row] = await t.hub.db.sql.query<{ request_id: string }>(
          `SELECT request_id::text AS request_id FROM police_assistance WHERE id = $1::uuid`,
          [asked.assistance.id],
        );
        requestKey = row.request_id;
        await eventually(
          async () => police.stats.submissionsFor(requestKey),
          (n) => n >= 1,
        );
      } finally {
        police.knobs.timeoutRate = 0;
      }
      const [done] = await t.hub.db.sql.query<{ id: string }>(`SELECT id::text AS id FROM police_assistance WHERE request_id = $1::uuid`, [
        requestKey,
      ]);
      expect(await settled(done.id)).toMatchObject({ status: "DONE" });
      await quiet();
      // The late acceptance ends the request but does not undo the report.
      expect(await settled(done.id)).toMatchObject({ status: "DONE", agencyReference: expect.stringMatching(/^公协/) });
      const [sent] = await t.hub.db.sql.query<{ status: string }>(`SELECT status::text AS status FROM agency_request WHERE id = $1::uuid`, [
        requestKey,
      ]);
      expect(sent.status).toBe("ANSWERED");
      expect(police.stats.submissionsFor(requestKey)).toBe(1);
      expect(police.stats.lookupsFor(requestKey)).toBeGreaterThanOrEqual(1);
      expect(police.stats.executionsFor(requestKey)).toBe(1);
    },
  );

  it("the case's requests, oldest first, page by page with cursors", async () => {
    const all: string[] = [];
    for (let after: string | undefined; ; ) {
      const page = await t.gql(CASE_ASSISTANCE, { caseNumber: mainCase.caseNumber, first: 3, after }, token);
      expect(page.errors).toBeUndefined();
      const connection = page.data.case.policeAssistance;
      all.push(...connection.edges.map((edge: { node: { id: string } }) => edge.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    const rows = await t.hub.db.sql.query<{ id: string }>(
      `SELECT a.id::text AS id FROM police_assistance a JOIN enforcement_case c ON c.id = a.case_id WHERE c.case_number = $1 ORDER
        BY a.created_at, a.id`,
      [mainCase.caseNumber],
    );
    expect(all).toEqual(rows.map((row) => row.id));
    expect(all.length).toBeGreaterThan(3);
  });
});

describe("a report that never reaches the hub", () => {
  let lost: TestHub;
  afterAll(() => lost?.close());

  it("is asked for once the assistance has gone unreported too long, and recorded as if it had arrived", async () => {
    // Reports go to an address where nothing listens: every delivery of every report fails.
    lost = await startTestHub({
      publicUrl: "http://127.0.0.1:1",
      assistanceReportCheckMs: 500,
      knobs: { POLICE: { latencyMs: 0, jitterMs: 0, processingMs: 50 } },
    });
    const officer = await lost.token("豫0225");
    const debtor = traceableDebtor();
    const number = caseNumber();
    const registered = await lost.gql(
      REGISTER_CASE,
      {
        input: {
          caseNumber: number,
          creditorName: "开封农商银行",
          claimAmount: "1000",
          debtors: [{ kind: "PERSON", idNumber: debtor.idNumber, name: "孙八" }],
        },
      },
      officer,
    );
    expect(registered.errors).toBeUndefined();
    const asked = await lost.gql(
      REQUEST,
      { input: { caseNumber: number, debtorIdNumber: debtor.idNumber, kind: "LOCATE_DEBTOR", decision: decision() } },
      officer,
    );
    expect(asked.errors).toBeUndefined();
    const id = asked.data.requestPoliceAssistance.assistance.id;

    const done = await eventually(
      () => lost.gql(ASSISTANCE, { id }, officer),
      (r: GraphQLResult) => r.data?.policeAssistance.status === "DONE",
    );
    expect(done.data.policeAssistance.result.place).toEqual(expect.any(String));
    const police = lost.sandbox.agencies.POLICE.stats;
    expect(police.callbacksSent).toBe(0);
    expect(police.polls).toBeGreaterThanOrEqual(1);
    const reported = (await auditTrail(lost, officer, number)).find((row) => row.action === "POLICE_ASSISTANCE_REPORTED");
    expect(reported).toMatchObject({ subjectId: id, replyDigest: expect.any(String), detail: { outcome: "DONE" } });
  }, 60_000);
});
