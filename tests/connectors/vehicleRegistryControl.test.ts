import nock from "nock";
import { describe, expect, it } from "vitest";
import { canControl } from "../../connectors/connector.js";
import { vehicleRegistryConnector as connector } from "../../connectors/vehicle-registry/connector.js";
import { agencyContext, controlCall, useNock } from "./helpers.js";
import { describeRegistryControl, SECRET } from "./registryControlSuite.js";

useNock();

describeRegistryControl({
  name: "vehicle registry",
  connector,
  origin: "http://vehicle.test",
  path: "/national/api/controls",
  lookupPath: "/national/api/requests",
  assetField: "plate",
  assetIdentifier: "豫B12345",
});

describe("vehicle registry connector: what it controls", () => {
  const ctx = agencyContext("http://vehicle.test/national", SECRET);

  it("is a control connector that seals and seizes", () => {
    expect(canControl(connector)).toBe(true);
    expect(connector.measureKinds).toEqual(["SEAL", "SEIZE"]);
  });

  it("sends a seizure (扣押) as action SEIZE on the plate, answered at once", async () => {
    const call = controlCall({ measureKind: "SEIZE", assetIdentifier: "豫B12345", from: "2024-03-01", to: "2026-02-28" });
    const raw = JSON.stringify({
      requestId: call.idempotencyKey,
      status: "EFFECTIVE",
      effectiveFrom: "2024-03-01T10:00:00+08:00",
      registrationNo: "机动车扣押登记(2024)第000007号",
    });
    let sent: Record<string, unknown> = {};
    nock("http://vehicle.test")
      .post("/national/api/controls", (body) => ((sent = body), true))
      .matchHeader("idempotency-key", call.idempotencyKey)
      .reply(200, raw);
    const outcome = await connector.control(call, ctx);
    expect(sent).toMatchObject({ action: "SEIZE", plate: "豫B12345", from: "2024-03-01", to: "2026-02-28" });
    expect(sent).not.toHaveProperty("certNo");
    expect(outcome).toEqual({
      kind: "EFFECTIVE",
      effectiveFrom: "2024-03-01T10:00:00+08:00",
      reference: "机动车扣押登记(2024)第000007号",
      raw,
    });
  });
});
