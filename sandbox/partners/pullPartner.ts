/**
 * A sandbox partner that pulls: it reads the hub's snapshot once, then polls the GraphQL feed
 * by cursor, applies each change through its receiver (debtorSeq rules as for push) and
 * acknowledges up to the last change applied. `down` stops it polling, as an outage would.
 */
import type { ChangeMessage } from "../../capabilities/sanctions/delivery/changeMessage.js";
import { SanctionReceiver } from "./sanctionReceiver.js";

const CHANGE = `changes { seq entryId list idNumber debtorSeq operation status fields } endCursor hasMore`;

export class PullPartner {
  readonly receiver: SanctionReceiver;
  down = false;
  private cursor: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  errors = 0;

  constructor(
    code: string,
    private readonly graphqlUrl: string,
    private readonly token: string,
    private readonly intervalMs = 100,
  ) {
    this.receiver = new SanctionReceiver(code, {});
  }

  /** Snapshot first, then follow the feed. */
  async start(): Promise<void> {
    let after: string | undefined;
    let followFrom: string | undefined;
    for (;;) {
      const page = (
        await this.gql(`query($after: String) { sanctionSnapshot(after: $after, first: 500) { ${CHANGE} followFrom } }`, { after })
      ).sanctionSnapshot;
      followFrom = page.followFrom;
      for (const change of page.changes as ChangeMessage[]) this.receiver.apply(change);
      if (!page.hasMore) break;
      after = page.endCursor;
    }
    this.cursor = followFrom;
    this.timer = setInterval(() => {
      if (this.down || this.polling) return;
      this.polling = this.pollOnce()
        .catch(() => void this.errors++)
        .finally(() => (this.polling = undefined));
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  private async pollOnce(): Promise<void> {
    for (;;) {
      const page = (
        await this.gql(`query($after: String) { sanctionFeed(after: $after, first: 500) { ${CHANGE} } }`, { after: this.cursor })
      ).sanctionFeed;
      for (const change of page.changes as ChangeMessage[]) this.receiver.apply(change);
      if (page.endCursor) {
        await this.gql(`mutation($upTo: String!) { acknowledgeSanctionFeed(upTo: $upTo) }`, { upTo: page.endCursor });
        this.cursor = page.endCursor;
      }
      if (!page.hasMore || this.down) return;
    }
  }

  private async gql(query: string, variables: Record<string, unknown>): Promise<any> {
    const response = await fetch(this.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ query, variables }),
    });
    const result = (await response.json()) as { data?: any; errors?: unknown[] };
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data;
  }
}
