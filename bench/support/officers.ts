/**
 * The load of the throughput benchmarks: a closed loop of case officers, each with a case of its own and an
 * `inquiryUpdates` subscription for it, posting requestInquiry (national channel, five agencies), waiting until the
 * subscription reports the inquiry complete (openParts 0), and asking again at once. With several hub instances,
 * officer i uses instance i mod n for everything, as courts spread over a load balancer would.
 */
import { CompletionWatcher, REGISTER_CASE, REQUEST_INQUIRY, nextCaseNumber, nextResidentId, type HubClient } from "./benchHub.js";
import { sleep } from "./stats.js";

export interface Officers {
  /** Inquiry round trips (ms) completed while `measuring` was true. */
  latencies: number[];
  measuring: boolean;
  /** Officers' requests that failed (GraphQL errors, timeouts). */
  errors: number;
  stop(): Promise<void>;
}

export async function startOfficers(hubs: Pick<HubClient, "gql" | "ws">[], concurrency: number, log: (line: string) => void) {
  const subscriptions = hubs.map((hub) => hub.ws());
  const officers = await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      const hub = hubs[i % hubs.length];
      const caseNumber = nextCaseNumber();
      const idNumber = nextResidentId();
      await hub.gql(REGISTER_CASE, {
        input: { caseNumber, creditorName: "开封农商银行", claimAmount: "100000", debtors: [{ kind: "PERSON", idNumber, name: "赵六" }] },
      });
      return { hub, caseNumber, idNumber, watcher: new CompletionWatcher(subscriptions[i % hubs.length], caseNumber) };
    }),
  );
  await Promise.all(officers.map((o) => o.watcher.ready));
  await sleep(1000);

  let running = true;
  const state: Officers = {
    latencies: [],
    measuring: false,
    errors: 0,
    async stop() {
      running = false;
      await Promise.all(loops);
      for (const officer of officers) officer.watcher.close();
    },
  };
  const loops = officers.map(async ({ hub, caseNumber, idNumber, watcher }) => {
    const input = { caseNumber, debtorIdNumber: idNumber, channel: "NATIONAL", purpose: "基准测试：吞吐量" };
    while (running) {
      const t0 = performance.now();
      try {
        const data = await hub.gql<{ requestInquiry: { id: string } }>(REQUEST_INQUIRY, { input });
        const t1 = await watcher.completion(data.requestInquiry.id, 60_000);
        if (state.measuring) state.latencies.push(t1 - t0);
      } catch (error) {
        state.errors++;
        if (state.errors <= 3) log(`  officer error: ${error instanceof Error ? error.message : String(error)}`);
        await sleep(100);
      }
    }
  });
  return state;
}
