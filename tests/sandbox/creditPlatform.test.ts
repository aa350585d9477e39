import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { debtorProfile } from "../../sandbox/debtorProfile.js";
import { startSandbox, type Sandbox } from "../../sandbox/index.js";
import { fastKnobs, findId, withWrongCheck } from "./fixtures.js";

let sandbox: Sandbox;
let base: string;
beforeAll(async () => {
  sandbox = await startSandbox({ knobs: fastKnobs() });
  base = `${sandbox.agencies.CREDIT_PLATFORM.url}/national`;
});
afterAll(() => sandbox.close());

async function sanctions(idNumber: string, key: string, caseNumber = "（2024）豫0225执123号") {
  const query = new URLSearchParams({ requestId: key, case: caseNumber });
  const response = await fetch(`${base}/credit/v2/subjects/${encodeURIComponent(idNumber)}/sanctions?${query}`, {
    headers: { "idempotency-key": key },
  });
  return { status: response.status, body: await response.json() };
}

describe("credit platform (synchronous JSON, GET)", () => {
  it("lists the sanctions in force on a debtor", async () => {
    const id = findId((p) => p.sanctions.length >= 2);
    const reply = await sanctions(id, "credit-happy");
    expect(reply).toEqual({ status: 200, body: { code: 0, data: { subject: id, sanctions: debtorProfile(id).sanctions } } });
    for (const sanction of reply.body.data.sanctions) {
      expect(["DISHONEST_DEBTOR", "CONSUMPTION_RESTRICTION", "TAX_BLACKLIST"]).toContain(sanction.listType);
      expect(sanction.since).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it("lists nothing for most debtors, organisations included", async () => {
    const id = findId((p) => p.sanctions.length === 0, { kind: "ORGANISATION" });
    expect((await sanctions(id, "credit-clean")).body).toEqual({ code: 0, data: { subject: id, sanctions: [] } });
  });

  it("refuses with code 4001 a wrong check digit or a missing case number", async () => {
    expect((await sanctions(withWrongCheck(findId(() => true)), "credit-bad-id")).body).toEqual({ code: 4001, msg: expect.any(String) });
    expect(
      (
        await sanctions(
          findId(() => true),
          "credit-no-case",
          "",
        )
      ).body.code,
    ).toBe(4001);
  });

  it("answers 400 when the key is missing or differs from requestId", async () => {
    const response = await fetch(`${base}/credit/v2/subjects/${findId(() => true)}/sanctions?requestId=a&case=x`, {
      headers: { "idempotency-key": "b" },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: 4000, msg: expect.any(String) });
  });

  it("replays the original answer for a repeated key", async () => {
    const agency = sandbox.agencies.CREDIT_PLATFORM;
    agency.reset();
    const id = findId((p) => p.sanctions.length > 0);
    const first = await sanctions(id, "credit-replay");
    const second = await sanctions(id, "credit-replay");
    expect(second).toEqual(first);
    expect(agency.stats).toMatchObject({ submissions: 2, executions: 1, duplicateSubmissions: 1 });
  });
});
