/**
 * Where the hub may send requests: agency endpoints, list partners' push endpoints and peer hubs. An
 * endpoint is given by an operator or a hub administrator, so a wrong or hostile one could make the
 * hub reach what only it can reach: the cloud's metadata service (credentials), its own loopback
 * ports, the court network's private hosts. Outside development an endpoint must be https:// and
 * its address public; addresses on this machine or private networks are reached only when
 * HUB_OUTBOUND_ALLOW names the host or its range. The same rule is applied to the URL when an
 * endpoint is configured or registered, and to every address its name resolves to when the hub
 * connects (outboundAgent.ts), since a public name may resolve to a private address.
 */
import ipaddr from "ipaddr.js";

export interface OutboundPolicy {
  /** Development and tests: plain HTTP, and addresses on this machine and private networks (never metadata services). */
  readonly development: boolean;
  /** HUB_OUTBOUND_ALLOW: host names and addresses or CIDR ranges reached whatever their address class. */
  readonly allow: readonly string[];
}

export type OutboundRule =
  | "NOT_A_URL"
  | "HTTPS_REQUIRED"
  | "METADATA_ADDRESS"
  | "LOOPBACK_ADDRESS"
  | "LINK_LOCAL_ADDRESS"
  | "UNSPECIFIED_ADDRESS"
  | "PRIVATE_ADDRESS"
  | "RESERVED_ADDRESS";

export interface OutboundRefusal {
  readonly rule: OutboundRule;
  readonly reason: string;
}

/** The cloud metadata services: AWS, Azure, GCP, Tencent Cloud (169.254.169.254, fd00:ec2::254), Alibaba Cloud (100.100.100.200). */
const METADATA_ADDRESSES = ["169.254.169.254", "fd00:ec2::254", "100.100.100.200"].map((address) => ipaddr.parse(address).toString());
const METADATA_NAMES = new Set(["metadata.google.internal", "metadata.tencentyun.com", "instance-data.ec2.internal"]);

const CLASS_RULES: Readonly<Record<string, OutboundRule>> = {
  loopback: "LOOPBACK_ADDRESS",
  linkLocal: "LINK_LOCAL_ADDRESS",
  unspecified: "UNSPECIFIED_ADDRESS",
  private: "PRIVATE_ADDRESS",
  uniqueLocal: "PRIVATE_ADDRESS",
  carrierGradeNat: "PRIVATE_ADDRESS",
};

const REASONS: Readonly<Record<OutboundRule, string>> = {
  NOT_A_URL: "is not an absolute http(s) URL",
  HTTPS_REQUIRED: "must be an https:// URL outside development (NODE_ENV=production)",
  METADATA_ADDRESS: "is a cloud metadata service",
  LOOPBACK_ADDRESS: "is a loopback address (this machine)",
  LINK_LOCAL_ADDRESS: "is a link-local address",
  UNSPECIFIED_ADDRESS: "is the unspecified address",
  PRIVATE_ADDRESS: "is a private network address",
  RESERVED_ADDRESS: "is not a public unicast address",
};

const refusal = (rule: OutboundRule, what: string): OutboundRefusal => ({
  rule,
  reason: `${what} ${REASONS[rule]}${rule === "NOT_A_URL" || rule === "HTTPS_REQUIRED" ? "" : "; HUB_OUTBOUND_ALLOW can allow it"}`,
});

/** A host name as compared: lower case, without the root's trailing dot or an IPv6 literal's brackets. */
const canonicalHost = (host: string) =>
  host
    .toLowerCase()
    .replace(/\.$/, "")
    .replace(/^\[(.*)\]$/, "$1");

/** The entry of HUB_OUTBOUND_ALLOW that is not a host name, an address or a CIDR range, if any. */
export function invalidAllowEntry(entries: readonly string[]): string | undefined {
  return entries.find((entry) => !(ipaddr.isValidCIDR(entry) || ipaddr.isValid(entry) || /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(entry)));
}

function allowedAddress(address: ipaddr.IPv4 | ipaddr.IPv6, allow: readonly string[]): boolean {
  return allow.some((entry) => {
    const [network, bits] = ipaddr.isValidCIDR(entry)
      ? ipaddr.parseCIDR(entry)
      : ipaddr.isValid(entry)
        ? [ipaddr.process(entry), ipaddr.process(entry).kind() === "ipv4" ? 32 : 128]
        : [];
    return network?.kind() === address.kind() && address.match(network, bits);
  });
}

const allowedName = (host: string, allow: readonly string[]) => allow.some((entry) => canonicalHost(entry) === host);

/** Why the hub may not connect to `address` (an IP address `host` resolved to, or `host` itself), or undefined. */
export function addressRefusal(address: string, policy: OutboundPolicy, host = address): OutboundRefusal | undefined {
  if (!ipaddr.isValid(address)) return refusal("RESERVED_ADDRESS", address);
  const parsed = ipaddr.process(address);
  const what = canonicalHost(host) === parsed.toString() ? parsed.toString() : `${host} (${parsed.toString()})`;
  if (allowedName(canonicalHost(host), policy.allow) || allowedAddress(parsed, policy.allow)) return undefined;
  if (METADATA_ADDRESSES.includes(parsed.toString())) return refusal("METADATA_ADDRESS", what);
  if (policy.development) return undefined;
  const range = parsed.range();
  if (range === "unicast") return undefined;
  return refusal(CLASS_RULES[range] ?? "RESERVED_ADDRESS", what);
}

/**
 * Why an endpoint URL may not be used, from the URL alone: its scheme, and its host when that is an address or a
 * name that can only mean one (localhost, a metadata service). Names are checked again when connecting.
 */
export function endpointRefusal(text: string, policy: OutboundPolicy): OutboundRefusal | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refusal("NOT_A_URL", JSON.stringify(text));
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return refusal("NOT_A_URL", JSON.stringify(text));
  const host = canonicalHost(url.hostname);
  const byName = nameRefusal(host, policy);
  if (byName) return byName;
  const byAddress = ipaddr.isValid(host) ? addressRefusal(host, policy) : undefined;
  if (byAddress) return byAddress;
  // Plain HTTP outside development only where it never leaves this machine, and only when allowed.
  if (url.protocol === "http:" && !policy.development && !(isLoopback(host) && allowedHost(host, policy.allow)))
    return refusal("HTTPS_REQUIRED", "the URL");
  return undefined;
}

function nameRefusal(host: string, policy: OutboundPolicy): OutboundRefusal | undefined {
  if (allowedName(host, policy.allow)) return undefined;
  if (METADATA_NAMES.has(host)) return refusal("METADATA_ADDRESS", host);
  if (!policy.development && (host === "localhost" || host.endsWith(".localhost"))) return refusal("LOOPBACK_ADDRESS", host);
  return undefined;
}

const allowedHost = (host: string, allow: readonly string[]) =>
  allowedName(host, allow) || (ipaddr.isValid(host) && allowedAddress(ipaddr.process(host), allow));

const isLoopback = (host: string) =>
  host === "localhost" || host.endsWith(".localhost") || (ipaddr.isValid(host) && ipaddr.process(host).range() === "loopback");
