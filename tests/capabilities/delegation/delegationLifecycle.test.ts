/**
 * Delegated tasks (事项委托) through GraphQL on a real hub: a Henan court delegates work on its case to
 * the court where the asset is (Henan High Court supervision opinion, item 18), the target court receives, accepts and completes it,
 * and both courts see every step as it happens; results of a query join the case's assets. Every
 * illegal step is refused with a typed error and leaves nothing behind.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { auditTrail, refusalOf, registerCase, type RegisteredCase } from "../../support/measures.js";
import {
  ACCEPT,
  ANHUI,
  COMPLETE,
  DELEGATE,
  HENAN,
  HUBEI,
  RECEIVE,
  REJECT,
  RETURN,
  TASK,
  TASKS,
  WITHDRAW,
  base64,
  completionWithFlat,
  sealTerms,
  subscribeTasks,
  untilTasksLive,
  type TaskStream,
} from "../../support/delegation.js";
import { residentId } from "../../support/identities.js";
import { todayInChina } from "../../../domain/calendarDate.js";
import { startTestHub, eventually, type TestHub } from "../../support/testHub.js";

let t: TestHub;
let henan: string;
let anhui: string;
let hubei: string;
let c: RegisteredCase;
let henanStream: TaskStream;
let anhuiStream: TaskStream;
let hubeiStream: TaskStream;

const MAX_DOCUMENT_BYTES = 64 * 1024;
const letter = "委托函：请查询被执行人在合肥市蜀山区名下的不动产。";

beforeAll(async () => {
  t = await startTestHub({ delegation: { maxDocumentBytes: MAX_DOCUMENT_BYTES } });
  henan = await t.token(HENAN);
  anhui = await t.token(ANHUI);
  hubei = await t.token(HUBEI);
  c = await registerCase(t, henan, { debtor: residentId(), claimAmount: "500000" });
  henanStream = subscribeTasks(t.ws(henan));
  anhuiStream = subscribeTasks(t.ws(anhui));
  hubeiStream = subscribeTasks(t.ws(hubei));
  const probeCase = { caseNumber: c.caseNumber, debtorIdNumber: c.debtor };
  await untilTasksLive(t, henan, [henanStream, anhuiStream], probeCase);
  // The third court's stream is live too (it hears tasks delegated to it), so hearing nothing below means something.
  await untilTasksLive(t, henan, [hubeiStream], probeCase, HUBEI);
});

afterAll(async () => {
  await t?.close();
});

async function delegate(overrides: Record<string, unknown> = {}, token = henan) {
  return t.gql(
    DELEGATE,
    {
      input: {
        caseNumber: c.caseNumber,
        debtorIdNumber: c.debtor,
        kind: "QUERY",
        instructions: "查询被执行人名下不动产",
        divisionCode: "340104",
        ...overrides,
      },
    },
    token,
  );
}

async function counts() {
  const [row] = await t.hub.db.sql.query<{ tasks: number; steps: number; documents: number; assets: number; audit: number }>(
    `SELECT (SELECT count(*)::int FROM delegated_task) AS tasks, (SELECT count(*)::int FROM delegated_task_step) AS steps,
            (SELECT count(*)::int FROM delegated_task_document) AS documents, (SELECT count(*)::int FROM asset) AS assets,
            (SELECT count(*)::int FROM audit_event) AS audit`,
  );
  return row;
}

describe("a task from delegation to completion", () => {
  let taskId: string;

  it("delegates to the court resolved from the division code, with its documents digested (SM3)", async () => {
    const result = await delegate({ documents: [{ name: "委托函.txt", contentBase64: base64(letter) }] });
    expect(result.errors).toBeUndefined();
    const task = result.data.delegateTask;
    taskId = task.id;
    expect(task).toMatchObject({
      status: "SENT",
      kind: "QUERY",
      caseNumber: c.caseNumber,
      debtorIdNumber: c.debtor,
      divisionCode: "340104",
      peerHub: null,
      delegatingCourt: { code: HENAN, name: "兰考县人民法院", hub: "henan" },
      targetCourt: { code: ANHUI, name: "合肥市蜀山区人民法院", level: "BASIC", province: "34", hub: "anhui", divisions: ["340104"] },
      deadline: { deadline: "ACCEPTANCE", overdue: false },
      steps: [{ seq: 1, action: "DELEGATE", status: "SENT", actorCourt: HENAN }],
    });
    const bytes = Buffer.from(letter, "utf8");
    expect(task.documents).toEqual([
      expect.objectContaining({
        stepSeq: 1,
        sentBy: HENAN,
        name: "委托函.txt",
        size: bytes.length,
        sm3: createHash("sm3").update(bytes).digest("hex"),
      }),
    ]);
  });

  it("the target court finds it among its incoming tasks and reads the documents", async () => {
    const incoming = await t.gql(TASKS, { direction: "INCOMING" }, anhui);
    expect(incoming.data.delegatedTasks.edges.map((e: any) => e.node.id)).toContain(taskId);
    const task = await t.gql(TASK, { id: taskId }, anhui);
    expect(Buffer.from(task.data.delegatedTask.documents[0].contentBase64, "base64").toString("utf8")).toBe(letter);
  });

  it("refuses completing before accepting, and the delegating court doing the target's steps", async () => {
    const before = await counts();
    const early = refusalOf(await t.gql(COMPLETE, { input: { taskId, results: { summary: "查无" } } }, anhui));
    expect(early).toMatchObject({ code: "DELEGATION_TRANSITION_NOT_ALLOWED", action: "COMPLETE", status: "SENT" });
    expect(refusalOf(await t.gql(RECEIVE, { taskId }, henan))).toMatchObject({ code: "DELEGATION_WRONG_PARTY", requiredParty: "TARGET" });
    expect(await counts()).toEqual(before);
  });

  it("refuses a third court acting on the task, or reading it", async () => {
    const before = await counts();
    expect(refusalOf(await t.gql(RECEIVE, { taskId }, hubei))).toMatchObject({ code: "DELEGATION_NOT_A_PARTY", actorCourt: HUBEI });
    expect(refusalOf(await t.gql(WITHDRAW, { taskId }, hubei))).toMatchObject({ code: "DELEGATION_NOT_A_PARTY" });
    expect(refusalOf(await t.gql(TASK, { id: taskId }, hubei))).toMatchObject({ code: "FORBIDDEN" });
    expect(await counts()).toEqual(before);
  });

  it("the target court receives and accepts; withdrawing after acceptance is refused", async () => {
    expect((await t.gql(RECEIVE, { taskId }, anhui)).data.receiveDelegatedTask.status).toBe("RECEIVED");
    expect((await t.gql(ACCEPT, { taskId }, anhui)).data.acceptDelegatedTask.status).toBe("ACCEPTED");
    const before = await counts();
    expect(refusalOf(await t.gql(WITHDRAW, { taskId, reason: "已自行查询" }, henan))).toMatchObject({
      code: "DELEGATION_TRANSITION_NOT_ALLOWED",
      action: "WITHDRAW",
      status: "ACCEPTED",
    });
    expect(await counts()).toEqual(before);
  });

  it("completes with results: the flat found joins the Henan case's assets as a typed asset", async () => {
    const result = await t.gql(COMPLETE, completionWithFlat(taskId), anhui);
    expect(result.errors).toBeUndefined();
    const task = result.data.completeDelegatedTask;
    expect(task.status).toBe("COMPLETED");
    expect(task.deadline).toBeNull();
    expect(task.results.summary).toBe("经查，被执行人名下有不动产一处");
    expect(task.results.assets).toEqual([
      expect.objectContaining({
        __typename: "RealEstateAsset",
        identifier: "皖(2022)合肥市不动产权第0123456号",
        estimatedValue: "1200000.00",
        foundBy: taskId,
      }),
    ]);
    expect(task.steps.map((s: any) => [s.action, s.status, s.actorCourt])).toEqual([
      ["DELEGATE", "SENT", HENAN],
      ["RECEIVE", "RECEIVED", ANHUI],
      ["ACCEPT", "ACCEPTED", ANHUI],
      ["COMPLETE", "COMPLETED", ANHUI],
    ]);
    expect(task.documents.map((d: any) => [d.stepSeq, d.sentBy, d.name])).toEqual([
      [1, HENAN, "委托函.txt"],
      [4, ANHUI, "查询回执.txt"],
    ]);

    const assets = await t.gql(
      `query Assets($caseNumber: String!) { case(caseNumber: $caseNumber) { assets { __typename identifier foundBy ... on
        RealEstateAsset { address } } } }`,
      { caseNumber: c.caseNumber },
      henan,
    );
    const outgoing = await t.gql(
      TASKS,
      { direction: "OUTGOING", status: "COMPLETED", caseNumber: c.caseNumber.replace("（", "(").replace("）", ")") },
      henan,
    );
    expect(outgoing.data.delegatedTasks.edges.map((e: any) => e.node.id)).toEqual([taskId]);
    expect(assets.data.case.assets).toContainEqual({
      __typename: "RealEstateAsset",
      identifier: "皖(2022)合肥市不动产权第0123456号",
      foundBy: taskId,
      address: "安徽省合肥市蜀山区长江西路100号3栋1201室",
    });
  });

  it("both courts heard every step as it happened, and the third court heard none", async () => {
    const steps = (stream: TaskStream) => stream.events.filter((e) => e.taskId === taskId).map((e) => [e.seq, e.action, e.status]);
    const expected = [
      [1, "DELEGATE", "SENT"],
      [2, "RECEIVE", "RECEIVED"],
      [3, "ACCEPT", "ACCEPTED"],
      [4, "COMPLETE", "COMPLETED"],
    ];
    await eventually(
      async () => [steps(henanStream), steps(anhuiStream)],
      ([h, a]) => h.length === 4 && a.length === 4,
    );
    expect(steps(henanStream)).toEqual(expected);
    expect(steps(anhuiStream)).toEqual(expected);
    expect(hubeiStream.events.filter((e) => e.taskId === taskId)).toEqual([]);
    expect(hubeiStream.events.every((e) => e.targetCourt === HUBEI || e.delegatingCourt === HUBEI)).toBe(true);
    expect(henanStream.errors).toEqual([]);
  });

  it("every step is in the case's audit trail, with who acted", async () => {
    await t.hub.sealAudit();
    const rows = (await auditTrail(t, henan, c.caseNumber)).filter((r) => r.action.startsWith("DELEGATED_TASK_") && r.subjectId === taskId);
    expect(rows.map((r) => [r.action, r.actorOrg])).toEqual([
      ["DELEGATED_TASK_SENT", HENAN],
      ["DELEGATED_TASK_RECEIVED", ANHUI],
      ["DELEGATED_TASK_ACCEPTED", ANHUI],
      ["DELEGATED_TASK_COMPLETED", ANHUI],
    ]);
    expect(rows[0].detail.documents[0]).toMatchObject({ name: "委托函.txt" });
    expect(rows[3].detail.results).toEqual({ summary: "经查，被执行人名下有不动产一处", assets: ["皖(2022)合肥市不动产权第0123456号"] });
  });
});

describe("other endings", () => {
  it("the delegating court withdraws before acceptance", async () => {
    const id = (await delegate({ kind: "SERVE_DOCUMENTS", instructions: "送达执行通知书", targetCourt: ANHUI, divisionCode: null })).data
      .delegateTask.id;
    expect((await t.gql(RECEIVE, { taskId: id }, anhui)).data.receiveDelegatedTask.status).toBe("RECEIVED");
    expect((await t.gql(WITHDRAW, { taskId: id, reason: "被执行人已到庭" }, henan)).data.withdrawDelegatedTask.status).toBe("WITHDRAWN");
    expect(refusalOf(await t.gql(ACCEPT, { taskId: id }, anhui))).toMatchObject({
      code: "DELEGATION_TRANSITION_NOT_ALLOWED",
      status: "WITHDRAWN",
    });
  });

  it("the target court returns a task with reasons, or rejects one; never without reasons", async () => {
    const returned = (await delegate({ kind: "SEAL", instructions: "查封不动产", control: sealTerms(todayInChina(new Date())) })).data
      .delegateTask.id;
    await t.gql(RECEIVE, { taskId: returned }, anhui);
    expect(refusalOf(await t.gql(RETURN, { taskId: returned, reason: " " }, anhui))).toMatchObject({ code: "DELEGATION_REASON_REQUIRED" });
    const back = await t.gql(RETURN, { taskId: returned, reason: "缺少查封裁定书" }, anhui);
    expect(back.data.returnDelegatedTask).toMatchObject({
      status: "RETURNED",
      steps: [{ action: "DELEGATE" }, { action: "RECEIVE" }, { action: "RETURN", reason: "缺少查封裁定书" }],
    });

    const rejected = (await delegate({ kind: "INVESTIGATE", instructions: "调查被执行人居住情况" })).data.delegateTask.id;
    expect((await t.gql(REJECT, { taskId: rejected, reason: "被执行人住所不在本院辖区" }, anhui)).data.rejectDelegatedTask.status).toBe(
      "REJECTED",
    );
  });

  it("only a QUERY or INVESTIGATE reports assets", async () => {
    const id = (await delegate({ kind: "SEAL", instructions: "查封不动产", control: sealTerms(todayInChina(new Date())) })).data
      .delegateTask.id;
    await t.gql(RECEIVE, { taskId: id }, anhui);
    await t.gql(ACCEPT, { taskId: id }, anhui);
    const before = await counts();
    const refusal = refusalOf(
      await t.gql(
        COMPLETE,
        {
          input: {
            taskId: id,
            results: {
              summary: "已查封",
              assets: [{ agency: "PROPERTY_REGISTRY", identifier: "x", description: "x", other: { category: "x", holder: "x" } }],
            },
          },
        },
        anhui,
      ),
    );
    expect(refusal).toMatchObject({ code: "BAD_USER_INPUT", field: "results.assets" });
    expect(await counts()).toEqual(before);
  });
});

describe("refused delegations leave nothing behind", () => {
  it("only the court owning the case delegates", async () => {
    const before = await counts();
    expect(refusalOf(await delegate({}, anhui))).toMatchObject({ code: "FORBIDDEN" });
    const supervisor = await t.token(HENAN, ["SUPERVISOR"]);
    expect(refusalOf(await delegate({}, supervisor))).toMatchObject({ code: "FORBIDDEN" });
    const commandCentre = await t.token("豫", ["SUPERVISOR", "CASE_OFFICER"]);
    expect(refusalOf(await delegate({}, commandCentre))).toMatchObject({ code: "FORBIDDEN", reason: "NOT_THE_CASE_COURT" });
    expect(await counts()).toEqual(before);
  });

  it("the target must be a court of the directory, or a place it can resolve; not the court itself", async () => {
    const before = await counts();
    expect(refusalOf(await delegate({ divisionCode: null, targetCourt: "粤0305" }))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "targetCourt",
    });
    expect(refusalOf(await delegate({ divisionCode: "440305" }))).toMatchObject({ code: "NO_COURT_FOR_DIVISION", field: "divisionCode" });
    expect(refusalOf(await delegate({ divisionCode: "34010" }))).toMatchObject({ code: "INVALID_DIVISION_CODE" });
    expect(refusalOf(await delegate({ divisionCode: null }))).toMatchObject({ code: "BAD_USER_INPUT", field: "targetCourt" });
    expect(refusalOf(await delegate({ divisionCode: "410225" }))).toMatchObject({ code: "BAD_USER_INPUT", field: "targetCourt" });
    expect(refusalOf(await delegate({ debtorIdNumber: residentId() }))).toMatchObject({ code: "DEBTOR_NOT_A_PARTY" });
    expect(await counts()).toEqual(before);
  });

  it("a document over the size limit, or not base64, refuses the whole delegation", async () => {
    const before = await counts();
    const big = Buffer.alloc(MAX_DOCUMENT_BYTES + 1, 1).toString("base64");
    expect(
      refusalOf(
        await delegate({
          documents: [
            { name: "ok.txt", contentBase64: base64("ok") },
            { name: "big.pdf", contentBase64: big },
          ],
        }),
      ),
    ).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "documents[1].contentBase64",
    });
    expect(refusalOf(await delegate({ documents: [{ name: "bad.pdf", contentBase64: "不是base64" }] }))).toMatchObject({
      code: "BAD_USER_INPUT",
    });
    expect(await counts()).toEqual(before);
  });
});
