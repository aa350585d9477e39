/**
 * A sandbox partner agency that receives the lists by push (civil aviation, railway, …): one
 * HTTP server through the shared agency machinery, so the same knobs make it go down, time
 * out (apply a batch but never answer) or answer 503, and come back.
 * `POST {base}/sanctions/batches` takes a signed batch; `GET {base}/sanctions/state` shows
 * what the partner holds.
 */
import { jsonReply, startAgencyServer, type Agency, type AgencyReply, type RunningAgency, type SandboxKnobs } from "../agencyServer.js";
import { SanctionReceiver, type PartnerTrust } from "./sanctionReceiver.js";

export const BATCH_PATH = "/sanctions/batches";

export class PartnerAgency implements Agency {
  readonly routes;

  constructor(readonly receiver: SanctionReceiver) {
    this.routes = [
      {
        method: "POST" as const,
        path: BATCH_PATH,
        handle: (request: Parameters<SanctionReceiver["receive"]>[0]) => receiver.receive(request),
      },
      {
        method: "GET" as const,
        path: "/sanctions/state",
        handle: () => jsonReply(200, { entries: receiver.state(), violations: receiver.violations }),
      },
    ];
  }

  errorReply(status: number, message: string): AgencyReply {
    return jsonReply(status, { error: message });
  }

  reset(): void {
    this.receiver.reset();
  }
}

export interface RunningPartner extends RunningAgency<string> {
  receiver: SanctionReceiver;
  /** Where the hub POSTs batches (the national channel). */
  endpoint: string;
}

export async function startPartner(
  code: string,
  trust: PartnerTrust,
  options: { knobs?: Partial<SandboxKnobs>; host?: string } = {},
): Promise<RunningPartner> {
  const receiver = new SanctionReceiver(code, trust);
  const running = await startAgencyServer(code, () => new PartnerAgency(receiver), {
    knobs: { latencyMs: 5, jitterMs: 5, ...options.knobs },
    host: options.host,
  });
  return { ...running, receiver, endpoint: `${running.url}/national${BATCH_PATH}` };
}
