/**
 * Courts manage list entries through GraphQL: the guards of 失信规定 and 限制消费规定 refuse
 * with typed errors and write nothing; extension, correction, removal and expiry reach the
 * partners; the credit platform's inquiry answers then show the sanctions; a refused batch is
 * dead-lettered and replayed; a pull partner reads the feed and acknowledges.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInChina } from "../../../domain/calendarDate.js";
import { addDays } from "../../../domain/measures/periodDates.js";
import { CREDIT_PLATFORM_BATCH_PATH } from "../../../sandbox/agencies/creditPlatform.js";
import { startPartner, type RunningPartner } from "../../../sandbox/partners/partnerAgency.js";
import { caseNumber, residentId } from "../../support/identities.js";
import {
  auditTrail,
  debtorWith,
  ORDER_MEASURE,
  MEASURE,
  noticeNumber,
  panel,
  refusalOf,
  registerCase,
  RELEASE_MEASURE,
} from "../../support/measures.js";
import {
  ACK_FEED,
  CORRECT,
  DEAD_LETTERS,
  EXTEND,
  FEED,
  LIST_DEBTOR,
  PARTNERS,
  REMOVE,
  REPLAY,
  REGISTER_PARTNER,
  RESTRICT,
  SNAPSHOT,
  facts,
  registerPartner,
  untilDelivered,
  EARLY_REMOVAL,
} from "../../support/sanctions.js";
import { CASE_INQUIRIES, REGISTER_CASE, eventually, startTestHub, type TestHub } from "../../support/testHub.js";

let now = new Date();
let t: TestHub;
let officer: string;
let aviation: RunningPartner;
const AVIATION_FIELDS = ["name", "startsOn", "expiresOn"] as const;

beforeAll(async () => {
  t = await startTestHub({
    clock: () => now,
    sanctionDelivery: { sweepIntervalMs: 50, maxBackoffMs: 300, requestTimeoutMs: 1_000, maxAttempts: 2 },
  });
  officer = await t.token("豫0225", ["CASE_OFFICER"], "officer-王");
  aviation = await startPartner("CIVIL_AVIATION", { secret: "aviation-shared-secret-for-the-tests-01" });
  await registerPartner(t, {
    code: "CIVIL_AVIATION",
    lists: ["DISHONEST_DEBTOR", "CONSUMPTION_RESTRICTION"],
    fields: [...AVIATION_FIELDS],
    endpoint: aviation.endpoint,
    signing: "HMAC_SM3",
    secret: "aviation-shared-secret-for-the-tests-01",
  });
  await registerPartner(t, {
    code: "CREDIT_PLATFORM",
    lists: ["DISHONEST_DEBTOR", "CONSUMPTION_RESTRICTION"],
    fields: [
      "name",
      "sex",
      "age",
      "legalRepresentative",
      "obligation",
      "performance",
      "conduct",
      "enforcementBasis",
      "caseNumber",
      "filingDate",
      "court",
      "startsOn",
      "expiresOn",
    ],
    endpoint: `${t.sandbox.agencies.CREDIT_PLATFORM.url}/national${CREDIT_PLATFORM_BATCH_PATH}`,
    publicKey: t.sandbox.creditPlatformPublicKeyPem,
  });
}, 60_000);

afterAll(async () => {
  await t?.close();
  await aviation?.close();
});

async function newCase(debtors: { kind?: string; idNumber: string; name?: string }[], claimAmount = "100000.00") {
  const number = caseNumber();
  const result = await t.gql(
    REGISTER_CASE,
    {
      input: {
        caseNumber: number,
        creditorName: "开封农商银行",
        claimAmount,
        debtors: debtors.map((d) => ({ kind: "PERSON", name: "孙八", ...d })),
      },
    },
    officer,
  );
  expect(result.errors).toBeUndefined();
  return number;
}

async function counts() {
  const [row] = await t.hub.db.sql.query<{ entries: number; changes: number; audit: number }>(
    `SELECT (SELECT count(*)::int FROM sanction_entry) AS entries, (SELECT count(*)::int FROM sanction_change) AS changes,
            (SELECT count(*)::int FROM audit_event
              WHERE action IN ('DISHONEST_DEBTOR_LISTED', 'CONSUMPTION_RESTRICTED', 'SANCTION_EXTENDED', 'SANCTION_CORRECTED',
                'SANCTION_REMOVED', 'DEBTOR_SECURITY_RECORDED')) AS audit`,
  );
  return row;
}

describe("listing guards through GraphQL", () => {
  it("refuses a minor (失信规定 art. 4), another court's case, an unknown ground and missing facts, writing nothing", async () => {
    const today = todayInChina(now);
    const minorBirth = `${Number(today.slice(0, 4)) - 17}0101`;
    const minor = residentId(minorBirth);
    const number = await newCase([{ idNumber: minor }]);
    const before = await counts();

    expect(
      refusalOf(await t.gql(LIST_DEBTOR, { input: { ...facts(number, minor), ground: "VIOLATES_PROPERTY_REPORTING" } }, officer)),
    ).toMatchObject({
      code: "DEBTOR_IS_MINOR",
      age: 17,
    });
    const otherCourt = await t.token("豫0102", ["CASE_OFFICER"]);
    expect(
      refusalOf(await t.gql(LIST_DEBTOR, { input: { ...facts(number, minor), ground: "VIOLATES_PROPERTY_REPORTING" } }, otherCourt)),
    ).toMatchObject({
      code: "FORBIDDEN",
    });
    const unknownGround = await t.gql(LIST_DEBTOR, { input: { ...facts(number, minor), ground: "LATE" } }, officer);
    expect(unknownGround.errors?.[0].extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    expect(
      refusalOf(
        await t.gql(LIST_DEBTOR, { input: { ...facts(number, minor), obligation: " ", ground: "VIOLATES_PROPERTY_REPORTING" } }, officer),
      ),
    ).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "obligation",
    });
    expect(
      refusalOf(await t.gql(LIST_DEBTOR, { input: { ...facts(number, residentId()), ground: "VIOLATES_PROPERTY_REPORTING" } }, officer)),
    ).toMatchObject({
      code: "DEBTOR_NOT_A_PARTY",
    });
    expect(await counts()).toEqual(before);
  });

  it("lists on ground 5 only with a consumption restriction on record (失信规定 art. 1 item 5)", async () => {
    const debtor = residentId();
    const number = await newCase([{ idNumber: debtor }]);
    const ground5 = () => t.gql(LIST_DEBTOR, { input: { ...facts(number, debtor), ground: "VIOLATES_CONSUMPTION_RESTRICTION" } }, officer);
    expect(refusalOf(await ground5())).toMatchObject({ code: "NO_RESTRICTION_ON_RECORD", ground: "VIOLATES_CONSUMPTION_RESTRICTION" });
    expect((await t.gql(RESTRICT, { input: facts(number, debtor) }, officer)).errors).toBeUndefined();
    expect((await ground5()).errors).toBeUndefined();
  });

  it("refuses ground 1 when security was given or sealed assets cover the claim (art. 3), but not the other grounds", async () => {
    const secured = residentId();
    const number = await newCase([{ idNumber: secured }]);
    const recorded = await t.gql(
      `mutation S($input: DebtorSecurityInput!) { recordDebtorSecurity(input: $input) }`,
      { input: { caseNumber: number, debtorIdNumber: secured, description: "案外人王某以房产提供担保" } },
      officer,
    );
    expect(recorded.errors).toBeUndefined();
    expect(
      refusalOf(await t.gql(LIST_DEBTOR, { input: { ...facts(number, secured), ground: "ABLE_BUT_REFUSES" } }, officer)),
    ).toMatchObject({
      code: "ADEQUATE_SECURITY_GIVEN",
    });

    const today = todayInChina(now);
    const { idNumber, flat } = debtorWith({ flat: true });
    const sealed = await registerCase(t, officer, { debtor: idNumber, claimAmount: "50000.00" });
    const order = await t.gql(
      ORDER_MEASURE,
      {
        input: {
          caseNumber: sealed.caseNumber,
          debtorIdNumber: idNumber,
          kind: "SEAL",
          assetId: sealed.assetIds.get(flat.certificateNumber),
          value: "50000.00",
          startsOn: today,
          expiresOn: addDays(today, 300),
          notice: { number: noticeNumber(), date: today },
          decision: panel(today),
        },
      },
      officer,
    );
    expect(order.errors).toBeUndefined();
    await eventually(
      () => t.gql(MEASURE, { id: order.data.orderMeasure.measure.id }, officer),
      (r) => r.data?.measure.status === "EFFECTIVE",
    );
    expect(
      refusalOf(await t.gql(LIST_DEBTOR, { input: { ...facts(sealed.caseNumber, idNumber), ground: "ABLE_BUT_REFUSES" } }, officer)),
    ).toMatchObject({
      code: "ASSETS_UNDER_MEASURES_COVER_CLAIM",
      valueInForce: "50000.00",
      claimAndCosts: "50000.00",
    });
    const violent = await t.gql(
      LIST_DEBTOR,
      { input: { ...facts(sealed.caseNumber, idNumber), ground: "FALSE_EVIDENCE_OR_VIOLENCE" } },
      officer,
    );
    expect(violent.errors).toBeUndefined();
    expect(violent.data.listDishonestDebtor.entry.status).toBe("LISTED");
  });

  it(
    "失信规定 art. 3 item 2 net of deductions (查扣冻规定 2020 art. 19, art. 28 item 4): money deducted has paid " +
      "the debt, even from a freeze since released",
    async () => {
      const today = todayInChina(now);
      const { idNumber, vehicle, account } = debtorWith({ vehicle: true, account: { balance: "30000" } });
      const c = await registerCase(t, officer, { debtor: idNumber, claimAmount: "50000.00" });
      /** Runs the mutation and waits for the measure to reach `status`; returns the measure then. */
      const settled = async (mutation: string, input: Record<string, unknown>, status: string) => {
        const result = await t.gql(
          mutation,
          { input: { notice: { number: noticeNumber(), date: today }, decision: panel(today), ...input } },
          officer,
        );
        expect(result.errors).toBeUndefined();
        const { id } = result.data.orderMeasure?.measure ?? result.data.releaseMeasure;
        const done = await eventually(
          () => t.gql(MEASURE, { id }, officer),
          (r) => r.data?.measure.status === status,
        );
        expect(done.data.measure.status).toBe(status);
        return done.data.measure;
      };
      const order = { caseNumber: c.caseNumber, debtorIdNumber: idNumber, startsOn: today, expiresOn: addDays(today, 300) };
      const freeze = await settled(
        ORDER_MEASURE,
        { ...order, kind: "FREEZE", assetId: c.assetIds.get(account.accountNumber), value: "30000.00" },
        "EFFECTIVE",
      );
      await settled(
        ORDER_MEASURE,
        { ...order, kind: "DEDUCT", assetId: c.assetIds.get(account.accountNumber), value: "30000.00" },
        "EFFECTIVE",
      );
      await settled(RELEASE_MEASURE, { measureId: freeze.id }, "RELEASED");
      // 20,000 is still owed; a seal of the car worth exactly that covers it. Counted gross (20,000 under measures
      // against 50,000), the debtor could have been listed.
      await settled(ORDER_MEASURE, { ...order, kind: "SEAL", assetId: c.assetIds.get(vehicle.plate), value: "20000.00" }, "EFFECTIVE");
      expect(
        refusalOf(await t.gql(LIST_DEBTOR, { input: { ...facts(c.caseNumber, idNumber), ground: "ABLE_BUT_REFUSES" } }, officer)),
      ).toMatchObject({
        code: "ASSETS_UNDER_MEASURES_COVER_CLAIM",
        valueInForce: "20000.00",
        claimAndCosts: "50000.00",
        deducted: "30000.00",
        outstanding: "20000.00",
      });
    },
  );
});

