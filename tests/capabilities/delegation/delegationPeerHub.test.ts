/**
 * A hub that serves one province (HUB_ID) marks a task for a court of another province's hub with that
 * hub (peerHub, from the directory's `hub` field), on the task and on every event about it, and hands
 * it to peering (here to a peer that is not running: the messages wait in the outbox); a task for a
 * court of its own province stays local, and one for a court of a hub that is not a peer is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TASK_DELEGATED, TASK_MESSAGE_TYPES, TASK_WITHDRAWAL_REQUEST } from "../../../capabilities/delegation/taskMessages.js";
import { generateSm2KeyPair } from "../../../gateway/signing/sm2Keys.js";
import { registerCase, type RegisteredCase } from "../../support/measures.js";
import {
  ANHUI,
  DELEGATE,
  HENAN,
  HUBEI,
  WITHDRAW,
  sealTerms,
  subscribeTasks,
  untilTasksLive,
  type TaskStream,
} from "../../support/delegation.js";
import { todayInChina } from "../../../domain/calendarDate.js";
import { residentId } from "../../support/identities.js";
import { eventually, startTestHub, type TestHub } from "../../support/testHub.js";

let t: TestHub;
let henan: string;
let c: RegisteredCase;
let stream: TaskStream;

beforeAll(async () => {
  const anhui = {
    hubId: "anhui",
    baseUrl: "http://127.0.0.1:9",
    publicKeyPem: generateSm2KeyPair().publicKeyPem,
    provinces: ["34"],
    accepts: [...TASK_MESSAGE_TYPES],
  };
  t = await startTestHub({ hubId: "henan", peering: { privateKeyPem: generateSm2KeyPair().privateKeyPem, peers: [anhui] } });
  henan = await t.token(HENAN);
  c = await registerCase(t, henan, { debtor: residentId(), claimAmount: "100000" });
  stream = subscribeTasks(t.ws(henan));
  await untilTasksLive(t, henan, [stream], { caseNumber: c.caseNumber, debtorIdNumber: c.debtor });
});

afterAll(async () => {
  await t?.close();
});

const delegate = async (targetCourt: string) => {
  const result = await t.gql(
    DELEGATE,
    {
      input: {
        caseNumber: c.caseNumber,
        debtorIdNumber: c.debtor,
        kind: "SEAL",
        instructions: "查封",
        targetCourt,
        control: sealTerms(todayInChina(new Date())),
      },
    },
    henan,
  );
  expect(result.errors).toBeUndefined();
  return result.data.delegateTask;
};

describe("tasks for courts of another hub", () => {
  it("are marked with the hub serving the target court, on the task and its events", async () => {
    const task = await delegate(ANHUI);
    expect(task).toMatchObject({ peerHub: "anhui", targetCourt: { code: ANHUI, hub: "anhui" } });
    // The target court's hub decides the withdrawal (domain/delegation/stepOrdering.ts): until it answers, the task is as it was.
    const withdrawn = await t.gql(WITHDRAW, { taskId: task.id, reason: "已自行履行" }, henan);
    expect(withdrawn.errors).toBeUndefined();
    expect(withdrawn.data.withdrawDelegatedTask.status).toBe("SENT");
    await eventually(
      async () => stream.events.filter((e) => e.taskId === task.id),
      (events) => events.length === 2,
    );
    expect(stream.events.filter((e) => e.taskId === task.id).map((e) => [e.action, e.status, e.peerHub, e.reason])).toEqual([
      ["DELEGATE", "SENT", "anhui", null],
      ["WITHDRAWAL_REQUESTED", "SENT", "anhui", "已自行履行"],
    ]);
    const queued = await t.hub.db.sql.query<{ type: string; sequence: number }>(
      `SELECT type, sequence FROM peer_outbox WHERE conversation = $1 ORDER BY sequence`,
      [task.id],
    );
    expect(queued).toEqual([
      { type: TASK_DELEGATED, sequence: 1 },
      { type: TASK_WITHDRAWAL_REQUEST, sequence: 2 },
    ]);
  });

  it("a task for a court of this hub's province is not", async () => {
    const task = await delegate("豫0102");
    expect(task).toMatchObject({ peerHub: null, targetCourt: { code: "豫0102", name: "郑州市中原区人民法院", hub: "henan" } });
  });

  it("each step of a task for a peer's court waits in the outbox for that peer, in order", async () => {
    const task = await delegate(ANHUI);
    const queued = await t.hub.db.sql.query<{ to_hub: string; type: string; sequence: number }>(
      `SELECT to_hub, type, sequence FROM peer_outbox WHERE conversation = $1 ORDER BY sequence`,
      [task.id],
    );
    expect(queued).toEqual([{ to_hub: "anhui", type: TASK_DELEGATED, sequence: 1 }]);
  });

  it("a task for a court whose hub is not a peer of this one is refused, with nothing written", async () => {
    const [before] = await t.hub.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM delegated_task`);
    const result = await t.gql(
      DELEGATE,
      {
        input: {
          caseNumber: c.caseNumber,
          debtorIdNumber: c.debtor,
          kind: "SEAL",
          instructions: "查封",
          targetCourt: HUBEI,
          control: sealTerms(todayInChina(new Date())),
        },
      },
      henan,
    );
    expect(result.errors?.[0].extensions).toMatchObject({ code: "NO_ROUTE", peerHub: "hubei" });
    expect(await t.hub.db.sql.query(`SELECT count(*)::int AS n FROM delegated_task`)).toEqual([before]);
  });
});
