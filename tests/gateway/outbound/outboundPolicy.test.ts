/**
 * The outbound rule (gateway/outbound/outboundPolicy.ts): which endpoint URLs and addresses the hub may
 * reach, in production and in development, and what HUB_OUTBOUND_ALLOW lets through. Address classes
 * are those of the IANA IPv4 and IPv6 Special-Purpose Address Registries (docs/SOURCES.md).
 */
import { describe, expect, it } from "vitest";
import { addressRefusal, endpointRefusal, invalidAllowEntry } from "../../../gateway/outbound/outboundPolicy.js";

const PRODUCTION = { development: false, allow: [] };
const DEVELOPMENT = { development: true, allow: [] };

describe("endpoint URLs in production", () => {
  it("accepts https:// to a public name or address", () => {
    expect(endpointRefusal("https://partner.example.cn/lists", PRODUCTION)).toBeUndefined();
    expect(endpointRefusal("https://202.96.128.86/", PRODUCTION)).toBeUndefined();
    expect(endpointRefusal("https://[2400:3200::1]/", PRODUCTION)).toBeUndefined();
  });

  it("refuses plain HTTP, and anything that is not an http(s) URL", () => {
    expect(endpointRefusal("http://partner.example.cn/", PRODUCTION)?.rule).toBe("HTTPS_REQUIRED");
    expect(endpointRefusal("ftp://partner.example.cn/", PRODUCTION)?.rule).toBe("NOT_A_URL");
    expect(endpointRefusal("partner.example.cn", PRODUCTION)?.rule).toBe("NOT_A_URL");
  });

  it.each([
    ["http://169.254.169.254/latest/meta-data/", "METADATA_ADDRESS"],
    ["https://[fd00:ec2::254]/", "METADATA_ADDRESS"],
    ["https://100.100.100.200/latest/meta-data", "METADATA_ADDRESS"],
    ["https://metadata.google.internal/computeMetadata/v1/", "METADATA_ADDRESS"],
    ["https://127.0.0.1/", "LOOPBACK_ADDRESS"],
    ["https://2130706433/", "LOOPBACK_ADDRESS"],
    ["https://0x7f.1/", "LOOPBACK_ADDRESS"],
    ["https://[::1]:8443/", "LOOPBACK_ADDRESS"],
    ["https://[::ffff:127.0.0.1]/", "LOOPBACK_ADDRESS"],
    ["https://localhost:4101/", "LOOPBACK_ADDRESS"],
    ["https://169.254.10.1/", "LINK_LOCAL_ADDRESS"],
    ["https://[fe80::1]/", "LINK_LOCAL_ADDRESS"],
    ["https://0.0.0.0/", "UNSPECIFIED_ADDRESS"],
    ["https://[::]/", "UNSPECIFIED_ADDRESS"],
    ["https://10.1.2.3/", "PRIVATE_ADDRESS"],
    ["https://172.16.0.1/", "PRIVATE_ADDRESS"],
    ["https://192.168.1.10/", "PRIVATE_ADDRESS"],
    ["https://[fd12:3456::1]/", "PRIVATE_ADDRESS"],
    ["https://100.64.0.1/", "PRIVATE_ADDRESS"],
    ["https://224.0.0.1/", "RESERVED_ADDRESS"],
    ["https://203.0.113.7:8443/", "RESERVED_ADDRESS"],
  ])("refuses %s (%s), naming the rule", (url, rule) => {
    const refused = endpointRefusal(url, PRODUCTION);
    expect(refused?.rule).toBe(rule);
    expect(refused?.reason).toMatch(rule === "METADATA_ADDRESS" ? /metadata service/ : /address/);
  });

  it("lets HUB_OUTBOUND_ALLOW's hosts and ranges through, and plain HTTP only to an allowed loopback address", () => {
    const allow = { development: false, allow: ["tax.internal", "10.1.0.0/16", "127.0.0.1", "fd12:3456::/32"] };
    expect(endpointRefusal("https://10.1.2.3/", allow)).toBeUndefined();
    expect(endpointRefusal("https://10.2.0.1/", allow)?.rule).toBe("PRIVATE_ADDRESS");
    expect(endpointRefusal("https://[fd12:3456::1]/", allow)).toBeUndefined();
    expect(endpointRefusal("https://127.0.0.1:4101/", allow)).toBeUndefined();
    expect(endpointRefusal("http://127.0.0.1:4101/", allow)).toBeUndefined();
    expect(endpointRefusal("http://10.1.2.3/", allow)?.rule).toBe("HTTPS_REQUIRED");
    expect(addressRefusal("10.9.9.9", allow, "tax.internal")).toBeUndefined();
    expect(addressRefusal("10.9.9.9", allow, "other.internal")?.rule).toBe("PRIVATE_ADDRESS");
  });
});

describe("addresses a name resolves to", () => {
  it("are held to the same classes, IPv4-mapped IPv6 included", () => {
    expect(addressRefusal("202.96.128.86", PRODUCTION, "partner.example.cn")).toBeUndefined();
    expect(addressRefusal("127.0.0.1", PRODUCTION, "partner.example.cn")?.reason).toBe(
      "partner.example.cn (127.0.0.1) is a loopback address (this machine); HUB_OUTBOUND_ALLOW can allow it",
    );
    expect(addressRefusal("::ffff:169.254.169.254", PRODUCTION, "partner.example.cn")?.rule).toBe("METADATA_ADDRESS");
    expect(addressRefusal("192.168.0.5", PRODUCTION, "partner.example.cn")?.rule).toBe("PRIVATE_ADDRESS");
  });
});

describe("in development", () => {
  it("allows plain HTTP, this machine and private networks, but never a metadata service unless allowed", () => {
    expect(endpointRefusal("http://127.0.0.1:4101/national", DEVELOPMENT)).toBeUndefined();
    expect(endpointRefusal("http://localhost:4101/national", DEVELOPMENT)).toBeUndefined();
    expect(endpointRefusal("http://192.168.1.10/", DEVELOPMENT)).toBeUndefined();
    expect(endpointRefusal("http://169.254.169.254/", DEVELOPMENT)?.rule).toBe("METADATA_ADDRESS");
    expect(addressRefusal("169.254.169.254", DEVELOPMENT, "metadata.example")?.rule).toBe("METADATA_ADDRESS");
    expect(endpointRefusal("http://169.254.169.254/", { development: true, allow: ["169.254.169.254"] })).toBeUndefined();
  });
});

describe("HUB_OUTBOUND_ALLOW entries", () => {
  it("are host names, addresses or CIDR ranges", () => {
    expect(invalidAllowEntry(["tax.internal", "10.0.0.0/8", "::1", "fd00::/8", "127.0.0.1"])).toBeUndefined();
    expect(invalidAllowEntry(["10.0.0.0/33"])).toBe("10.0.0.0/33");
    expect(invalidAllowEntry(["http://tax.internal"])).toBe("http://tax.internal");
  });
});
