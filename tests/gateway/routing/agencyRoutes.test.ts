import { afterEach, describe, expect, it } from "vitest";
import { AgencyRoutes } from "../../../gateway/routing/agencyRoutes.js";
import type { HubError } from "../../../gateway/errors.js";

const routes = new AgencyRoutes(
  {
    PROPERTY_REGISTRY: {
      national: { baseUrl: "http://property.test/national" },
      local: { "41": { baseUrl: "http://property.test/local/41" }, "4102": { baseUrl: "http://property.test/local/4102" } },
      secret: "s",
    },
    TAX: { local: { "41": { baseUrl: "http://tax.test/local/41" } }, maxAttempts: 3 },
  },
  { development: true, allow: [] },
);
afterEach(() => routes.close());

describe("channel routing (总对总 national, 点对点 local by division-code prefix)", () => {
  it("routes the national channel to the national endpoint", () => {
    const route = routes.resolve("PROPERTY_REGISTRY", "NATIONAL", "410225");
    expect(route.endpointKey).toBe("national");
    expect(route.transport.baseUrl).toBe("http://property.test/national");
  });

  it("routes the local channel by the longest configured prefix: Kaifeng 4102 before Henan 41", () => {
    expect(routes.resolve("PROPERTY_REGISTRY", "LOCAL", "410225").endpointKey).toBe("local:4102");
    expect(routes.resolve("PROPERTY_REGISTRY", "LOCAL", "410105").endpointKey).toBe("local:41");
  });

  it("refuses a channel or division nobody serves with NO_ROUTE", () => {
    const noRoute = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as HubError).code;
      }
      return "routed";
    };
    expect(noRoute(() => routes.resolve("PROPERTY_REGISTRY", "LOCAL", "340100"))).toBe("NO_ROUTE");
    expect(noRoute(() => routes.resolve("TAX", "NATIONAL", "410225"))).toBe("NO_ROUTE");
  });

  it("lists national kinds, finds a stored endpoint again by key, and applies defaults", () => {
    expect(routes.nationalKinds()).toEqual(["PROPERTY_REGISTRY"]);
    const again = routes.byKey("PROPERTY_REGISTRY", "local:4102");
    expect(again.transport.baseUrl).toBe("http://property.test/local/4102");
    expect(again.maxAttempts).toBe(8);
    expect(routes.byKey("TAX", "local:41").maxAttempts).toBe(3);
    expect(routes.anyEndpoint("TAX").endpointKey).toBe("local:41");
  });
});
