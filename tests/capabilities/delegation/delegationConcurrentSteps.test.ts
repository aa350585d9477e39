/**
 * Steps taken at once on the two hubs of a delegated task (事项委托): the Henan court withdraws while the
 * Anhui court, not yet knowing, accepts. The Anhui hub, the target court's, orders the task's steps
 * (domain/delegation/stepOrdering.ts): Henan's withdrawal is a request that Anhui applies or refuses in
 * its own order, so the two copies end alike whatever the link does meanwhile. Two hubs, each with its
 * own database, through TCP proxies the tests cut, break and restore; everything through GraphQL.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  TASK_DELEGATED,
  TASK_STEP,
  TASK_WITHDRAWAL_REFUSED,
  TASK_WITHDRAWAL_REQUEST,
} from "../../../capabilities/delegation/taskMessages.js";
import { signEnvelope, type PeerMessage } from "../../../capabilities/peering/peerEnvelope.js";
import { sm2PrivateKey } from "../../../gateway/signing/sm2.js";
import { ACCEPT, ANHUI, DELEGATE, HENAN, RECEIVE, WITHDRAW } from "../../support/delegation.js";
import { heard, shared, startDelegationHubs, statusOn, taskOn, type DelegationHubs } from "../../support/delegationHubs.js";
import { refusalOf } from "../../support/measures.js";
import { outboxOf } from "../../support/peerHubs.js";
import { eventually, type TestHub } from "../../support/testHub.js";

let hubs: DelegationHubs;

beforeAll(async () => {
  hubs = await startDelegationHubs();
}, 240_000); // two hubs and their sandboxes starting on a loaded machine

afterAll(async () => {
  await hubs?.close();
});

const delegate = async (instructions: string) => {
  const { henanHub, henan, anhuiHub, anhui, c } = hubs;
  const result = await henanHub.gql(
    DELEGATE,
    { input: { caseNumber: c.caseNumber, debtorIdNumber: c.debtor, kind: "QUERY", instructions, targetCourt: ANHUI } },
    henan,
  );
  expect(result.errors).toBeUndefined();
  const id: string = result.data.delegateTask.id;
  await statusOn(anhuiHub, anhui, id, "SENT");
  return id;
};

const delivered = (t: TestHub, id: string, count: number) =>
  eventually(
    () => outboxOf(t, id),
    (rows) => rows.length === count && rows.every((row) => row.status === "DELIVERED"),
    30_000,
  );

/** Each message of the task as the receiving hub holds it, in order: a resend must not add one. */
const inboxOf = (t: TestHub, id: string) =>
  t.hub.db.sql.query<{ type: string; sequence: number }>(
    `SELECT type, sequence FROM peer_inbox WHERE conversation = $1 ORDER BY sequence`,
    [id],
  );

const auditOf = (t: TestHub, id: string) =>
  t.hub.db.sql.query<{ action: string; actor_org: string }>(
    `SELECT action, actor_org FROM audit_event WHERE subject_id = $1 AND action LIKE 'DELEGATED_TASK_%' ORDER BY id`,
    [id],
  );

