import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { debtorProfile } from "../../sandbox/debtorProfile.js";
import { startSandbox, type Sandbox } from "../../sandbox/index.js";
import { fastKnobs, findId, sleep, withWrongCheck } from "./fixtures.js";

let sandbox: Sandbox;
let base: string;
beforeAll(async () => {
  sandbox = await startSandbox({ knobs: fastKnobs({ processingMs: 1000 }) });
  base = `${sandbox.agencies.VEHICLE_REGISTRY.url}/national`;
});
afterAll(() => sandbox.close());

async function submit(key: string, idNumber: string, idType = "RESIDENT_ID", root = base) {
  const response = await fetch(`${root}/api/queries`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify({ reqId: key, case: "（2024）豫0225执123号", court: "豫0225", owner: { idType, idNo: idNumber, name: "张伟" } }),
  });
  return { status: response.status, body: await response.json() };
}

async function poll(ticket: string, root = base) {
  const response = await fetch(`${root}/api/queries/${encodeURIComponent(ticket)}`);
  return { status: response.status, body: await response.json() };
}

async function pollUntilSettled(ticket: string, root = base) {
  for (;;) {
    const reply = await poll(ticket, root);
    if (reply.body.state !== "PROCESSING") return reply;
    await sleep(reply.body.retryAfterMs);
  }
}

describe("vehicle registry (ticket, poll)", () => {
  it("hands out a ticket, says PROCESSING, then DONE with the vehicles", async () => {
    const id = findId((p) => p.vehicles.length > 0);
    const accepted = await submit("veh-happy", id);
    expect(accepted.status).toBe(202);
    expect(accepted.body.ticket).toMatch(/^VQ-\d{8}-[0-9A-F]{12}$/);
    expect(accepted.body.retryAfterMs).toBe(1000);
    const early = await poll(accepted.body.ticket);
    expect(early).toMatchObject({ status: 200, body: { state: "PROCESSING" } });
    expect(early.body.retryAfterMs).toBeGreaterThan(0);
    const done = await pollUntilSettled(accepted.body.ticket);
    const vehicles = debtorProfile(id).vehicles;
    expect(done.body.state).toBe("DONE");
    expect(done.body.vehicles).toEqual(
      vehicles.map((v) => ({
        plate: v.plate,
        vin: v.vin,
        make: v.make,
        model: v.model,
        color: v.colour,
        firstRegistered: v.firstRegistered,
        valuation: v.valuation,
        restrictions: v.restrictions.map((r) => ({ kind: r.type, by: r.authority, ref: r.reference, since: r.since, rank: r.rank })),
      })),
    );
    expect(sandbox.agencies.VEHICLE_REGISTRY.stats.polls).toBeGreaterThanOrEqual(2);
  });

  it("serves company vehicles to a credit-code query and filters by division on a local channel", async () => {
    const id = findId((p) => p.vehicles.some((v) => !v.divisionCode.startsWith("4102")), { kind: "ORGANISATION" });
    const national = await pollUntilSettled((await submit("veh-org", id, "CREDIT_CODE")).body.ticket);
    expect(national.body.vehicles).toHaveLength(debtorProfile(id).vehicles.length);
    const localRoot = `${sandbox.agencies.VEHICLE_REGISTRY.url}/local/4102`;
    const local = await pollUntilSettled((await submit("veh-org-local", id, "CREDIT_CODE", localRoot)).body.ticket, localRoot);
    expect(local.body.vehicles.map((v: { vin: string }) => v.vin)).toEqual(
      debtorProfile(id)
        .vehicles.filter((v) => v.divisionCode.startsWith("4102"))
        .map((v) => v.vin),
    );
  });

  it("rejects through the ticket a wrong check digit or an ID type that does not fit", async () => {
    const id = findId(() => true);
    const badId = await pollUntilSettled((await submit("veh-bad-id", withWrongCheck(id))).body.ticket);
    expect(badId.body).toMatchObject({ state: "REJECTED", reason: expect.any(String) });
    const badType = await pollUntilSettled((await submit("veh-bad-type", id, "CREDIT_CODE")).body.ticket);
    expect(badType.body.state).toBe("REJECTED");
  });

  it("answers 404 for an unknown ticket and 400 for an unreadable request", async () => {
    expect((await poll("VQ-00000000-000000000000")).status).toBe(404);
    const response = await fetch(`${base}/api/queries`, { method: "POST", headers: { "idempotency-key": "veh-400" }, body: "[]" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ state: "REJECTED" });
  });

  it("returns the same ticket for a repeated key and executes once", async () => {
    const agency = sandbox.agencies.VEHICLE_REGISTRY;
    agency.reset();
    const id = findId((p) => p.vehicles.length > 0);
    const first = await submit("veh-replay", id);
    const second = await submit("veh-replay", id);
    expect(second).toEqual(first);
    expect(agency.stats).toMatchObject({ submissions: 2, executions: 1, duplicateSubmissions: 1 });
  });
});
