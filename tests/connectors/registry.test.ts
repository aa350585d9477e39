import { describe, expect, it } from "vitest";
import { AGENCY_KINDS } from "../../connectors/connector.js";
import { connectorFor, connectors } from "../../connectors/registry.js";

describe("connector registry", () => {
  it.each(AGENCY_KINDS)("serves %s with a connector of that kind that describes its protocol", (kind) => {
    const connector = connectorFor(kind);
    expect(connector).toBe(connectors[kind]);
    expect(connector.kind).toBe(kind);
    expect(connector.protocol.length).toBeGreaterThan(20);
  });

  it("gives the ticket agencies a poll and the calling-back agencies a callback decoder", () => {
    // The bank's fallback poll is its signed lookup of the request (docs/AGENCY_PROTOCOLS.md, BANK), never the request sent again.
    expect(AGENCY_KINDS.filter((kind) => connectors[kind].poll)).toEqual(["VEHICLE_REGISTRY", "TAX", "BANK"]);
    expect(AGENCY_KINDS.filter((kind) => connectors[kind].acceptCallback)).toEqual(["TAX", "BANK"]);
  });

  it("lets the dispatcher ask every agency about a key before any resend (docs/AGENCY_PROTOCOLS.md, Lookups)", () => {
    expect(AGENCY_KINDS.filter((kind) => !connectors[kind].recall)).toEqual([]);
  });
});
