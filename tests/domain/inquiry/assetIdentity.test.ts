import { describe, expect, it } from "vitest";
import { assetIdentity } from "../../../domain/inquiry/assetIdentity.js";

describe("asset identity (hub policy: each registry's stable key)", () => {
  it("a vehicle is its VIN, whatever plate it was reported under", () => {
    const vin = "LSVAU2180N2123456";
    expect(assetIdentity({ type: "VEHICLE", identifier: "豫BZ1973", vin })).toBe(vin);
    expect(assetIdentity({ type: "VEHICLE", identifier: "豫B12345", vin: ` ${vin.toLowerCase()} ` })).toBe(vin);
  });

  it("a vehicle reported without a VIN is its plate", () => {
    expect(assetIdentity({ type: "VEHICLE", identifier: "豫BZ1973", vin: "" })).toBe("豫BZ1973");
  });

  it("real estate, accounts and other property are their registry identifier", () => {
    expect(assetIdentity({ type: "REAL_ESTATE", identifier: " 豫(2021)兰考县不动产权第0001234号 " })).toBe(
      "豫(2021)兰考县不动产权第0001234号",
    );
    expect(assetIdentity({ type: "DEPOSIT_ACCOUNT", identifier: "6222020200001234567" })).toBe("6222020200001234567");
  });
});
