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

  /**
   * The messages of `seqs`, in that order, minimised to `profile`, with their JSON; the changes not held are read
   * with `read` (and held from then on, in place of the least recently used).
   */
  async messages(
    seqs: readonly string[],
    profile: readonly PublishedField[],
    read: (missing: string[]) => Promise<ChangeRow[]>,
  ): Promise<{ message: ChangeMessage; json: string }[]> {
    const found = new Map<string, Cached>();
    const missing: string[] = [];
    for (const seq of seqs) {
      const cached = this.changes.get(seq);
      if (cached) {
        found.set(seq, cached);
        this.changes.delete(seq);
        this.changes.set(seq, cached);
      } else missing.push(seq);
    }
    if (missing.length > 0) {
      for (const row of await read(missing)) {
        const cached = { row, messages: new Map() };
        found.set(row.seq, cached);
        this.changes.set(row.seq, cached);
        if (this.changes.size > this.size) this.changes.delete(this.changes.keys().next().value!);
      }
    }
    const key = profile.join(",");
    return seqs.map((seq) => {
      const cached = found.get(seq);
      if (!cached) throw new Error(`change ${seq} is not in the log`);
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
