/**
 * Two hubs for delegated tasks (事项委托) across hubs, each with its own database: Henan's, where 兰考
 * (HENAN) has a case, and Anhui's, serving 合肥蜀山 (ANHUI). Each reaches the other through a TCP proxy
 * that a test cuts and restores, accepts the delegation message types from the other, and each court
 * follows its tasks on its own hub's delegatedTaskUpdates, live before the tests start.
 */
import { TASK_MESSAGE_TYPES } from "../../capabilities/delegation/taskMessages.js";
import type { PeerConfig } from "../../capabilities/peering/peerRegistry.js";
import { generateSm2KeyPair, type Sm2KeyPairPem } from "../../gateway/signing/sm2Keys.js";
import { ANHUI, DELEGATE, HENAN, TASK, WITHDRAW, subscribeTasks, untilTasksLive, type TaskStream } from "./delegation.js";
import { residentId } from "./identities.js";
import { registerCase, type RegisteredCase } from "./measures.js";
import { startTcpProxy, type TcpProxy } from "./tcpProxy.js";
import { eventually, startTestHub, type TestHub } from "./testHub.js";

export interface DelegationHubs {
  henanHub: TestHub;
  anhuiHub: TestHub;
  henanKeys: Sm2KeyPairPem;
  anhuiKeys: Sm2KeyPairPem;
  /** Henan's link to Anhui, and Anhui's to Henan. */
  toAnhui: TcpProxy;
  toHenan: TcpProxy;
  /** Tokens of an officer of each court, on its own hub. */
  henan: string;
  anhui: string;
  /** A case of the Henan court, with one debtor. */
  c: RegisteredCase;
  henanStream: TaskStream;
  anhuiStream: TaskStream;
  close(): Promise<void>;
}

/** A hub with one peer, from which it accepts every delegation message type unless `peer.accepts` says fewer. */
export function startDelegationHub(
  hubId: string,
  keys: Sm2KeyPairPem,
  peer: Omit<PeerConfig, "accepts"> & { accepts?: string[] },
): Promise<TestHub> {
  return startTestHub({
    hubId,
    peering: {
      privateKeyPem: keys.privateKeyPem,
      peers: [{ ...peer, accepts: peer.accepts ?? [...TASK_MESSAGE_TYPES] }],
      // Durable retries every 100 ms: the tests wait for the link, not for the backoff.
      delivery: { sweepIntervalMs: 100, requestTimeoutMs: 2_000, quickRetries: 0, retryDelayMs: () => 100 },
    },
  });
}

export async function startDelegationHubs(): Promise<DelegationHubs> {
  const henanKeys = generateSm2KeyPair();
  const anhuiKeys = generateSm2KeyPair();
  const [toAnhui, toHenan] = await Promise.all([startTcpProxy(), startTcpProxy()]);
  const henanHub = await startDelegationHub("henan", henanKeys, {
    hubId: "anhui",
    baseUrl: toAnhui.url,
    publicKeyPem: anhuiKeys.publicKeyPem,
    provinces: ["34"],
  });
  const anhuiHub = await startDelegationHub("anhui", anhuiKeys, {
    hubId: "henan",
    baseUrl: toHenan.url,
    publicKeyPem: henanKeys.publicKeyPem,
    provinces: ["41"],
  });
  toAnhui.target = { host: "127.0.0.1", port: anhuiHub.hub.port };
  toHenan.target = { host: "127.0.0.1", port: henanHub.hub.port };
  const henan = await henanHub.token(HENAN);
  const anhui = await anhuiHub.token(ANHUI);
  const c = await registerCase(henanHub, henan, { debtor: residentId(), claimAmount: "500000" });
  const henanStream = subscribeTasks(henanHub.ws(henan));
  const anhuiStream = subscribeTasks(anhuiHub.ws(anhui));
  await untilTasksLive(henanHub, henan, [henanStream], { caseNumber: c.caseNumber, debtorIdNumber: c.debtor });
  // Anhui's stream is live once it hears a probe that came over the link (withdrawn there, on Henan's request).
  for (let attempt = 0; ; attempt++) {
    const probe = await henanHub.gql(
      DELEGATE,
      { input: { caseNumber: c.caseNumber, debtorIdNumber: c.debtor, kind: "QUERY", instructions: `探测 ${attempt}`, targetCourt: ANHUI } },
      henan,
    );
    const id = probe.data.delegateTask.id;
    await henanHub.gql(WITHDRAW, { taskId: id }, henan);
    try {
      await eventually(
        async () => anhuiStream.events.some((e) => e.taskId === id && e.action === "WITHDRAW"),
        (heard) => heard,
        10_000,
      );
      break;
    } catch (error) {
      if (attempt === 5) throw error;
    }
  }
  return {
    henanHub,
    anhuiHub,
    henanKeys,
    anhuiKeys,
    toAnhui,
    toHenan,
    henan,
    anhui,
    c,
    henanStream,
    anhuiStream,
    async close() {
      await Promise.all([henanHub.close(), anhuiHub.close()]);
      await Promise.all([toAnhui.close(), toHenan.close()]);
    },
  };
}

export const taskOn = async (t: TestHub, token: string, id: string) => (await t.gql(TASK, { id }, token)).data?.delegatedTask;
export const statusOn = (t: TestHub, token: string, id: string, status: string) =>
  eventually(
    () => taskOn(t, token, id),
    (task) => task?.status === status,
    30_000,
  );
/** The steps and other changes a court's stream heard of one task: [seq, action, status]. */
export const heard = (stream: TaskStream, id: string) =>
  stream.events.filter((e) => e.taskId === id).map((e) => [e.seq, e.action, e.status]);

/** What both hubs must hold alike. */
export const shared = (task: any) => ({
  status: task.status,
  caseNumber: task.caseNumber,
  debtorIdNumber: task.debtorIdNumber,
  kind: task.kind,
  instructions: task.instructions,
  sentAt: task.sentAt,
  acceptedAt: task.acceptedAt,
  finishedAt: task.finishedAt,
  summary: task.results?.summary ?? null,
  steps: task.steps,
  documents: task.documents.map((d: any) => [d.stepSeq, d.sentBy, d.name, d.size, d.sm3, d.contentBase64]),
  withdrawalRequest: task.withdrawalRequest,
});