describe("the delegating court withdraws while the target court accepts, on two hubs", () => {
  it("with the link cut, each court's step is taken; once restored, both hubs hold the task accepted and " +
    "the withdrawal refused, which the delegating court sees with the reason", async () => {
    const { henanHub, anhuiHub, henan, anhui, toAnhui, toHenan, henanStream, anhuiStream } = hubs;
    const id = await delegate("查询被执行人在合肥市的银行存款");
    expect((await anhuiHub.gql(RECEIVE, { taskId: id }, anhui)).errors).toBeUndefined();
    await statusOn(henanHub, henan, id, "RECEIVED");
    await delivered(anhuiHub, id, 1);

    toAnhui.cut();
    toHenan.cut();
    const withdrawn = await henanHub.gql(WITHDRAW, { taskId: id, reason: "被执行人已自动履行" }, henan);
    expect(withdrawn.errors).toBeUndefined();
    // Henan does not withdraw on its own copy: it asks Anhui, and says so.
    const asked = await taskOn(henanHub, henan, id);
    expect(asked).toMatchObject({
      status: "RECEIVED",
      withdrawalRequest: {
        status: "PENDING",
        requestedBy: `${HENAN}-officer`,
        reason: "被执行人已自动履行",
        refusedAt: null,
        refusal: null,
      },
    });
    // One withdrawal at a time.
    expect(refusalOf(await henanHub.gql(WITHDRAW, { taskId: id }, henan))).toMatchObject({ code: "DELEGATION_WITHDRAWAL_PENDING" });

    expect((await anhuiHub.gql(ACCEPT, { taskId: id }, anhui)).errors).toBeUndefined();
    // Both hubs try to tell the other while the link is down.
    const [toAnhuiBefore, toHenanBefore] = [toAnhui.broken, toHenan.broken];
    await eventually(
      async () => [toAnhui.broken, toHenan.broken],
      ([a, h]) => a > toAnhuiBefore + 1 && h > toHenanBefore + 1,
    );
    expect((await taskOn(henanHub, henan, id)).status).toBe("RECEIVED");
    expect((await taskOn(anhuiHub, anhui, id)).withdrawalRequest).toBeNull();

    toAnhui.restore();
    toHenan.restore();
    const seen = await eventually(
      () => taskOn(henanHub, henan, id),
      (task) => task.withdrawalRequest?.status === "REFUSED",
      30_000,
    );
    await delivered(henanHub, id, 2);
    await delivered(anhuiHub, id, 3);
    const anhuiCopy = await taskOn(anhuiHub, anhui, id);
    expect(seen.status).toBe("ACCEPTED");
    expect(shared(seen)).toEqual(shared(anhuiCopy));
    expect(seen.steps.map((s: any) => [s.seq, s.action, s.status, s.actorCourt])).toEqual([
      [1, "DELEGATE", "SENT", HENAN],
      [2, "RECEIVE", "RECEIVED", ANHUI],
      [3, "ACCEPT", "ACCEPTED", ANHUI],
    ]);
    expect(seen.withdrawalRequest).toEqual({
      status: "REFUSED",
      requestedAt: asked.withdrawalRequest.requestedAt,
      requestedBy: `${HENAN}-officer`,
      reason: "被执行人已自动履行",
      refusedAt: expect.any(String),
      refusal: expect.stringContaining("a ACCEPTED task cannot be withdrawn"),
    });

    // Each court heard it on its own hub: Henan its request and the refusal, both in Anhui's order of the steps.
    await eventually(
      async () => [heard(henanStream, id), heard(anhuiStream, id)],
      ([h, a]) => h.length === 5 && a.length === 4,
    );
    expect(heard(henanStream, id)).toEqual([
      [1, "DELEGATE", "SENT"],
      [2, "RECEIVE", "RECEIVED"],
      [null, "WITHDRAWAL_REQUESTED", "RECEIVED"],
      [3, "ACCEPT", "ACCEPTED"],
      [null, "WITHDRAWAL_REFUSED", "ACCEPTED"],
    ]);
    expect(heard(anhuiStream, id)).toEqual([
      [1, "DELEGATE", "SENT"],
      [2, "RECEIVE", "RECEIVED"],
      [3, "ACCEPT", "ACCEPTED"],
      [null, "WITHDRAWAL_REFUSED", "ACCEPTED"],
    ]);
    expect(henanStream.events.find((e) => e.taskId === id && e.action === "WITHDRAWAL_REFUSED")?.reason).toBe(
      seen.withdrawalRequest.refusal,
    );

    expect((await auditOf(henanHub, id)).map((row) => row.action)).toEqual([
      "DELEGATED_TASK_SENT",
      "DELEGATED_TASK_RECEIVED",
      "DELEGATED_TASK_WITHDRAWAL_REQUESTED",
      "DELEGATED_TASK_ACCEPTED",
      "DELEGATED_TASK_WITHDRAWAL_REFUSED",
    ]);
    expect(await auditOf(anhuiHub, id)).toEqual([
      { action: "DELEGATED_TASK_SENT", actor_org: HENAN },
      { action: "DELEGATED_TASK_RECEIVED", actor_org: ANHUI },
      { action: "DELEGATED_TASK_ACCEPTED", actor_org: ANHUI },
      { action: "DELEGATED_TASK_WITHDRAWAL_REFUSED", actor_org: "hub:anhui" },
    ]);
    // Nothing twice, nothing refused: each message once in each outbox and once in the other's inbox.
    expect((await outboxOf(henanHub, id)).map((row) => row.type)).toEqual([TASK_DELEGATED, TASK_WITHDRAWAL_REQUEST]);
    expect((await outboxOf(anhuiHub, id)).map((row) => row.type)).toEqual([TASK_STEP, TASK_STEP, TASK_WITHDRAWAL_REFUSED]);
    expect(await inboxOf(anhuiHub, id)).toEqual([
      { type: TASK_DELEGATED, sequence: 1 },
      { type: TASK_WITHDRAWAL_REQUEST, sequence: 2 },
    ]);
    expect(await inboxOf(henanHub, id)).toEqual([
      { type: TASK_STEP, sequence: 1 },
      { type: TASK_STEP, sequence: 2 },
      { type: TASK_WITHDRAWAL_REFUSED, sequence: 3 },
    ]);
  }, 120_000);

  it("withdrawn before acceptance: the Anhui hub withdraws it and both copies say so, even when Henan's " +
    "request is delivered twice", async () => {
    const { henanHub, anhuiHub, henan, anhui, toAnhui, henanStream } = hubs;
    const id = await delegate("调查被执行人在合肥市的经营场所");
    await delivered(henanHub, id, 1);

    // Anhui applies the request, but its acknowledgement never reaches Henan, which sends it again.
    toAnhui.swallowReplies();
    const asked = await henanHub.gql(WITHDRAW, { taskId: id, reason: "已与被执行人和解" }, henan);
    expect(asked.errors).toBeUndefined();
    expect(asked.data.withdrawDelegatedTask.status).toBe("SENT");
    await statusOn(anhuiHub, anhui, id, "WITHDRAWN");
    await eventually(
      () => outboxOf(henanHub, id),
      (rows) => rows.length === 2 && rows[1].attempts >= 2,
      30_000,
    );
    // The withdrawal comes back to Henan over the other link, which is up.
    const seen = await statusOn(henanHub, henan, id, "WITHDRAWN");
    toAnhui.restore();
    await delivered(henanHub, id, 2);
    await delivered(anhuiHub, id, 1);

    expect(shared(seen)).toEqual(shared(await taskOn(anhuiHub, anhui, id)));
    expect(seen.withdrawalRequest).toBeNull();
    expect(seen.steps.map((s: any) => [s.seq, s.action, s.status, s.actorCourt, s.actorOfficer, s.reason])).toEqual([
      [1, "DELEGATE", "SENT", HENAN, `${HENAN}-officer`, null],
      [2, "WITHDRAW", "WITHDRAWN", HENAN, `${HENAN}-officer`, "已与被执行人和解"],
    ]);
    expect(refusalOf(await anhuiHub.gql(ACCEPT, { taskId: id }, anhui))).toMatchObject({
      code: "DELEGATION_TRANSITION_NOT_ALLOWED",
      status: "WITHDRAWN",
    });
    await eventually(
      async () => heard(henanStream, id),
      (events) => events.length === 3,
    );
    expect(heard(henanStream, id)).toEqual([
      [1, "DELEGATE", "SENT"],
      [null, "WITHDRAWAL_REQUESTED", "SENT"],
      [2, "WITHDRAW", "WITHDRAWN"],
    ]);

    // Received twice, applied once.
    expect(await inboxOf(anhuiHub, id)).toEqual([
      { type: TASK_DELEGATED, sequence: 1 },
      { type: TASK_WITHDRAWAL_REQUEST, sequence: 2 },
    ]);
    expect(await inboxOf(henanHub, id)).toEqual([{ type: TASK_STEP, sequence: 1 }]);
    const [again] = await anhuiHub.hub.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'PEER_MESSAGE_RECEIVED_AGAIN' AND detail->>'conversation' = $1`,
      [id],
    );
    expect(again.n).toBeGreaterThan(0);
    for (const t of [henanHub, anhuiHub]) {
      expect((await auditOf(t, id)).map((row) => row.action).filter((action) => action === "DELEGATED_TASK_WITHDRAWN")).toHaveLength(1);
    }
  }, 120_000);
});

describe("a step sent to the hub that does not order it", () => {
  let id: string;
  beforeAll(async () => {
    id = await delegate("送达执行通知书");
  });

  it("an officer of a court the other hub serves acting on this hub's copy is refused with a typed error", async () => {
    const { henanHub, anhuiHub } = hubs;
    const anhuiOnHenan = await henanHub.token(ANHUI);
    expect(refusalOf(await henanHub.gql(RECEIVE, { taskId: id }, anhuiOnHenan))).toMatchObject({
      code: "DELEGATION_STEP_ORDERED_ELSEWHERE",
      orderedBy: "TARGET",
      actorParty: "TARGET",
    });
    const henanOnAnhui = await anhuiHub.token(HENAN);
    expect(refusalOf(await anhuiHub.gql(WITHDRAW, { taskId: id }, henanOnAnhui))).toMatchObject({
      code: "DELEGATION_STEP_ORDERED_ELSEWHERE",
      actorParty: "DELEGATING",
    });
    for (const t of [henanHub, anhuiHub]) expect((await taskOn(t, await t.token(HENAN), id)).steps).toHaveLength(1);
  });

  describe("a peer's message the receiving hub may not follow is refused for good, with nothing written", () => {
    const post = async (to: TestHub, message: PeerMessage, privateKeyPem: string) => {
      const response = await fetch(`${to.hub.url}/peer-messages`, {
        method: "POST",
        body: JSON.stringify(signEnvelope(message, sm2PrivateKey(privateKeyPem))),
      });
      return { status: response.status, body: await response.json() };
    };
    const message = (from: string, to: string, type: string, body: unknown): PeerMessage => ({
      id: randomUUID(),
      from,
      to,
      type,
      conversation: id,
      // Past any number the conversation used, so that only what is being tested can refuse it.
      sequence: 1_000,
      sentAt: new Date().toISOString(),
      body,
    });
    const at = () => new Date().toISOString();

    it("Henan sending Anhui a withdrawal it decided itself", async () => {
      const withdrawal = {
        seq: 2,
        action: "WITHDRAW",
        actorCourt: HENAN,
        actorOfficer: "officer",
        reason: null,
        at: at(),
        results: null,
        documents: [],
      };
      const reply = await post(hubs.anhuiHub, message("henan", "anhui", TASK_STEP, withdrawal), hubs.henanKeys.privateKeyPem);
      expect(reply).toEqual({
        status: 422,
        body: { error: { code: "REJECTED", message: expect.stringContaining("this hub orders the steps of this task") } },
      });
    });

    it("Anhui sending Henan a withdrawal Henan never asked for", async () => {
      const withdrawal = {
        seq: 2,
        action: "WITHDRAW",
        actorCourt: HENAN,
        actorOfficer: "officer",
        reason: null,
        at: at(),
        results: null,
        documents: [],
      };
      const reply = await post(hubs.henanHub, message("anhui", "henan", TASK_STEP, withdrawal), hubs.anhuiKeys.privateKeyPem);
      expect(reply).toEqual({
        status: 422,
        body: { error: { code: "REJECTED", message: expect.stringContaining("this hub asked for no withdrawal") } },
      });
    });

    it("a withdrawal request sent to the delegating court's hub", async () => {
      const request = { actorCourt: ANHUI, actorOfficer: "officer", reason: null, requestedAt: at() };
      const reply = await post(hubs.henanHub, message("anhui", "henan", TASK_WITHDRAWAL_REQUEST, request), hubs.anhuiKeys.privateKeyPem);
      expect(reply).toEqual({ status: 422, body: { error: { code: "REJECTED", message: expect.stringContaining("requests go there") } } });
    });

    it("a refusal of a withdrawal Henan has not asked for", async () => {
      const refused = {
        actorCourt: HENAN,
        actorOfficer: "officer",
        reason: null,
        requestedAt: at(),
        refusedAt: at(),
        code: "DELEGATION_TRANSITION_NOT_ALLOWED",
        refusal: "no",
      };
      const reply = await post(hubs.henanHub, message("anhui", "henan", TASK_WITHDRAWAL_REFUSED, refused), hubs.anhuiKeys.privateKeyPem);
      expect(reply).toEqual({
        status: 422,
        body: { error: { code: "REJECTED", message: expect.stringContaining("is waiting for an answer here") } },
      });
    });

    it("and none of them changed either copy", async () => {
      for (const t of [hubs.henanHub, hubs.anhuiHub]) {
        const task = await taskOn(t, await t.token(HENAN), id);
        expect(task).toMatchObject({ status: "SENT", withdrawalRequest: null });
        expect(task.steps).toHaveLength(1);
      }
    });
  });
});
