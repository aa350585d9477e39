/**
 * The changes push delivery shares between partners: each read and opened once, a batch's messages in the order
 * asked for even when reading the missing ones pushes out the oldest held (a batch may mix both).
 */
import { describe, expect, it } from "vitest";
import { ChangeCache } from "../../../../capabilities/sanctions/delivery/changeCache.js";
import type { ChangeRow } from "../../../../capabilities/sanctions/delivery/changeMessage.js";
import { sealRecord, type ChangeRecord } from "../../../../capabilities/sanctions/sanctionStore.js";

const row = (seq: number): ChangeRow => ({
  seq: String(seq),
  debtor_seq: 1,
  operation: "LIST",
  record: sealRecord({
    entryId: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
    list: "DISHONEST_DEBTOR",
    idNumber: `41022519800101${String(seq).padStart(4, "0")}`,
    status: "LISTED",
    fields: { name: `被执行人${seq}`, expiresOn: "2027-01-01" },
  }) as unknown as ChangeRecord,
});

describe("ChangeCache", () => {
  it("reads each change once for every partner, and keeps a batch whole when reading evicts what it holds", async () => {
    const cache = new ChangeCache(3);
    const reads: string[][] = [];
    const read = async (missing: string[]) => {
      reads.push(missing);
      return missing.map((seq) => row(Number(seq)));
    };
    const first = await cache.messages(["1", "2", "3"], ["name"], read);
    expect(first.map((entry) => entry.message.idNumber)).toEqual(["410225198001010001", "410225198001010002", "410225198001010003"]);
    expect(JSON.parse(first[0].json)).toEqual(first[0].message);
    expect(first[0].message.fields).toEqual({ name: "被执行人1" });
    await cache.messages(["1", "2", "3"], ["name", "expiresOn"], read);
    expect(reads).toEqual([["1", "2", "3"]]);
    // 1 is held, 4 to 6 are not: reading them pushes 1 out of the cache (it holds 3), yet the batch keeps it.
    const mixed = await cache.messages(["1", "4", "5", "6"], ["name"], read);
    expect(mixed.map((entry) => entry.message.seq)).toEqual(["1", "4", "5", "6"]);
    expect(reads.at(-1)).toEqual(["4", "5", "6"]);
    await cache.messages(["1"], ["name"], read);
    expect(reads.at(-1)).toEqual(["1"]);
  });
});
