/**
 * Deadlines of delegated tasks (Henan High Court supervision opinion, item 21: 事项委托 is part of the command centre's daily
 * inspection), with the hub's clock injected and moved, never slept on: supervisors of either court
 * list the tasks due soon and overdue; a reminder goes to both courts before each deadline and a
 * notice once it has passed, each once; accepting a task starts its completion deadline. Deadlines
 * per kind are configurable (QUERY here), the others are the documented defaults.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditTrail, refusalOf, registerCase, type RegisteredCase } from "../../support/measures.js";
import {
  ACCEPT,
  ANHUI,
  DELEGATE,
  HENAN,
  HUBEI,
  RECEIVE,
  TASKS_DUE,
  subscribeTasks,
  untilTasksLive,
  type TaskStream,
  sealTerms,
} from "../../support/delegation.js";
import { todayInChina } from "../../../domain/calendarDate.js";
import { residentId } from "../../support/identities.js";
import { eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const HOUR = 3_600_000;
const started = Date.now();
let now = new Date(started);
const at = (hours: number) => (now = new Date(started + hours * HOUR));

let t: TestHub;
let henan: string;
let anhui: string;
let c: RegisteredCase;
let henanStream: TaskStream;
let anhuiStream: TaskStream;
const ids = { seal: "", query: "", hubeiQuery: "" };

beforeAll(async () => {
  t = await startTestHub({
    clock: () => now,
    delegation: { deadlines: { QUERY: { acceptWithinDays: 2, completeWithinDays: 5, source: "this test" } }, reminderLeadHours: 12 },
  });
  henan = await t.token(HENAN);
  anhui = await t.token(ANHUI);
  c = await registerCase(t, henan, { debtor: residentId(), claimAmount: "300000" });
  henanStream = subscribeTasks(t.ws(henan));
  anhuiStream = subscribeTasks(t.ws(anhui));
  await untilTasksLive(t, henan, [henanStream, anhuiStream], { caseNumber: c.caseNumber, debtorIdNumber: c.debtor });
  const delegate = async (kind: string, targetCourt: string) => {
    const result = await t.gql(
      DELEGATE,
      {
        input: {
          caseNumber: c.caseNumber,
          debtorIdNumber: c.debtor,
          kind,
          instructions: `${kind} 事项`,
          targetCourt,
          ...(kind === "SEAL" && { control: sealTerms(todayInChina(now)) }),
        },
      },
      henan,
    );
    expect(result.errors).toBeUndefined();
    return result.data.delegateTask.id as string;
  };
  ids.seal = await delegate("SEAL", ANHUI);
  ids.query = await delegate("QUERY", ANHUI);
  ids.hubeiQuery = await delegate("QUERY", HUBEI);
});

afterAll(async () => {
  await t?.close();
});

const due = async (token: string, withinHours: number) => {
  const result = await t.gql(TASKS_DUE, { withinHours }, token);
  expect(result.errors).toBeUndefined();
  return result.data.delegatedTasksDue.map((task: any) => [task.id, task.deadline.deadline, task.deadline.overdue]);
};
const alerts = (stream: TaskStream) => stream.events.filter((e) => e.action === "ALERT").map((e) => [e.taskId, e.deadline, e.alert]);

describe("supervisors see what is due soon and what is overdue", () => {
  it(
    "lists a court's open tasks by their running deadline, soonest " + "first: a seal must be accepted in a day, this hub's queries in two",
    async () => {
      const henanSupervisor = await t.token(HENAN, ["SUPERVISOR"]);
      expect(await due(henanSupervisor, 6)).toEqual([]);
      expect(await due(henanSupervisor, 30)).toEqual([[ids.seal, "ACCEPTANCE", false]]);
      expect((await due(henanSupervisor, 48)).map((row: unknown[]) => row[0])).toEqual([ids.seal, ...[ids.query, ids.hubeiQuery].sort()]);
      const [seal] = (await t.gql(TASKS_DUE, { withinHours: 30 }, henanSupervisor)).data.delegatedTasksDue;
      expect(new Date(seal.deadline.dueAt).getTime()).toBe(started + 24 * HOUR);
    },
  );

  it("the target court's supervisor sees the tasks sent to it, not those sent to another court", async () => {
    const anhuiSupervisor = await t.token(ANHUI, ["SUPERVISOR"]);
    expect((await due(anhuiSupervisor, 48)).map((row: unknown[]) => row[0])).toEqual([ids.seal, ids.query]);
  });

  it("is for supervisors", async () => {
    expect(refusalOf(await t.gql(TASKS_DUE, { withinHours: 48 }, henan))).toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("reminders and overdue notices, with the clock moved", () => {
  it("nothing is announced while every deadline is more than the lead time away", async () => {
    expect(await t.hub.delegationWatch.runOnce()).toBe(0);
  });

  it("reminds both courts once, 12 hours before the seal's acceptance deadline", async () => {
    at(13);
    expect(await t.hub.delegationWatch.runOnce()).toBe(1);
    expect(await t.hub.delegationWatch.runOnce()).toBe(0);
    for (const stream of [henanStream, anhuiStream]) {
      await eventually(
        async () => alerts(stream),
        (seen) => seen.length === 1,
      );
      expect(alerts(stream)).toEqual([[ids.seal, "ACCEPTANCE", "REMINDER"]]);
    }
  });

  it("says once that the seal is overdue, and supervisors see it overdue", async () => {
    at(25);
    expect(await t.hub.delegationWatch.runOnce()).toBe(1);
    expect(await t.hub.delegationWatch.runOnce()).toBe(0);
    await eventually(
      async () => alerts(anhuiStream),
      (seen) => seen.length === 2,
    );
    expect(alerts(anhuiStream)[1]).toEqual([ids.seal, "ACCEPTANCE", "OVERDUE"]);
    expect(await due(await t.token(ANHUI, ["SUPERVISOR"]), 0)).toEqual([[ids.seal, "ACCEPTANCE", true]]);
  });

  it("accepting starts the completion deadline, with its own reminder; tasks never accepted become overdue", async () => {
    await t.gql(RECEIVE, { taskId: ids.seal }, anhui);
    expect((await t.gql(ACCEPT, { taskId: ids.seal }, anhui)).data.acceptDelegatedTask.status).toBe("ACCEPTED");
    expect(await due(await t.token(ANHUI, ["SUPERVISOR"]), 0)).toEqual([]);
    at(25 + 72 - 11);
    expect(await t.hub.delegationWatch.runOnce()).toBe(3);
    await eventually(
      async () => alerts(henanStream),
      (seen) => seen.length === 5,
    );
    expect(alerts(henanStream).slice(2).sort()).toEqual(
      [
        [ids.seal, "COMPLETION", "REMINDER"],
        [ids.query, "ACCEPTANCE", "OVERDUE"],
        [ids.hubeiQuery, "ACCEPTANCE", "OVERDUE"],
      ].sort(),
    );
    // The Anhui court hears about its own tasks only.
    await eventually(
      async () => alerts(anhuiStream),
      (seen) => seen.length === 4,
    );
    expect(alerts(anhuiStream).map(([id]) => id)).not.toContain(ids.hubeiQuery);
  });

  it("every alert is in the case's audit trail, recorded by the hub", async () => {
    await t.hub.sealAudit();
    const rows = (await auditTrail(t, henan, c.caseNumber)).filter(
      (r) => r.action === "DELEGATED_TASK_REMINDER" || r.action === "DELEGATED_TASK_OVERDUE",
    );
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.actorOrg === "HUB")).toBe(true);
    expect(rows[0]).toMatchObject({
      action: "DELEGATED_TASK_REMINDER",
      subjectId: ids.seal,
      detail: { deadline: "ACCEPTANCE", kind: "SEAL" },
    });
  });
});
