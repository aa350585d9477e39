/**
 * A hub that serves one province (HUB_ID) marks a task for a court of another province's hub with that
 * hub (peerHub, from the directory's `hub` field), on the task and on every event about it, for the
 * peering outbox to carry; a task for a court of its own province stays local.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerCase, type RegisteredCase } from "./support/measures.js";
import { ANHUI, DELEGATE, HENAN, WITHDRAW, subscribeTasks, untilTasksLive, type TaskStream } from "./support/delegation.js";
import { residentId } from "./support/identities.js";
import { eventually, startTestHub, type TestHub } from "./support/testHub.js";

let t: TestHub;
let henan: string;
let c: RegisteredCase;
let stream: TaskStream;

beforeAll(async () => {
  t = await startTestHub({ delegation: { hubId: "henan" } });
  henan = await t.token(HENAN);
  c = await registerCase(t, henan, { debtor: residentId(), claimAmount: "100000" });
  stream = subscribeTasks(t.ws(henan));
  await untilTasksLive(t, henan, [stream], { caseNumber: c.caseNumber, debtorIdNumber: c.debtor });
});

afterAll(async () => {
  await t?.close();
});

const delegate = async (targetCourt: string) => {
  const result = await t.gql(DELEGATE, { input: { caseNumber: c.caseNumber, debtorIdNumber: c.debtor, kind: "SEAL", instructions: "查封", targetCourt } }, henan);
  expect(result.errors).toBeUndefined();
  return result.data.delegateTask;
};

describe("tasks for courts of another hub", () => {
  it("are marked with the hub serving the target court, on the task and its events", async () => {
    const task = await delegate(ANHUI);
    expect(task).toMatchObject({ peerHub: "anhui", targetCourt: { code: ANHUI, hub: "anhui" } });
    expect((await t.gql(WITHDRAW, { taskId: task.id }, henan)).data.withdrawDelegatedTask.status).toBe("WITHDRAWN");
    await eventually(async () => stream.events.filter((e) => e.taskId === task.id), (events) => events.length === 2);
    expect(stream.events.filter((e) => e.taskId === task.id).map((e) => [e.action, e.peerHub])).toEqual([
      ["DELEGATE", "anhui"],
      ["WITHDRAW", "anhui"],
    ]);
  });

  it("a task for a court of this hub's province is not", async () => {
    const task = await delegate("豫0102");
    expect(task).toMatchObject({ peerHub: null, targetCourt: { code: "豫0102", name: "郑州市中原区人民法院", hub: "henan" } });
  });
});
