/**
 * The hub's connections to agencies, partners and peer hubs, held to the outbound rule
 * (outboundPolicy.ts) when they are made: every address a name resolves to is checked before a
 * socket is opened, so a name that resolves (or is rebound) to loopback, a private network or a
 * metadata service is refused without a byte sent. Redirects are never followed by these clients
 * (`redirect: "manual"`), so an answer cannot send the hub elsewhere.
 */
import { type LookupAddress, lookup } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import type { ConnectionOptions } from "node:tls";
import { Agent, buildConnector } from "undici";
import { addressRefusal, type OutboundPolicy } from "./outboundPolicy.js";

/** A connection the outbound rule refused; `rule` is the rule's name. */
export class OutboundAddressRefused extends Error {
  override readonly name = "OutboundAddressRefused";
  constructor(
    readonly rule: string,
    reason: string,
  ) {
    super(`outbound connection refused: ${reason}`);
  }
}

function guardedLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      for (const { address } of addresses) {
        const refused = addressRefusal(address, policy, hostname);
        if (refused) return callback(new OutboundAddressRefused(refused.rule, refused.reason), "", 0);
      }
      // Node asks for every address when it races IPv4 and IPv6 (autoSelectFamily), else for one.
      if (options.all) (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** undici's connector with the outbound rule: addresses given literally are checked here, names when they resolve. */
export function guardedConnector(policy: OutboundPolicy, options: buildConnector.BuildOptions = {}): buildConnector.connector {
  const connect = buildConnector({ ...options, lookup: guardedLookup(policy) } as buildConnector.BuildOptions);
  return (target, callback) => {
    const host = target.hostname.replace(/^\[(.*)\]$/, "$1");
    const refused = isIP(host) ? addressRefusal(host, policy) : undefined;
    if (refused) return callback(new OutboundAddressRefused(refused.rule, refused.reason), null);
    return connect(target, callback);
  };
}

/** An undici Agent whose connections keep to the outbound rule; `socket`: TLS options of its connections. */
export function outboundAgent(policy: OutboundPolicy, options: { connectTimeout?: number; socket?: ConnectionOptions } = {}): Agent {
  return new Agent({ connect: guardedConnector(policy, { ...options.socket, timeout: options.connectTimeout ?? 10_000 }) });
}
