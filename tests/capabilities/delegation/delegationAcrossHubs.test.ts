/**
 * A delegated task (事项委托) across two hubs, each with its own database: a Henan court on the Henan hub
 * delegates to an Anhui court on the Anhui hub, through TCP proxies the test cuts and restores. Everything
 * goes through each hub's GraphQL API; the hubs hold the same task, step for step.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TASK_STEP } from "../../../capabilities/delegation/taskMessages.js";
import { signEnvelope, type PeerMessage } from "../../../capabilities/peering/peerEnvelope.js";
import { generateSm2KeyPair } from "../../../gateway/signing/sm2Keys.js";
import { sm2PrivateKey } from "../../../gateway/signing/sm2.js";
import {
  ACCEPT,
  ANHUI,
  COMPLETE,
  DELEGATE,
  HEFEI_FLAT,
  HENAN,
  HUBEI,
  RECEIVE,
  base64,
  completionWithFlat,
  registration,
  sealTerms,
  type TaskStream,
} from "../../support/delegation.js";
import { todayInChina } from "../../../domain/calendarDate.js";
import { heard, shared, startDelegationHubs, statusOn, taskOn, type DelegationHubs } from "../../support/delegationHubs.js";
import type { RegisteredCase } from "../../support/measures.js";
import { outboxOf } from "../../support/peerHubs.js";
import type { TcpProxy } from "../../support/tcpProxy.js";
import { eventually, type TestHub } from "../../support/testHub.js";

let hubs: DelegationHubs;
let henanHub: TestHub;
let anhuiHub: TestHub;
let henan: string;
let anhui: string;
let c: RegisteredCase;
let henanStream: TaskStream;
let anhuiStream: TaskStream;
let toHenan: TcpProxy;

beforeAll(async () => {
  hubs = await startDelegationHubs();
  ({ henanHub, anhuiHub, henan, anhui, c, henanStream, anhuiStream, toHenan } = hubs);
}, 240_000); // two hubs and their sandboxes starting on a loaded machine

afterAll(async () => {
  await hubs?.close();
});

const auditOf = (t: TestHub, taskId: string) =>
  t.hub.db.sql.query<{ action: string; actor_org: string }>(
    `SELECT action, actor_org FROM audit_event WHERE subject_id = $1 AND action LIKE 'DELEGATED_TASK_%' ORDER BY id`,
    [taskId],
  );

describe("a task delegated to a court of another hub", () => {
  let sealTask: string;

  it(
    "a Henan court seals through an Anhui court: the Anhui court receives, accepts and completes it, and " +
      "the Henan case system sees the result",
    async () => {
      const today = todayInChina(new Date());
      const terms = sealTerms(today);
      const delegated = await henanHub.gql(
        DELEGATE,
        {
          input: {
            caseNumber: c.caseNumber,
            debtorIdNumber: c.debtor,
            kind: "SEAL",
            instructions: "查封被执行人名下位于合肥市蜀山区的房产",
            targetCourt: ANHUI,
            control: terms,
            documents: [
              { name: "委托函.txt", contentBase64: base64("兰考县人民法院委托函") },
              { name: "查封裁定书.txt", contentBase64: base64("（2024）豫0225执恢1号之一 查封裁定") },
            ],
          },
        },
        henan,
      );
      expect(delegated.errors).toBeUndefined();
      sealTask = delegated.data.delegateTask.id;
      expect(delegated.data.delegateTask).toMatchObject({ status: "SENT", peerHub: "anhui", targetCourt: { code: ANHUI, hub: "anhui" } });

      // Anhui's copy: the same id, the case as sent (Anhui has no such case), the documents whole.
      const arrived = await statusOn(anhuiHub, anhui, sealTask, "SENT");
      expect(arrived).toMatchObject({
        caseNumber: c.caseNumber,
        debtorIdNumber: c.debtor,
        kind: "SEAL",
        peerHub: "henan",
        delegatingCourt: { code: HENAN, hub: "henan" },
      });
      expect(arrived.documents.map((d: any) => [d.name, Buffer.from(d.contentBase64, "base64").toString()])).toEqual([
        ["委托函.txt", "兰考县人民法院委托函"],
        ["查封裁定书.txt", "（2024）豫0225执恢1号之一 查封裁定"],
      ]);

      expect((await anhuiHub.gql(RECEIVE, { taskId: sealTask }, anhui)).errors).toBeUndefined();
      expect((await anhuiHub.gql(ACCEPT, { taskId: sealTask }, anhui)).errors).toBeUndefined();
      const completed = await anhuiHub.gql(
        COMPLETE,
        {
          input: {
            taskId: sealTask,
            results: { summary: "已查封皖(2022)合肥市不动产权第0654321号房产，期限三年", control: registration(terms, today) },
            documents: [{ name: "查封回执.txt", contentBase64: base64("协助执行通知书回执") }],
          },
        },
        anhui,
      );
      expect(completed.errors).toBeUndefined();

      const seen = await statusOn(henanHub, henan, sealTask, "COMPLETED");
      expect(seen.results.summary).toBe("已查封皖(2022)合肥市不动产权第0654321号房产，期限三年");
      // The Henan case holds the seal the Anhui court reported, in force for the year ordered.
      const [measure] = await henanHub.hub.db.sql.query(
        `SELECT status::text AS status, starts_on::text AS "startsOn", expires_on::text AS "expiresOn" FROM measure
          WHERE delegated_task_id = $1::uuid`,
        [sealTask],
      );
      expect(measure).toEqual({ status: "EFFECTIVE", startsOn: today, expiresOn: terms.expiresOn });
      expect(seen.steps.map((s: any) => [s.seq, s.action, s.status, s.actorCourt])).toEqual([
        [1, "DELEGATE", "SENT", HENAN],
        [2, "RECEIVE", "RECEIVED", ANHUI],
        [3, "ACCEPT", "ACCEPTED", ANHUI],
        [4, "COMPLETE", "COMPLETED", ANHUI],
      ]);
      expect(seen.documents.find((d: any) => d.stepSeq === 4)).toMatchObject({
        sentBy: ANHUI,
        name: "查封回执.txt",
        contentBase64: base64("协助执行通知书回执"),
      });
      expect(shared(seen)).toEqual(shared(await taskOn(anhuiHub, anhui, sealTask)));

      const outgoing = await henanHub.gql(
        `query Tasks($caseNumber: String) { delegatedTasks(direction: OUTGOING, status: COMPLETED, caseNumber: $caseNumber) { edges {
        node { id } } } }`,
        { caseNumber: c.caseNumber },
        henan,
      );
      expect(outgoing.data.delegatedTasks.edges.map((e: any) => e.node.id)).toEqual([sealTask]);

      // Each court's subscription on its own hub heard every step, once, in order.
      const steps = [
        [1, "DELEGATE", "SENT"],
        [2, "RECEIVE", "RECEIVED"],
        [3, "ACCEPT", "ACCEPTED"],
        [4, "COMPLETE", "COMPLETED"],
      ];
      await eventually(
        async () => [heard(henanStream, sealTask), heard(anhuiStream, sealTask)],
        ([h, a]) => h.length === 4 && a.length === 4,
      );
      expect(heard(henanStream, sealTask)).toEqual(steps);
      expect(heard(anhuiStream, sealTask)).toEqual(steps);
      // Each hub's audit trail has each step once, by the court that took it.
      const trail = [
        { action: "DELEGATED_TASK_SENT", actor_org: HENAN },
        { action: "DELEGATED_TASK_RECEIVED", actor_org: ANHUI },
        { action: "DELEGATED_TASK_ACCEPTED", actor_org: ANHUI },
        { action: "DELEGATED_TASK_COMPLETED", actor_org: ANHUI },
      ];
      expect(await auditOf(henanHub, sealTask)).toEqual(trail);
      expect(await auditOf(anhuiHub, sealTask)).toEqual(trail);
    },
  );

  it("the link cut after the Anhui court accepts, before the Henan hub hears it, and then restored: both " +
    "hubs converge, nothing lost or duplicated, and found assets join the Henan case", async () => {
    const delegated = await henanHub.gql(
      DELEGATE,
      {
        input: {
          caseNumber: c.caseNumber,
          debtorIdNumber: c.debtor,
          kind: "QUERY",
          instructions: "查询被执行人在合肥市的不动产",
          targetCourt: ANHUI,
        },
      },
      henan,
    );
    const taskId = delegated.data.delegateTask.id;
    await statusOn(anhuiHub, anhui, taskId, "SENT");
    expect((await anhuiHub.gql(RECEIVE, { taskId }, anhui)).errors).toBeUndefined();
    await statusOn(henanHub, henan, taskId, "RECEIVED");
    // Anhui has Henan's acknowledgement of the receipt, so what follows concerns the acceptance alone.
    await eventually(
      () => outboxOf(anhuiHub, taskId),
      (rows) => rows.length === 1 && rows[0].status === "DELIVERED",
    );

    // Henan applies the acceptance, but its acknowledgement never reaches Anhui, which sends it again.
    toHenan.swallowReplies();
    expect((await anhuiHub.gql(ACCEPT, { taskId }, anhui)).errors).toBeUndefined();
    await statusOn(henanHub, henan, taskId, "ACCEPTED");
    await eventually(
      () => outboxOf(anhuiHub, taskId),
      (rows) => rows.length === 2 && rows[1].attempts >= 2,
    );

    // Then the link is down altogether while the Anhui court completes the task.
    toHenan.cut();
    const completed = await anhuiHub.gql(COMPLETE, completionWithFlat(taskId), anhui);
    expect(completed.errors).toBeUndefined();
    const before = toHenan.broken;
    await eventually(
      async () => toHenan.broken,
      (broken) => broken > before + 2,
    );
    expect((await taskOn(henanHub, henan, taskId)).status).toBe("ACCEPTED");

    toHenan.restore();
    const seen = await statusOn(henanHub, henan, taskId, "COMPLETED");
    await eventually(
      () => outboxOf(anhuiHub, taskId),
      (rows) => rows.length === 3 && rows.every((row) => row.status === "DELIVERED"),
    );
    expect(shared(seen)).toEqual(shared(await taskOn(anhuiHub, anhui, taskId)));
    expect(seen.steps.map((s: any) => s.action)).toEqual(["DELEGATE", "RECEIVE", "ACCEPT", "COMPLETE"]);
    expect(seen.results.assets).toEqual([
      expect.objectContaining({ __typename: "RealEstateAsset", identifier: HEFEI_FLAT.certificateNumber, foundBy: taskId }),
    ]);

    // Nothing twice: the acceptance was received again, and applied once.
    const [rows] = await henanHub.hub.db.sql.query<{ steps: number; assets: number; inbox: number; again: number }>(
      `SELECT (SELECT count(*)::int FROM delegated_task_step WHERE task_id = $1::uuid) AS steps,
              (SELECT count(*)::int FROM asset_sighting WHERE delegated_task_id = $1::uuid) AS assets,
              (SELECT count(*)::int FROM peer_inbox WHERE conversation = $2) AS inbox,
              (SELECT count(*)::int FROM audit_event WHERE action = 'PEER_MESSAGE_RECEIVED_AGAIN' AND detail->>'conversation' = $2)
                AS again`,
      [taskId, taskId],
    );
    expect(rows).toMatchObject({ steps: 4, assets: 1, inbox: 3 });
    expect(rows.again).toBeGreaterThan(0);
    expect((await auditOf(henanHub, taskId)).map((row) => row.action)).toEqual([
      "DELEGATED_TASK_SENT",
      "DELEGATED_TASK_RECEIVED",
      "DELEGATED_TASK_ACCEPTED",
      "DELEGATED_TASK_COMPLETED",
    ]);
    await eventually(
      async () => heard(henanStream, taskId),
      (events) => events.length === 4,
    );
    expect(heard(henanStream, taskId).map(([seq]) => seq)).toEqual([1, 2, 3, 4]);

    // The found flat is one of the Henan case's assets, like an inquiry's.
    const assets = await henanHub.gql(
      `query Assets($caseNumber: String!) { case(caseNumber: $caseNumber) { assets { __typename identifier foundBy } } }`,
      { caseNumber: c.caseNumber },
      henan,
    );
    expect(assets.data.case.assets).toContainEqual({
      __typename: "RealEstateAsset",
      identifier: HEFEI_FLAT.certificateNumber,
      foundBy: taskId,
    });
  }, 120_000);

  describe("what the Henan hub refuses from the Anhui hub, with nothing written and the refusal in its audit trail", () => {
    const step = (overrides: Record<string, unknown>): PeerMessage => ({
      id: randomUUID(),
      from: "anhui",
      to: "henan",
      type: TASK_STEP,
      conversation: sealTask,
      // Past any number the conversation used, so that only what is being tested can refuse it.
      sequence: 1_000,
      sentAt: new Date().toISOString(),
      body: {
        seq: 5,
        action: "RETURN",
        actorCourt: ANHUI,
        actorOfficer: "forger",
        reason: "退回",
        at: new Date().toISOString(),
        results: null,
        documents: [],
      },
      ...overrides,
    });
    const post = async (envelope: unknown) => {
      const response = await fetch(`${henanHub.hub.url}/peer-messages`, { method: "POST", body: JSON.stringify(envelope) });
      return { status: response.status, body: await response.json() };
    };
    const refusal = (id: string) =>
      henanHub.hub.db.sql.query<{ actor_org: string; detail: { code: string; reason: string } }>(
        `SELECT actor_org, detail FROM audit_event WHERE action = 'PEER_MESSAGE_REFUSED' AND subject_id = $1`,
        [id],
      );
    const unchanged = async () => {
      const task = await taskOn(henanHub, henan, sealTask);
      expect(task.status).toBe("COMPLETED");
      expect(task.steps).toHaveLength(4);
    };

    it("a step with a bad signature", async () => {
      const forged = step({});
      const reply = await post(signEnvelope(forged, sm2PrivateKey(generateSm2KeyPair().privateKeyPem)));
      expect(reply).toEqual({ status: 401, body: { error: { code: "BAD_SIGNATURE", message: expect.any(String) } } });
      expect(await refusal(forged.id)).toEqual([{ actor_org: "hub:anhui", detail: expect.objectContaining({ code: "BAD_SIGNATURE" }) }]);
      await unchanged();
    });

    it("a step signed by the Anhui hub for a court it does not serve", async () => {
      const message = step({ body: { ...(step({}).body as object), actorCourt: HUBEI } });
      const reply = await post(signEnvelope(message, sm2PrivateKey(hubs.anhuiKeys.privateKeyPem)));
      expect(reply).toEqual({
        status: 422,
        body: { error: { code: "REJECTED", message: expect.stringContaining(`court ${HUBEI} is served by hub hubei, not anhui`) } },
      });
      expect((await refusal(message.id))[0].detail.code).toBe("REJECTED");
      await unchanged();
    });

    it("a step the lifecycle does not allow, checked for the court the message says acted", async () => {
      const message = step({});
      const reply = await post(signEnvelope(message, sm2PrivateKey(hubs.anhuiKeys.privateKeyPem)));
      expect(reply.status).toBe(422);
      expect(reply.body.error.message).toContain("a COMPLETED task cannot be returned");
      expect((await refusal(message.id))[0].detail).toMatchObject({ code: "REJECTED", conversation: sealTask });
      await unchanged();
    });
  });
});
