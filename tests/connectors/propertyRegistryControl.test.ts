import { describe, expect, it } from "vitest";
import { AgencyProtocolError, canControl } from "../../connectors/connector.js";
import { propertyRegistryConnector as connector } from "../../connectors/property-registry/connector.js";
import { agencyContext, controlCall, rejection, useNock } from "./helpers.js";
import { describeRegistryControl, SECRET } from "./registryControlSuite.js";

useNock();

describeRegistryControl({
  name: "property registry",
  connector,
  origin: "http://property.test",
  path: "/national/v1/controls",
  lookupPath: "/national/v1/requests",
  assetField: "certNo",
  assetIdentifier: "豫(2018)开封市不动产权第1028427号",
});

describe("property registry connector: what it controls", () => {
  const ctx = agencyContext("http://property.test/national", SECRET);

  it("is a control connector that seals only", () => {
    expect(canControl(connector)).toBe(true);
    expect(connector.measureKinds).toEqual(["SEAL"]);
  });

  it("refuses to seize real estate (扣押 applies to movables) before sending anything", async () => {
    const error = await rejection(connector.control(controlCall({ measureKind: "SEIZE" }), ctx));
    expect(error).toBeInstanceOf(AgencyProtocolError);
    expect(error.message).toContain("SEIZE");
  });
});
