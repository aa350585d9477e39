import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../../../gateway/dispatch/retryDelay.js";

describe("durable retry backoff", () => {
  it("doubles per attempt from one second, with jitter in the upper half", () => {
    expect(retryDelayMs(1, () => 0)).toBe(500);
    expect(retryDelayMs(1, () => 1)).toBe(1000);
    expect(retryDelayMs(3, () => 0)).toBe(2000);
    expect(retryDelayMs(3, () => 1)).toBe(4000);
  });

  it("never waits more than five minutes, however many attempts failed", () => {
    expect(retryDelayMs(40, () => 1)).toBe(300_000);
  });
});
