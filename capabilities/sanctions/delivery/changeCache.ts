/**
 * The changes push delivery sent lately, opened once and serialised once per data profile, shared by every push
 * partner of this instance. Partners read the same stretch of the log at about the same time, so without it each
 * change was read from the database, opened (SM4-GCM: its ID number and published fields) and turned into JSON
 * once per partner; with it, once in all, and a batch's body is its changes' JSON joined. Bounded: the oldest
 * changes leave first, and a partner far behind the others reads its own from the database.
 */
import type { PublishedField } from "../../../domain/sanctions/publishedFields.js";
import { toMessage, type ChangeMessage, type ChangeRow } from "./changeMessage.js";

/** About 50 MB at the benchmark's change size: a few batches of every partner of a national deployment. */
export const CHANGE_CACHE_SIZE = 100_000;

interface Cached {
  row: ChangeRow;
  /** By data profile (its fields joined): the message and its JSON. */
  messages: Map<string, { message: ChangeMessage; json: string }>;
}

export class ChangeCache {
  private readonly changes = new Map<string, Cached>();

  constructor(private readonly size = CHANGE_CACHE_SIZE) {}

  /** Of `seqs`, those not held: to be read from the log and `add`ed. */
  missing(seqs: readonly string[]): string[] {
    return seqs.filter((seq) => !this.changes.has(seq));
  }

  add(rows: readonly ChangeRow[]): void {
    for (const row of rows) {
      if (this.changes.has(row.seq)) continue;
      this.changes.set(row.seq, { row, messages: new Map() });
      if (this.changes.size > this.size) this.changes.delete(this.changes.keys().next().value!);
    }
  }

  /**
   * The messages of `seqs` (each held: call `missing` and `add` first, in the same turn) minimised to `profile`,
   * with their JSON.
   */
  messages(seqs: readonly string[], profile: readonly PublishedField[]): { message: ChangeMessage; json: string }[] {
    const key = profile.join(",");
    return seqs.map((seq) => {
      const cached = this.changes.get(seq);
      if (!cached) throw new Error(`change ${seq} is not in the cache`);
      let entry = cached.messages.get(key);
      if (!entry) {
        const message = toMessage(cached.row, profile);
        entry = { message, json: JSON.stringify(message) };
        cached.messages.set(key, entry);
      }
      return entry;
    });
  }
}
