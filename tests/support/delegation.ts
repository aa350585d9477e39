/**
 * Shared pieces of the delegated-task (事项委托) integration tests: GraphQL documents, the courts of the
 * tests, and delegatedTaskUpdates streams that are known to be live before a test counts on them.
 */
import type { Client } from "graphql-ws";
import { expect } from "vitest";
import type { DelegatedTaskEvent } from "../../gateway/events/hubEvents.js";
import { collect, eventually, type Collected, type TestHub } from "./testHub.js";
import { lastDayOfPeriod } from "../../domain/measures/periodDates.js";
import { noticeNumber, panel } from "./measures.js";

export const TASK_FIELDS = `id caseNumber debtorIdNumber debtorName kind status instructions divisionCode peerHub delegatedBy sentAt
  receivedAt acceptedAt finishedAt
  delegatingCourt { code name level province hub } targetCourt { code name level province hub divisions }
  deadline { deadline dueAt overdue }
  results { summary assets { __typename id identifier description estimatedValue foundBy ... on RealEstateAsset { certificateNumber
    address } } }
  steps { seq action status actorCourt actorOfficer reason at }
  documents { id stepSeq sentBy name size sm3 }
  withdrawalRequest { status requestedAt requestedBy reason refusedAt refusal } renewsMeasureId`;

export const DELEGATE = `mutation Delegate($input: DelegateTaskInput!) { delegateTask(input: $input) { ${TASK_FIELDS} } }`;
export const RECEIVE = `mutation Receive($taskId: ID!) { receiveDelegatedTask(taskId: $taskId) { id status } }`;
export const ACCEPT = `mutation Accept($taskId: ID!) { acceptDelegatedTask(taskId: $taskId) { id status } }`;
export const COMPLETE = `mutation Complete($input: CompleteTaskInput!) { completeDelegatedTask(input: $input) { ${TASK_FIELDS} } }`;
export const RETURN = `mutation Return($taskId: ID!, $reason: String!) { returnDelegatedTask(taskId: $taskId, reason: $reason) { id
  status steps { action reason } } }`;
export const REJECT = `mutation Reject($taskId: ID!, $reason: String!) { rejectDelegatedTask(taskId: $taskId, reason: $reason) { id
  status steps { action reason } } }`;
export const WITHDRAW = `mutation Withdraw($taskId: ID!, $reason: String) { withdrawDelegatedTask(taskId: $taskId, reason: $reason)
  { id status } }`;
export const TASK = `query Task($id: ID!) { delegatedTask(id: $id) { ${TASK_FIELDS} documents { name contentBase64 } } }`;
export const TASKS = `query Tasks($direction: TaskDirection!, $status: DelegatedTaskStatus, $caseNumber: String) {
  delegatedTasks(direction: $direction, status: $status, caseNumber: $caseNumber, first: 100) { edges { node { id status kind
    targetCourt { code } delegatingCourt { code } } } } }`;
export const TASKS_DUE = `query Due($withinHours: Int!, $courtCode: String) {
  delegatedTasksDue(withinHours: $withinHours, courtCode: $courtCode) { id status kind deadline { deadline dueAt overdue } } }`;
export const TASK_UPDATES = `subscription Updates { delegatedTaskUpdates { taskId delegatingCourt targetCourt peerHub action status
  seq alert deadline dueAt reason } }`;

/** 兰考县人民法院 (Henan) delegates to 合肥市蜀山区人民法院 (Anhui); 武汉市江岸区人民法院 (Hubei) is a third court. */
export const HENAN = "豫0225";
export const ANHUI = "皖0104";
export const HUBEI = "鄂0102";

export type TaskStream = Collected<DelegatedTaskEvent>;

export function subscribeTasks(client: Client): TaskStream {
  return collect(client, TASK_UPDATES, "delegatedTaskUpdates");
}

/**
 * graphql-ws does not acknowledge a subscription, so before counting on events, delegate probe tasks to
 * `targetCourt` until every stream has heard one (then withdraw it, so it runs against no deadline).
 */
export async function untilTasksLive(
  t: TestHub,
  token: string,
  streams: TaskStream[],
  input: { caseNumber: string; debtorIdNumber: string },
  targetCourt = ANHUI,
): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const probe = await t.gql(DELEGATE, { input: { ...input, kind: "QUERY", instructions: `探测 ${attempt}`, targetCourt } }, token);
    expect(probe.errors).toBeUndefined();
    const id = probe.data.delegateTask.id;
    expect((await t.gql(WITHDRAW, { taskId: id }, token)).errors).toBeUndefined();
    try {
      await eventually(
        async () => streams.every((s) => s.events.some((e) => e.taskId === id)),
        (heard) => heard,
        1_500,
      );
      return;
    } catch {
      // Subscribed only after the probe: try again.
    }
  }
  throw new Error(`delegatedTaskUpdates never went live; errors: ${JSON.stringify(streams.map((s) => s.errors))}`);
}

export const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** A flat in Hefei, as the Anhui court reports it found. */
export const HEFEI_FLAT = { certificateNumber: "皖(2022)合肥市不动产权第0123456号", address: "安徽省合肥市蜀山区长江西路100号3栋1201室" };

/** completeDelegatedTask's input for a QUERY that found HEFEI_FLAT, with a receipt. */
export const completionWithFlat = (taskId: string) => ({
  input: {
    taskId,
    results: {
      summary: "经查，被执行人名下有不动产一处",
      assets: [
        {
          agency: "PROPERTY_REGISTRY",
          identifier: HEFEI_FLAT.certificateNumber,
          description: "合肥市蜀山区住宅 89.5㎡",
          estimatedValue: "1200000",
          realEstate: { ...HEFEI_FLAT, areaSquareMetres: 89.5, usage: "住宅", ownershipShare: "单独所有" },
        },
      ],
    },
    documents: [{ name: "查询回执.txt", contentBase64: base64("回执") }],
  },
});

let flatSerial = Math.floor(Math.random() * 1_000_000);

/**
 * The measure of a SEAL task, as an order would give it: a flat in Hefei the court identifies itself (a fresh one each
 * time, so one seal never meets another), sealed for a year from `today` on a panel decision of `today`.
 */
export function sealTerms(today: string, value = "10000") {
  flatSerial += 1;
  return {
    asset: { agency: "PROPERTY_REGISTRY", identifier: `皖(2024)合肥市不动产权第${flatSerial}号`, category: "REAL_ESTATE", value },
    startsOn: today,
    expiresOn: lastDayOfPeriod(today, 12),
    notice: { number: noticeNumber(), date: today },
    decision: panel(today),
  };
}

/** What the executing court reports the registry registered for the seal of `terms`. */
export const registration = (terms: ReturnType<typeof sealTerms>, registeredOn: string, registeredUntil?: string) => ({
  assetIdentifier: terms.asset.identifier,
  agencyReference: `合肥查封登记${flatSerial}`,
  registeredOn,
  ...(registeredUntil && { registeredUntil }),
});
