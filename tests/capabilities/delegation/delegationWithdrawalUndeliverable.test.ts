/**
 * A withdrawal the target court's hub refuses to take at all: Anhui's hub here predates withdrawal requests
 * (its peers file lets Henan send tasks and steps only), so it refuses DELEGATED_TASK_WITHDRAWAL_REQUEST for
 * good. No answer will ever come; the Henan hub must not leave its court waiting on one, nor lose the
 * request: it is recorded as refused with Anhui's reason, the court hears it, and may withdraw again.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  TASK_DELEGATED,
  TASK_STEP,
  TASK_WITHDRAWAL_REFUSED,
  TASK_WITHDRAWAL_REQUEST,
} from "../../../capabilities/delegation/taskMessages.js";
import { generateSm2KeyPair } from "../../../gateway/signing/sm2Keys.js";
import { ANHUI, DELEGATE, HENAN, WITHDRAW, subscribeTasks, untilTasksLive, type TaskStream } from "../../support/delegation.js";
import { startDelegationHub, statusOn, taskOn } from "../../support/delegationHubs.js";
import { residentId } from "../../support/identities.js";
import { registerCase, type RegisteredCase } from "../../support/measures.js";
import { outboxOf } from "../../support/peerHubs.js";
import { startTcpProxy, type TcpProxy } from "../../support/tcpProxy.js";
import { eventually, type TestHub } from "../../support/testHub.js";

let henanHub: TestHub;
let anhuiHub: TestHub;
let proxies: TcpProxy[];
let henan: string;
let anhui: string;
let c: RegisteredCase;
let stream: TaskStream;

beforeAll(async () => {
  const henanKeys = generateSm2KeyPair();
  const anhuiKeys = generateSm2KeyPair();
  const [toAnhui, toHenan] = (proxies = await Promise.all([startTcpProxy(), startTcpProxy()]));
  henanHub = await startDelegationHub("henan", henanKeys, {
    hubId: "anhui",
    baseUrl: toAnhui.url,
    publicKeyPem: anhuiKeys.publicKeyPem,
    provinces: ["34"],
  });
  anhuiHub = await startDelegationHub("anhui", anhuiKeys, {
    hubId: "henan",
    baseUrl: toHenan.url,
    publicKeyPem: henanKeys.publicKeyPem,
    provinces: ["41"],
    accepts: [TASK_DELEGATED, TASK_STEP, TASK_WITHDRAWAL_REFUSED],
  });
  toAnhui.target = { host: "127.0.0.1", port: anhuiHub.hub.port };
  toHenan.target = { host: "127.0.0.1", port: henanHub.hub.port };
  henan = await henanHub.token(HENAN);
  anhui = await anhuiHub.token(ANHUI);
  c = await registerCase(henanHub, henan, { debtor: residentId(), claimAmount: "300000" });
  stream = subscribeTasks(henanHub.ws(henan));
  await untilTasksLive(henanHub, henan, [stream], { caseNumber: c.caseNumber, debtorIdNumber: c.debtor });
}, 240_000);

afterAll(async () => {
  await Promise.all([henanHub?.close(), anhuiHub?.close()]);
  await Promise.all((proxies ?? []).map((proxy) => proxy.close()));
});

it("a withdrawal request the target court's hub refuses for good is answered as refused, with that " +
  "hub's reason, and can be made again", async () => {
  const delegated = await henanHub.gql(
    DELEGATE,
    { input: { caseNumber: c.caseNumber, debtorIdNumber: c.debtor, kind: "QUERY", instructions: "查询存款", targetCourt: ANHUI } },
    henan,
  );
  expect(delegated.errors).toBeUndefined();
  const id: string = delegated.data.delegateTask.id;
  await statusOn(anhuiHub, anhui, id, "SENT");

  const withdrawn = await henanHub.gql(WITHDRAW, { taskId: id, reason: "已和解" }, henan);
  expect(withdrawn.errors).toBeUndefined();
  const refused = await eventually(
    () => taskOn(henanHub, henan, id),
    (task) => task?.withdrawalRequest?.status === "REFUSED",
    30_000,
  );
  expect(refused.status).toBe("SENT");
  expect(refused.withdrawalRequest).toMatchObject({ reason: "已和解", requestedBy: `${HENAN}-officer` });
  expect(refused.withdrawalRequest.refusal).toMatch(/^hub anhui refused the withdrawal request: .*TYPE_NOT_ALLOWED/);

  // The court heard the request and its answer, in that order.
  await eventually(
    async () => stream.events.filter((e) => e.taskId === id).map((e) => e.action),
    (actions) => actions.includes("WITHDRAWAL_REFUSED"),
  );
  expect(stream.events.filter((e) => e.taskId === id).map((e) => [e.action, e.status])).toEqual([
    ["DELEGATE", "SENT"],
    ["WITHDRAWAL_REQUESTED", "SENT"],
    ["WITHDRAWAL_REFUSED", "SENT"],
  ]);
  const outbox = await outboxOf(henanHub, id);
  expect(outbox.map((row) => [row.type, row.status])).toEqual([
    [TASK_DELEGATED, "DELIVERED"],
    [TASK_WITHDRAWAL_REQUEST, "FAILED"],
  ]);
  // The refusal is on the sealed trail with the peer's reason, as a refusal from Anhui's hub would be.
  const [audit] = await henanHub.hub.db.sql.query<{ detail: Record<string, unknown> }>(
    `SELECT detail FROM audit_event WHERE subject_id = $1 AND action = 'DELEGATED_TASK_WITHDRAWAL_REFUSED'`,
    [id],
  );
  expect(audit.detail).toMatchObject({ code: "PEER_MESSAGE_REFUSED", peerHub: "anhui", requestedBy: HENAN });

  // Nothing waits any more: the court may ask again (and is refused again, the same way), and Anhui's copy never changed.
  expect((await henanHub.gql(WITHDRAW, { taskId: id, reason: "再次撤回" }, henan)).errors).toBeUndefined();
  await eventually(
    () => taskOn(henanHub, henan, id),
    (task) => task?.withdrawalRequest?.status === "REFUSED" && task.withdrawalRequest.reason === "再次撤回",
    30_000,
  );
  expect(await taskOn(anhuiHub, anhui, id)).toMatchObject({ status: "SENT", withdrawalRequest: null });
}, 120_000);
