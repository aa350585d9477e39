import nock from "nock";
import { describe, expect, it } from "vitest";
import { AgencyProtocolError, TransientAgencyError } from "../../connectors/connector.js";
import { vehicleRegistryConnector as connector } from "../../connectors/vehicle-registry/connector.js";
import { agencyContext, inquiryCall, organisationDebtor, rejection, useNock } from "./helpers.js";

useNock();
const ctx = agencyContext("http://vehicle.test/local/4102");
const agency = () => nock("http://vehicle.test");
const call = inquiryCall();
const TICKET = "VQ-20240915-0007";

const vehicle = {
  plate: "豫B12345",
  vin: "LSVAU2180N2123456",
  make: "大众",
  model: "朗逸",
  color: "白",
  firstRegistered: "2019-04-02",
  valuation: "68000.00",
  restrictions: [{ kind: "SEAL", by: "开封市鼓楼区人民法院", ref: "（2024）豫0204执88号", since: "2024-03-01", rank: 1 }],
};
const done = (vehicles: unknown[]) => JSON.stringify({ state: "DONE", vehicles });
const poll = () => agency().get(`/local/4102/api/queries/${TICKET}`).matchHeader("idempotency-key", call.idempotencyKey);

describe("vehicle registry connector", () => {
  it("submits the query with the idempotency key and returns the ticket as PENDING", async () => {
    const raw = JSON.stringify({ ticket: TICKET, retryAfterMs: 500 });
    let sent: unknown;
    agency()
      .post("/local/4102/api/queries", (body) => ((sent = body), true))
      .matchHeader("idempotency-key", call.idempotencyKey)
      .reply(202, raw);

    expect(await connector.inquire(call, ctx)).toEqual({ kind: "PENDING", ticket: TICKET, pollAfterMs: 500, raw });
    expect(sent).toEqual({
      reqId: call.idempotencyKey,
      case: call.caseNumber,
      court: call.courtCode,
      owner: { idType: "RESIDENT_ID", idNo: call.debtor.idNumber, name: "张三" },
    });
  });

  it("identifies organisations by credit code", async () => {
    let sent: { owner?: { idType?: string } } = {};
    agency()
      .post("/local/4102/api/queries", (body) => ((sent = body), true))
      .reply(202, { ticket: TICKET, retryAfterMs: 500 });
    await connector.inquire(inquiryCall({ debtor: organisationDebtor }), ctx);
    expect(sent.owner).toEqual({ idType: "CREDIT_CODE", idNo: organisationDebtor.idNumber, name: organisationDebtor.name });
  });

  it("bounds the agency's retry hint", async () => {
    agency().post("/local/4102/api/queries").reply(202, { ticket: TICKET, retryAfterMs: 0 });
    expect(await connector.inquire(call, ctx)).toMatchObject({ kind: "PENDING", pollAfterMs: 250 });
    agency().post("/local/4102/api/queries").reply(202, { ticket: TICKET, retryAfterMs: 86_400_000 });
    expect(await connector.inquire(call, ctx)).toMatchObject({ kind: "PENDING", pollAfterMs: 300_000 });
  });

  it("stays pending while processing, then maps the vehicles with restrictions as encumbrances", async () => {
    const processing = JSON.stringify({ state: "PROCESSING", retryAfterMs: 800 });
    const answer = done([vehicle, { ...vehicle, plate: "豫B6789A", vin: "LFV2A21K8E4123456", valuation: undefined, restrictions: [] }]);
    poll().reply(200, processing);
    poll().reply(200, answer);

    expect(await connector.poll!(TICKET, call, ctx)).toEqual({ kind: "PENDING", ticket: TICKET, pollAfterMs: 800, raw: processing });
    const outcome = await connector.poll!(TICKET, call, ctx);

    expect(outcome).toEqual({
      kind: "ANSWERED",
      raw: answer,
      findings: {
        assets: [
          {
            type: "VEHICLE",
            identifier: "豫B12345",
            plateNumber: "豫B12345",
            vin: "LSVAU2180N2123456",
            brand: "大众",
            model: "朗逸",
            colour: "白",
            registeredOn: "2019-04-02",
            description: "豫B12345 大众朗逸（白）",
            estimatedValue: "68000.00",
            encumbrances: [
              { type: "SEAL", byAuthority: "开封市鼓楼区人民法院", reference: "（2024）豫0204执88号", since: "2024-03-01", rank: 1 },
            ],
          },
          expect.objectContaining({ identifier: "豫B6789A", vin: "LFV2A21K8E4123456", estimatedValue: undefined, encumbrances: [] }),
        ],
      },
    });
  });

  it("answers with no assets when the owner has no vehicles", async () => {
    const raw = done([]);
    poll().reply(200, raw);
    expect(await connector.poll!(TICKET, call, ctx)).toEqual({ kind: "ANSWERED", findings: { assets: [] }, raw });
  });

  it("treats a rejected query as a refusal", async () => {
    const raw = JSON.stringify({ state: "REJECTED", reason: "协助执行通知书缺失" });
    poll().reply(200, raw);
    expect(await connector.poll!(TICKET, call, ctx)).toEqual({ kind: "REFUSED", reason: "协助执行通知书缺失", raw });
  });

  it.each([
    ["not JSON", "garbage\u0000"],
    ["an unknown state", JSON.stringify({ state: "QUEUED" })],
    ["a malformed VIN", done([{ ...vehicle, vin: "LSVAU2180N212345O" }])],
    ["an unknown restriction", done([{ ...vehicle, restrictions: [{ kind: "TOW", by: "x" }] }])],
    ["a numeric valuation", done([{ ...vehicle, valuation: 68000 }])],
    ["a missing plate", done([{ ...vehicle, plate: "" }])],
  ])("rejects a poll reply with %s as a protocol error carrying the raw body", async (_what, raw) => {
    poll().reply(200, raw);
    const error = await rejection(connector.poll!(TICKET, call, ctx));
    expect(error).toBeInstanceOf(AgencyProtocolError);
    expect(error.raw).toBe(raw);
  });

  it.each([
    ["no ticket", JSON.stringify({ retryAfterMs: 500 })],
    ["another agency's ticket", JSON.stringify({ ticket: "TX-1", retryAfterMs: 500 })],
    ["a negative retry hint", JSON.stringify({ ticket: TICKET, retryAfterMs: -1 })],
  ])("rejects a submission reply with %s", async (_what, raw) => {
    agency().post("/local/4102/api/queries").reply(202, raw);
    const error = await rejection(connector.inquire(call, ctx));
    expect(error).toBeInstanceOf(AgencyProtocolError);
    expect(error.raw).toBe(raw);
  });

  it("reports an unknown ticket as a protocol error", async () => {
    poll().reply(404, "no such ticket");
    const error = await rejection(connector.poll!(TICKET, call, ctx));
    expect(error).toBeInstanceOf(AgencyProtocolError);
    expect(error.message).toContain("404");
  });

  it("reports 503 as transient on submit and on poll", async () => {
    agency().post("/local/4102/api/queries").reply(503, "busy");
    poll().reply(503, "busy");
    expect(await rejection(connector.inquire(call, ctx))).toBeInstanceOf(TransientAgencyError);
    expect(await rejection(connector.poll!(TICKET, call, ctx))).toBeInstanceOf(TransientAgencyError);
  });

  it("escapes the ticket in the poll path", async () => {
    agency().get("/local/4102/api/queries/VQ-a%2Fb").reply(200, done([]));
    expect(await connector.poll!("VQ-a/b", call, ctx)).toMatchObject({ kind: "ANSWERED" });
  });
});

describe("vehicle registry connector: recall (GET /api/requests/{key})", () => {
  const lookup = () => agency().get(`/local/4102/api/requests/${call.idempotencyKey}`);

  it("gives the ticket the registry handed out for the key, to poll", async () => {
    const raw = JSON.stringify({ ticket: TICKET, retryAfterMs: 800 });
    lookup().reply(202, raw);
    expect(await connector.recall!(call, ctx)).toEqual({ kind: "PENDING", ticket: TICKET, pollAfterMs: 800, raw });
  });

  it("is undefined when the registry never received the key", async () => {
    lookup().reply(404, JSON.stringify({ requestId: call.idempotencyKey, status: "UNKNOWN", message: "未收到该请求" }));
    expect(await connector.recall!(call, ctx)).toBeUndefined();
  });
});
