import { describe, expect, it } from "vitest";
import { StatementBatcher } from "../../../gateway/persistence/statementBatcher.js";

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A batcher whose statements are recorded, and finish only when the test lets them. */
function recordingBatcher(options: { maxInFlight?: number; maxBatch?: number; failWith?: (attempt: number) => unknown } = {}) {
  const statements: string[][] = [];
  const releases: (() => void)[] = [];
  let attempt = 0;
  const batcher = new StatementBatcher<{ id: string; value: string }, string>(
    async (items) => {
      statements.push(items.map((item) => `${item.id}=${item.value}`));
      const error = options.failWith?.(attempt++);
      if (error) throw error;
      await new Promise<void>((resolve) => releases.push(resolve));
      return items.map((item) => `done ${item.id}=${item.value}`);
    },
    { keysOf: (item) => [item.id], maxBatch: options.maxBatch ?? 100, maxInFlight: options.maxInFlight },
  );
  /** Lets the statements in flight finish, and the batcher send what waited for them. */
  const releaseAll = async () => {
    while (releases.length > 0) releases.shift()!();
    for (let i = 0; i < 3; i++) await turn();
  };
  return { batcher, statements, releaseAll };
}

describe("StatementBatcher (group commit for the hot path's writes)", () => {
  it("sends calls made in the same turn as one statement, and gives each caller its own result", async () => {
    const { batcher, statements, releaseAll } = recordingBatcher();
    const results = [batcher.add({ id: "a", value: "1" }), batcher.add({ id: "b", value: "2" })];
    await turn();
    expect(statements).toEqual([["a=1", "b=2"]]);
    await releaseAll();
    expect(await Promise.all(results)).toEqual(["done a=1", "done b=2"]);
  });

  it("gathers calls made while a statement is in flight into the next one", async () => {
    const { batcher, statements, releaseAll } = recordingBatcher();
    const first = batcher.add({ id: "a", value: "1" });
    await turn();
    const later = [batcher.add({ id: "b", value: "2" }), batcher.add({ id: "c", value: "3" })];
    await turn();
    expect(statements).toEqual([["a=1"]]);
    await releaseAll();
    expect(statements).toEqual([["a=1"], ["b=2", "c=3"]]);
    await releaseAll();
    expect(await Promise.all([first, ...later])).toEqual(["done a=1", "done b=2", "done c=3"]);
  });

  it("never puts two calls on the same row in one statement, and keeps their order", async () => {
    const { batcher, statements, releaseAll } = recordingBatcher();
    const results = [batcher.add({ id: "a", value: "1" }), batcher.add({ id: "b", value: "2" }), batcher.add({ id: "a", value: "3" })];
    await turn();
    await releaseAll();
    await releaseAll();
    expect(statements).toEqual([["a=1", "b=2"], ["a=3"]]);
    expect(await Promise.all(results)).toEqual(["done a=1", "done b=2", "done a=3"]);
  });

  it("bounds a statement's size", async () => {
    const { batcher, statements, releaseAll } = recordingBatcher({ maxBatch: 2 });
    const results = ["a", "b", "c"].map((id) => batcher.add({ id, value: "1" }));
    await turn();
    await releaseAll();
    await releaseAll();
    expect(statements).toEqual([["a=1", "b=1"], ["c=1"]]);
    await Promise.all(results);
  });

  it("with maxInFlight, sends the next statement without waiting for the one in flight", async () => {
    const { batcher, statements, releaseAll } = recordingBatcher({ maxInFlight: Infinity });
    const first = batcher.add({ id: "a", value: "1" });
    await turn();
    const second = batcher.add({ id: "b", value: "2" });
    await turn();
    expect(statements).toEqual([["a=1"], ["b=2"]]);
    await releaseAll();
    expect(await Promise.all([first, second])).toEqual(["done a=1", "done b=2"]);
  });

  it("sends a batch again when the database chose it as a deadlock victim (it changed nothing)", async () => {
    const deadlock = Object.assign(new Error("deadlock detected"), { code: "40P01" });
    const { batcher, statements, releaseAll } = recordingBatcher({ failWith: (attempt) => (attempt === 0 ? deadlock : undefined) });
    const result = batcher.add({ id: "a", value: "1" });
    await turn();
    await releaseAll();
    expect(await result).toBe("done a=1");
    expect(statements).toEqual([["a=1"], ["a=1"]]);
  });

  it("fails every call of a batch that failed otherwise, and goes on with the next", async () => {
    const broken = Object.assign(new Error("relation does not exist"), { code: "42P01" });
    const { batcher, statements, releaseAll } = recordingBatcher({ failWith: (attempt) => (attempt === 0 ? broken : undefined) });
    const failed = [batcher.add({ id: "a", value: "1" }), batcher.add({ id: "b", value: "2" })];
    await expect(Promise.all(failed)).rejects.toBe(broken);
    const next = batcher.add({ id: "c", value: "3" });
    await turn();
    await releaseAll();
    expect(await next).toBe("done c=3");
    expect(statements).toEqual([["a=1", "b=2"], ["c=3"]]);
  });
});