describe("the partner registry", () => {
  it("takes partners only from hub administrators, with a usable profile", async () => {
    const admin = await t.token("HUB", ["HUB_ADMIN"]);
    const partner = {
      code: "CUSTOMS",
      name: "海关",
      lists: ["DISHONEST_DEBTOR"],
      fields: ["name"],
      mode: "PUSH",
      endpoint: "http://127.0.0.1:9/batches",
    };
    expect(refusalOf(await t.gql(REGISTER_PARTNER, { input: partner }, officer))).toMatchObject({ code: "FORBIDDEN" });
    expect(refusalOf(await t.gql(REGISTER_PARTNER, { input: { ...partner, endpoint: "ftp://x" } }, admin))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "endpoint",
    });
    expect(refusalOf(await t.gql(REGISTER_PARTNER, { input: { ...partner, code: "customs!" } }, admin))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "code",
    });
    expect(refusalOf(await t.gql(REGISTER_PARTNER, { input: { ...partner, signing: "HMAC_SM3" } }, admin))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "secret",
    });
    // An SM2 partner signs its acknowledgements with its own key: no key, or not an SM2 one, and it cannot be registered.
    expect(refusalOf(await t.gql(REGISTER_PARTNER, { input: partner }, admin))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "publicKey",
    });
    const p256 = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ type: "spki", format: "pem" }).toString();
    for (const publicKey of ["not a key", p256]) {
      expect(refusalOf(await t.gql(REGISTER_PARTNER, { input: { ...partner, publicKey } }, admin))).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "publicKey",
      });
    }
    expect((await t.gql(REGISTER_PARTNER, { input: { ...partner, fields: ["claimAmount"] } }, admin)).errors?.[0].extensions?.code).toMatch(
      /BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/,
    );
    expect(refusalOf(await t.gql(PARTNERS, {}, officer))).toMatchObject({ code: "FORBIDDEN" });
    const [row] = await t.hub.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM sanction_partner WHERE code = 'CUSTOMS'`);
    expect(row.n).toBe(0);
  });
});

describe("an entry's life reaches the partners", () => {
  it(
    "lists, extends, corrects and removes; partners hold each state " + "within their profile; the credit platform's answer shows it",
    async () => {
      const debtor = residentId("19750312", 2);
      const number = await newCase([{ idNumber: debtor, name: "李四" }]);
      const today = todayInChina(now);
      const input = { ...facts(number, debtor), ground: "VIOLATES_PROPERTY_REPORTING" };
      const listed = await t.gql(LIST_DEBTOR, { input }, officer);
      expect(listed.errors).toBeUndefined();
      const entry = listed.data.listDishonestDebtor.entry;
      expect(entry).toMatchObject({ status: "LISTED", startsOn: today, extensionYears: 0, ground: "VIOLATES_PROPERTY_REPORTING" });
      expect(entry.expiresOn).toBe(`${Number(today.slice(0, 4)) + 2}${today.slice(4)}`.replace(/-02-29$/, "-02-28"));
      expect(entry.published).toMatchObject({
        name: "李四",
        sex: "FEMALE",
        caseNumber: number,
        court: "豫0225",
        conduct: "违反财产报告制度的",
      });
      // The same decision again finds the entry already recorded.
      const again = await t.gql(LIST_DEBTOR, { input }, officer);
      expect(again.data.listDishonestDebtor).toMatchObject({ created: false, entry: { id: entry.id } });

      // The listing restricts consumption too (限制消费规定 art. 1 para. 2): both reach the partner.
      await eventually(
        async () => aviation.receiver.entriesOf(debtor),
        (held) => held.length === 2,
      );
      const dishonest = () => aviation.receiver.entriesOf(debtor).find((held) => held.list === "DISHONEST_DEBTOR");
      expect(dishonest()?.fields).toEqual({ name: "李四", startsOn: today, expiresOn: entry.expiresOn });

      const tooLong = await t.gql(
        EXTEND,
        { input: { entryId: entry.id, years: 4, basis: "MULTIPLE_DISHONEST_CONDUCTS", decisionNumber: "（2024）豫0225执1号之四" } },
        officer,
      );
      expect(refusalOf(tooLong)).toMatchObject({ code: "EXTENSION_OUT_OF_RANGE", maximumYears: 3 });
      const extended = await t.gql(
        EXTEND,
        { input: { entryId: entry.id, years: 1, basis: "MULTIPLE_DISHONEST_CONDUCTS", decisionNumber: "（2024）豫0225执1号之四" } },
        officer,
      );
      expect(extended.errors).toBeUndefined();
      expect(extended.data.extendSanction.extensionYears).toBe(1);
      const corrected = await t.gql(CORRECT, { input: { entryId: entry.id, name: "李肆", performance: "部分履行" } }, officer);
      expect(corrected.data.correctSanction.published).toMatchObject({ name: "李肆", performance: "部分履行" });
      await eventually(
        async () => dishonest()?.fields,
        (f) => f?.name === "李肆" && f.expiresOn === extended.data.extendSanction.expiresOn,
      );

      // The credit platform's inquiry answer now shows the court's entry.
      const inquiry = await t.gql(
        `mutation I($input: InquiryRequestInput!) { requestInquiry(input: $input) { id } }`,
        {
          input: { caseNumber: number, debtorIdNumber: debtor, agencies: ["CREDIT_PLATFORM"], purpose: "核查失信惩戒" },
        },
        officer,
      );
      expect(inquiry.errors).toBeUndefined();
      const inquiryOf = (r: any) => r.data?.case.inquiries.edges.find((e: any) => e.node.id === inquiry.data.requestInquiry.id)?.node;
      const answered = await eventually(
        () => t.gql(CASE_INQUIRIES, { caseNumber: number }, officer),
        (r) => inquiryOf(r)?.complete === true,
      );
      const credit = inquiryOf(answered).parts.find((p: any) => p.agency === "CREDIT_PLATFORM").credit;
      expect(credit.sanctions.map((s: { list: string }) => s.list)).toContain("DISHONEST_DEBTOR");

      expect(refusalOf(await t.gql(REMOVE, { input: { entryId: entry.id, reason: "SECURITY_PROVIDED" } }, officer))).toMatchObject({
        code: "REMOVAL_REASON_NOT_ALLOWED",
      });
      const removed = await t.gql(REMOVE, { input: { entryId: entry.id, ...EARLY_REMOVAL } }, officer);
      expect(removed.data.removeSanction).toMatchObject({ status: "REMOVED", removalReason: "EARLY_REMOVAL" });
      const changesAfterRemoval = await counts();
      const repeated = await t.gql(REMOVE, { input: { entryId: entry.id, ...EARLY_REMOVAL } }, officer);
      expect(repeated.data.removeSanction).toMatchObject({ status: "REMOVED", removalReason: "EARLY_REMOVAL" });
      expect(await counts()).toEqual(changesAfterRemoval);
      expect(refusalOf(await t.gql(CORRECT, { input: { entryId: entry.id, performance: "全部履行" } }, officer))).toMatchObject({
        code: "SANCTION_NOT_LISTED",
      });
      await eventually(
        async () => aviation.receiver.entriesOf(debtor).map((held) => held.list),
        (lists) => lists.length === 1 && lists[0] === "CONSUMPTION_RESTRICTION",
      );
      expect(aviation.receiver.violations).toEqual([]);

      const trail = await auditTrail(t, officer, number);
      expect(trail.filter((row) => row.subjectId === entry.id).map((row) => [row.action, row.actorOfficer])).toEqual([
        ["DISHONEST_DEBTOR_LISTED", "officer-王"],
        ["SANCTION_EXTENDED", "officer-王"],
        ["SANCTION_CORRECTED", "officer-王"],
        ["SANCTION_REMOVED", "officer-王"],
      ]);
      expect(trail.find((row) => row.action === "SANCTION_REMOVED")?.detail).toMatchObject({
        reason: "EARLY_REMOVAL",
        rule: "失信规定 art. 2 para. 3",
      });
    },
  );

  it("removes an entry by itself at the end of its period (失信规定 art. 10 para. 2), with the injected clock", async () => {
    const debtor = residentId();
    const number = await newCase([{ idNumber: debtor }]);
    const listed = await t.gql(LIST_DEBTOR, { input: { ...facts(number, debtor), ground: "BREACHES_SETTLEMENT" } }, officer);
    const entry = listed.data.listDishonestDebtor.entry;
    // Its restriction (限制消费规定 art. 1 para. 2) has no period and stays when the listing ends.
    const restricted = await t.gql(RESTRICT, { input: facts(number, debtor) }, officer);
    expect(refusalOf(restricted)).toMatchObject({ code: "SANCTION_ALREADY_LISTED" });
    await eventually(
      async () => aviation.receiver.entriesOf(debtor),
      (held) => held.length === 2,
    );

    const real = now;
    now = new Date(`${entry.expiresOn}T12:00:00+08:00`);
    expect(await t.hub.sanctions.removeExpired()).toBe(0);
    now = new Date(`${addDays(entry.expiresOn, 1)}T00:30:00+08:00`);
    expect(await t.hub.sanctions.removeExpired()).toBeGreaterThanOrEqual(1);
    now = real;
    const after = await t.gql(`query E($id: ID!) { sanctionEntry(id: $id) { status removalReason } }`, { id: entry.id }, officer);
    expect(after.data.sanctionEntry).toEqual({ status: "REMOVED", removalReason: "EXPIRED" });
    await eventually(
      async () => aviation.receiver.entriesOf(debtor).map((e) => e.list),
      (lists) => lists.length === 1 && lists[0] === "CONSUMPTION_RESTRICTION",
    );
  });
});

describe("dead letters and the pull feed", () => {
  it("dead-letters a batch the partner keeps refusing; a supervisor sees it and replays it", async () => {
    const debtor = residentId();
    const number = await newCase([{ idNumber: debtor }]);
    // Earlier tests' changes (the expiry run removes every entry due, not only its own) must be through first.
    await untilDelivered(t);
    aviation.receiver.refuseBatches = true;
    const listed = await t.gql(RESTRICT, { input: facts(number, debtor) }, officer);
    expect(listed.errors).toBeUndefined();
    const supervisor = await t.token("豫0225", ["SUPERVISOR"]);
    const dead = await eventually(
      () => t.gql(DEAD_LETTERS, { partner: "CIVIL_AVIATION" }, supervisor),
      (r) => r.data?.sanctionDeadLetters.length > 0,
    );
    const letter = dead.data.sanctionDeadLetters[0];
    expect(letter).toMatchObject({ partner: "CIVIL_AVIATION", changes: 1, attempts: 2 });
    expect(letter.lastError).toContain("422");
    const lag = await t.gql(PARTNERS, {}, supervisor);
    expect(lag.data.sanctionPartners.find((p: any) => p.partner.code === "CIVIL_AVIATION")).toMatchObject({ backlog: 1, dead: 1 });
    expect(refusalOf(await t.gql(REPLAY, { batchId: letter.batchId }, officer))).toMatchObject({ code: "FORBIDDEN" });

    aviation.receiver.refuseBatches = false;
    expect((await t.gql(REPLAY, { batchId: letter.batchId }, supervisor)).data.replaySanctionBatch).toBe(1);
    await eventually(
      async () => aviation.receiver.entriesOf(debtor),
      (held) => held.length === 1,
    );
    expect(refusalOf(await t.gql(REPLAY, { batchId: letter.batchId }, supervisor))).toMatchObject({ code: "DEAD_LETTER_NOT_FOUND" });
  });

  it("a pull partner takes a snapshot, follows the feed by cursor, and acknowledges up to a point", async () => {
    const debtor = residentId();
    const number = await newCase([{ idNumber: debtor }]);
    const first = await t.gql(LIST_DEBTOR, { input: { ...facts(number, debtor), ground: "EVASION_BY_FALSE_LITIGATION" } }, officer);
    await registerPartner(t, { code: "MARKET_REGULATOR", mode: "PULL", lists: ["DISHONEST_DEBTOR"], fields: ["name", "obligation"] });
    const regulator = await t.token("MARKET_REGULATOR", ["AGENCY"]);

    const snapshot = await t.gql(SNAPSHOT, { first: 1000 }, regulator);
    expect(snapshot.errors).toBeUndefined();
    const mine = snapshot.data.sanctionSnapshot.changes.filter((c: any) => c.idNumber === debtor);
    expect(mine).toEqual([
      expect.objectContaining({
        entryId: first.data.listDishonestDebtor.entry.id,
        status: "LISTED",
        fields: { name: "孙八", obligation: expect.any(String) },
      }),
    ]);
    const followFrom = snapshot.data.sanctionSnapshot.followFrom;

    await t.gql(REMOVE, { input: { entryId: first.data.listDishonestDebtor.entry.id, ...EARLY_REMOVAL } }, officer);
    // A change to the restriction made with the listing: not on its lists.
    const restriction = first.data.listDishonestDebtor.entry.linkedEntryId;
    expect((await t.gql(CORRECT, { input: { entryId: restriction, performance: "部分履行" } }, officer)).errors).toBeUndefined();
    const feed = await t.gql(FEED, { after: followFrom, first: 10 }, regulator);
    expect(feed.data.sanctionFeed.changes.map((c: any) => [c.idNumber, c.operation, c.list])).toEqual([
      [debtor, "REMOVE", "DISHONEST_DEBTOR"],
    ]);
    expect(Object.keys(feed.data.sanctionFeed.changes[0].fields).sort()).toEqual(["name", "obligation"]);

    // The pull partner's lag counts the changes on its lists past its acknowledgement, and none once it acknowledged them.
    const supervisor = await t.token("豫0225", ["SUPERVISOR"]);
    const regulatorLag = async () =>
      (await t.gql(PARTNERS, {}, supervisor)).data.sanctionPartners.find((p: any) => p.partner.code === "MARKET_REGULATOR");
    expect((await regulatorLag()).backlog).toBeGreaterThanOrEqual(2);
    const acked = await t.gql(ACK_FEED, { upTo: feed.data.sanctionFeed.endCursor }, regulator);
    expect(acked.data.acknowledgeSanctionFeed).toBe(feed.data.sanctionFeed.endCursor);
    expect(await regulatorLag()).toMatchObject({ backlog: 0, oldestUnacknowledged: null, ackedSeq: feed.data.sanctionFeed.endCursor });
    expect((await t.gql(FEED, {}, regulator)).data.sanctionFeed.changes).toEqual([]);
    expect(refusalOf(await t.gql(ACK_FEED, { upTo: "999999999999" }, regulator))).toMatchObject({ code: "BAD_USER_INPUT", field: "upTo" });
    expect(refusalOf(await t.gql(FEED, { after: "not-a-cursor" }, regulator))).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
    expect(refusalOf(await t.gql(FEED, {}, await t.token("RAILWAY", ["AGENCY"])))).toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "UNKNOWN_ORG",
    });
    expect(refusalOf(await t.gql(FEED, {}, officer))).toMatchObject({ code: "FORBIDDEN" });
  });

  it("a snapshot read page by page shows one moment, whatever changes meanwhile", async () => {
    const regulator = await t.token("MARKET_REGULATOR", ["AGENCY"]);
    for (let i = 0; i < 2; i++) {
      const debtor = residentId();
      const listed = await t.gql(
        LIST_DEBTOR,
        { input: { ...facts(await newCase([{ idNumber: debtor }]), debtor), ground: "VIOLATES_PROPERTY_REPORTING" } },
        officer,
      );
      expect(listed.errors).toBeUndefined();
    }
    const first = (await t.gql(SNAPSHOT, { first: 1 }, regulator)).data.sanctionSnapshot;
    expect(first.hasMore).toBe(true);
    // Every entry in force changes after the first page: later pages must still show it as it was.
    const listed = await t.hub.db.sql.query<{ id: string }>(
      `SELECT id::text AS id FROM sanction_entry WHERE status = 'LISTED' AND list = 'DISHONEST_DEBTOR'`,
    );
    for (const { id } of listed)
      expect((await t.gql(CORRECT, { input: { entryId: id, performance: "快照之后更正" } }, officer)).errors).toBeUndefined();
    const changes = [...first.changes];
    for (let after = first.endCursor, more = true; more; ) {
      const page = (await t.gql(SNAPSHOT, { first: 1, after }, regulator)).data.sanctionSnapshot;
      expect(page.followFrom).toBe(first.followFrom);
      changes.push(...page.changes);
      [after, more] = [page.endCursor, page.hasMore];
    }
    expect(changes.length).toBe(listed.length);
    expect(changes.every((c: { seq: string }) => BigInt(c.seq) <= BigInt(first.followFrom))).toBe(true);
    const feed = (await t.gql(FEED, { after: first.followFrom, first: 100 }, regulator)).data.sanctionFeed;
    expect(feed.changes.filter((c: { operation: string }) => c.operation === "CORRECT")).toHaveLength(listed.length);
    const seqs = feed.changes.map((c: { seq: string }) => BigInt(c.seq));
    expect(seqs).toEqual([...seqs].sort((x, y) => (x < y ? -1 : 1)));
  });
});
