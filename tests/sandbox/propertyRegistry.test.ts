import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { debtorProfile } from "../../sandbox/debtorProfile.js";
import { startSandbox, type Sandbox } from "../../sandbox/index.js";
import { fastKnobs, findId, organisationId, withWrongCheck } from "./fixtures.js";

let sandbox: Sandbox;
let root: string;
beforeAll(async () => {
  sandbox = await startSandbox({ knobs: fastKnobs() });
  root = sandbox.agencies.PROPERTY_REGISTRY.url;
});
afterAll(() => sandbox.close());

function inquiry(key: string, subject: { type: string; idNumber: string; name?: string }) {
  return {
    requestId: key,
    caseNumber: "（2024）豫0225执123号",
    court: "豫0225",
    subject: { name: "张伟", ...subject },
    purpose: "查询被执行人财产",
    officer: "李法官",
  };
}

async function post(base: string, key: string, body: unknown) {
  const response = await fetch(`${base}/v1/property-inquiries`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": key },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe("property registry (synchronous JSON)", () => {
  it("answers a national inquiry with the debtor's flats", async () => {
    const id = findId((p) => p.flats.length >= 2 && p.flats[0].encumbrances.some((e) => e.type === "MORTGAGE"));
    const reply = await post(`${root}/national`, "prop-happy", inquiry("prop-happy", { type: "PERSON", idNumber: id }));
    expect(reply.status).toBe(200);
    expect(reply.body.requestId).toBe("prop-happy");
    expect(reply.body.status).toBe("OK");
    const flats = debtorProfile(id).flats;
    expect(reply.body.records).toHaveLength(flats.length);
    expect(reply.body.records[0]).toEqual({
      certNo: flats[0].certificateNumber,
      location: flats[0].address,
      area: flats[0].areaSquareMetres,
      use: flats[0].usage,
      share: flats[0].share,
      appraisal: flats[0].appraisal,
      encumbrances: flats[0].encumbrances.map((e) => ({
        type: e.type,
        authority: e.authority,
        docNo: e.reference,
        since: e.since,
        rank: e.rank,
        ...(e.amount && { amount: e.amount }),
      })),
    });
    // A mortgage carries its secured claim, half the flat's worth in the sandbox, for over-seizure to net (overSeizure.ts).
    const mortgage = reply.body.records[0].encumbrances.find((e: { type: string }) => e.type === "MORTGAGE");
    expect(mortgage.amount).toBe(flats[0].encumbrances.find((e) => e.type === "MORTGAGE")!.amount);
    expect(Number(mortgage.amount)).toBeGreaterThan(0);
  });

  it("answers an empty record list for a debtor without flats", async () => {
    const id = findId((p) => p.flats.length === 0);
    const reply = await post(`${root}/national`, "prop-empty", inquiry("prop-empty", { type: "PERSON", idNumber: id }));
    expect(reply.body).toEqual({ requestId: "prop-empty", status: "OK", records: [] });
  });

  it("answers on a local channel only for flats in that division", async () => {
    const id = findId(
      (p) => p.flats.some((f) => f.divisionCode.startsWith("4102")) && p.flats.some((f) => !f.divisionCode.startsWith("4102")),
    );
    const reply = await post(`${root}/local/4102`, "prop-local", inquiry("prop-local", { type: "PERSON", idNumber: id }));
    const local = debtorProfile(id).flats.filter((f) => f.divisionCode.startsWith("4102"));
    expect(reply.body.records.map((r: { certNo: string }) => r.certNo)).toEqual(local.map((f) => f.certificateNumber));
  });

  it("answers organisations with commercial property", async () => {
    const id = findId((p) => p.flats.length > 0, { kind: "ORGANISATION" });
    const reply = await post(
      `${root}/national`,
      "prop-org",
      inquiry("prop-org", { type: "ORG", idNumber: id, name: "开封某某商贸有限公司" }),
    );
    expect(reply.body.records.every((r: { use: string }) => r.use === "商业")).toBe(true);
  });

  it("rejects a wrong check digit and a subject type that contradicts the ID", async () => {
    const id = findId(() => true);
    const bad = await post(`${root}/national`, "prop-bad-id", inquiry("prop-bad-id", { type: "PERSON", idNumber: withWrongCheck(id) }));
    expect(bad.status).toBe(200);
    expect(bad.body).toMatchObject({ requestId: "prop-bad-id", status: "REJECTED" });
    const mismatch = await post(
      `${root}/national`,
      "prop-mismatch",
      inquiry("prop-mismatch", { type: "PERSON", idNumber: organisationId(3) }),
    );
    expect(mismatch.body).toMatchObject({ status: "REJECTED" });
    // A type the registry does not know, even one every object inherits, declares no kind at all.
    for (const type of ["COMPANY", "toString"]) {
      const unknown = await post(`${root}/national`, `prop-type-${type}`, inquiry(`prop-type-${type}`, { type, idNumber: id }));
      expect(unknown.body, type).toMatchObject({ status: "REJECTED", message: "主体类型与证件号码不符" });
    }
  });

  it("answers unreadable requests with a 400 in its own shape", async () => {
    const notJson = await post(`${root}/national`, "prop-400", "{not json");
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatchObject({ status: "REJECTED" });
    const keyMismatch = await post(
      `${root}/national`,
      "prop-400",
      inquiry("another-key", { type: "PERSON", idNumber: findId(() => true) }),
    );
    expect(keyMismatch.status).toBe(400);
    expect(sandbox.agencies.PROPERTY_REGISTRY.stats.submissionsFor("prop-400")).toBe(0);
  });

  it("replays the original answer for a repeated key without executing again", async () => {
    const agency = sandbox.agencies.PROPERTY_REGISTRY;
    agency.reset();
    const body = inquiry("prop-replay", { type: "PERSON", idNumber: findId((p) => p.flats.length > 0) });
    const first = await post(`${root}/national`, "prop-replay", body);
    const second = await post(`${root}/national`, "prop-replay", body);
    expect(second).toEqual(first);
    expect(agency.stats).toMatchObject({ submissions: 2, executions: 1, duplicateSubmissions: 1 });
    expect(agency.stats.submissionsFor("prop-replay")).toBe(2);
  });
});
