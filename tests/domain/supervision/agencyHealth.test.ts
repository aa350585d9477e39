import { describe, expect, it } from "vitest";
import { agencyHealth, BANK_SERVICE_LEVEL_HOURS, serviceLevelMs } from "../../../domain/supervision/agencyHealth.js";

const quiet = {
  answered: 0,
  refused: 0,
  failed: 0,
  timedOut: 0,
  retrying: 0,
  overdue: 0,
  p95AnswerMs: null,
  lastAnswerAt: null,
  oldestRetryingAt: null,
};

describe("an agency's service level", () => {
  it("is 24 hours for banks (法〔2018〕64号, SPC–CBIRC notice on network enforcement inquiry)", () => {
    expect(BANK_SERVICE_LEVEL_HOURS).toBe(24);
    expect(serviceLevelMs("BANK", 600_000)).toBe(24 * 3_600_000);
  });

  it("is the configured deadline for other agencies", () => {
    expect(serviceLevelMs("VEHICLE_REGISTRY", 600_000)).toBe(600_000);
  });
});

describe("an agency's health over a window (Henan High Court supervision opinion, item 21: 每日巡检)", () => {
  it("is OK with nothing sent", () => {
    expect(agencyHealth(quiet, 60_000)).toBe("OK");
  });

  it("is FAILING from the first failed round of an agency that answers nothing", () => {
    expect(agencyHealth({ ...quiet, retrying: 1, oldestRetryingAt: 1_000 }, 60_000)).toBe("FAILING");
  });

  it("is FAILING when it stopped answering, however many answers came before", () => {
    const before = { ...quiet, answered: 50, retrying: 1, lastAnswerAt: 1_000 };
    expect(agencyHealth({ ...before, oldestRetryingAt: 2_000 }, 60_000)).toBe("FAILING");
    // Answers arrived after the retrying request was made: the agency answers, one request had bad luck.
    expect(agencyHealth({ ...before, oldestRetryingAt: 500 }, 60_000)).toBe("OK");
  });

  it("is FAILING when failures and time-outs are as many as the answers", () => {
    expect(agencyHealth({ ...quiet, answered: 2, failed: 1, timedOut: 1 }, 60_000)).toBe("FAILING");
    expect(agencyHealth({ ...quiet, answered: 3, failed: 1, timedOut: 1 }, 60_000)).toBe("OK");
  });

  it("counts a refusal as an answer, not a failure of the link", () => {
    expect(agencyHealth({ ...quiet, refused: 2, failed: 1 }, 60_000)).toBe("OK");
  });

  it("is SLOW when requests wait past the service level or the slowest answers exceed it", () => {
    expect(agencyHealth({ ...quiet, answered: 5, overdue: 1 }, 60_000)).toBe("SLOW");
    expect(agencyHealth({ ...quiet, answered: 5, p95AnswerMs: 61_000 }, 60_000)).toBe("SLOW");
    expect(agencyHealth({ ...quiet, answered: 5, p95AnswerMs: 59_000 }, 60_000)).toBe("OK");
  });
});
