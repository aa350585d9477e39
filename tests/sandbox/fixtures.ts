/** Valid debtor IDs, a quiet, fast sandbox, and a stand-in for the hub's callback endpoint, for the sandbox tests. */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { AgencyKind } from "../../connectors/connector.js";
import { AGENCY_KINDS } from "../../connectors/connector.js";
import type { SandboxKnobs } from "../../sandbox/agencyServer.js";
import { debtorProfile, type DebtorProfile } from "../../sandbox/debtorProfile.js";
import { completeCreditCode, completeResidentId } from "../../sandbox/idNumbers.js";

const DAY_MS = 86_400_000;

/** No latency, short processing: the tests exercise behaviour, not timing. */
export function fastKnobs(overrides: Partial<SandboxKnobs> = {}): Record<AgencyKind, Partial<SandboxKnobs>> {
  const knobs = { latencyMs: 0, jitterMs: 0, processingMs: 100, ...overrides };
  return Object.fromEntries(AGENCY_KINDS.map((kind) => [kind, knobs])) as Record<AgencyKind, Partial<SandboxKnobs>>;
}

/** The index-th resident ID of a division (Lankao by default), with a valid check digit. */
export function personId(index: number, division = "410225"): string {
  const birth = new Date(Date.UTC(1960, 0, 1) + index * DAY_MS).toISOString().slice(0, 10).replaceAll("-", "");
  return completeResidentId(`${division}${birth}${String(index % 1000).padStart(3, "0")}`);
}

/** The index-th unified social credit code of a division, with a valid check character. */
export function organisationId(index: number, division = "410225"): string {
  return completeCreditCode(`91${division}${String(index).padStart(9, "0")}`);
}

/** The first person (or organisation) of the division whose profile satisfies `predicate`. */
export function findId(
  predicate: (profile: DebtorProfile) => boolean,
  options: { kind?: "PERSON" | "ORGANISATION"; division?: string } = {},
): string {
  const make = options.kind === "ORGANISATION" ? organisationId : personId;
  for (let index = 1; index < 5000; index++) {
    const id = make(index, options.division);
    if (predicate(debtorProfile(id))) return id;
  }
  throw new Error("no debtor in the first 5000 satisfies the predicate");
}

/** The ID with its last (check) character changed. */
export function withWrongCheck(id: string): string {
  return id.slice(0, 17) + (id[17] === "1" ? "2" : "1");
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A stand-in for the hub's callback endpoints that can be told to fail its first answers. */
export class CallbackReceiver {
  readonly received: { headers: Record<string, string | undefined>; body: string }[] = [];
  failuresLeft = 0;
  private server!: Server;
  private origin = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        this.received.push({ headers: flatHeaders(req.headers), body: Buffer.concat(chunks).toString("utf8") });
        res.statusCode = this.failuresLeft-- > 0 ? 503 : 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The address the hub gives agencies: <hub>/agency-callbacks/<AGENCY>/<topic>. */
  urlFor(kind: string, topic = "measures"): string {
    return `${this.origin}/agency-callbacks/${kind}/${topic}`;
  }

  clear(): void {
    this.received.length = 0;
    this.failuresLeft = 0;
  }

  async waitFor(count: number, timeoutMs = 4000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline) throw new Error(`only ${this.received.length} of ${count} callbacks arrived`);
      await sleep(10);
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(",") : value]));
}
