/**
 * Which endpoint serves an agency kind on a channel: the national endpoint
 * (总对总), or a local one (点对点) chosen by the longest division-code prefix
 * configured for it (e.g. `4102` for Kaifeng, `41` for all of Henan).
 * Each endpoint gets its own transport, hence its own pool and timeouts, and its connections keep
 * to the outbound rule (gateway/outbound/outboundPolicy.ts).
 */
import type { AgencyKind } from "../../connectors/connector.js";
import { createAgencyTransport, type AgencyTransport, type EndpointOptions, type HttpExchange } from "../../connectors/transport.js";
import { longestPrefixMatch } from "../../domain/divisionCode.js";
import { HubError } from "../errors.js";
import { guardedConnector } from "../outbound/outboundAgent.js";
import type { OutboundPolicy } from "../outbound/outboundPolicy.js";

export type ChannelName = "NATIONAL" | "LOCAL";

export interface AgencyRouteConfig {
  national?: EndpointOptions;
  /** division-code prefix → endpoint */
  local?: Record<string, EndpointOptions>;
  /** Shared secret for agencies that sign with HMAC-SM3. */
  secret?: string;
  /** How long the agency may take to give a final answer before the part is TIMED_OUT. */
  answerWithinMs?: number;
  /** Submissions before giving up with FAILED. */
  maxAttempts?: number;
}

export type AgencyRoutesConfig = Partial<Record<AgencyKind, AgencyRouteConfig>>;

export interface ResolvedRoute {
  kind: AgencyKind;
  channel: ChannelName;
  /** "national" or "local:<prefix>"; stored with the request so a resend goes to the same place. */
  endpointKey: string;
  transport: AgencyTransport;
  secret: string;
  answerWithinMs: number;
  maxAttempts: number;
}

const DEFAULT_ANSWER_WITHIN_MS = 10 * 60_000;
const DEFAULT_MAX_ATTEMPTS = 8;

export class AgencyRoutes {
  private readonly transports = new Map<string, AgencyTransport>();

  constructor(
    private readonly config: AgencyRoutesConfig,
    private readonly outbound: OutboundPolicy,
    /** The HTTP client of every endpoint's transport; default undici's `request`. */
    private readonly exchange?: HttpExchange,
  ) {}

  /** Agency kinds the national channel serves. */
  nationalKinds(): AgencyKind[] {
    return (Object.keys(this.config) as AgencyKind[]).filter((kind) => this.config[kind]?.national);
  }

  localPrefixes(kind: AgencyKind): string[] {
    return Object.keys(this.config[kind]?.local ?? {});
  }

  configuredKinds(): AgencyKind[] {
    return Object.keys(this.config) as AgencyKind[];
  }

  resolve(kind: AgencyKind, channel: ChannelName, divisionCode: string): ResolvedRoute {
    const route = this.config[kind];
    if (channel === "NATIONAL") {
      if (!route?.national) throw new HubError("NO_ROUTE", `the national channel does not serve ${kind}`, { agency: kind, channel });
      return this.resolved(kind, channel, "national", route, route.national);
    }
    const prefix = longestPrefixMatch(divisionCode, Object.keys(route?.local ?? {}));
    if (!route?.local || !prefix) {
      throw new HubError("NO_ROUTE", `no local endpoint of ${kind} serves division ${divisionCode}`, {
        agency: kind,
        channel,
        divisionCode,
      });
    }
    return this.resolved(kind, channel, `local:${prefix}`, route, route.local[prefix]);
  }

  /** Finds the route again from a stored request's endpoint key (for resends and polls). */
  byKey(kind: AgencyKind, endpointKey: string): ResolvedRoute {
    const route = this.config[kind];
    const options = endpointKey === "national" ? route?.national : route?.local?.[endpointKey.replace(/^local:/, "")];
    if (!route || !options) throw new HubError("NO_ROUTE", `endpoint ${endpointKey} of ${kind} is no longer configured`);
    return this.resolved(kind, endpointKey === "national" ? "NATIONAL" : "LOCAL", endpointKey, route, options);
  }

  /** Every configured endpoint, as stored with requests. */
  endpoints(): { kind: AgencyKind; endpointKey: string }[] {
    return this.configuredKinds().flatMap((kind) => [
      ...(this.config[kind]?.national ? [{ kind, endpointKey: "national" }] : []),
      ...this.localPrefixes(kind).map((prefix) => ({ kind, endpointKey: `local:${prefix}` })),
    ]);
  }

  /** Any endpoint of the kind; for work that needs the agency's secret but no particular endpoint (callbacks). */
  anyEndpoint(kind: AgencyKind): ResolvedRoute {
    const route = this.config[kind];
    const prefix = Object.keys(route?.local ?? {})[0];
    return this.byKey(kind, route?.national ? "national" : `local:${prefix}`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.transports.values()].map((transport) => transport.close()));
    this.transports.clear();
  }

  private resolved(
    kind: AgencyKind,
    channel: ChannelName,
    endpointKey: string,
    route: AgencyRouteConfig,
    options: EndpointOptions,
  ): ResolvedRoute {
    const cacheKey = `${kind}|${endpointKey}`;
    let transport = this.transports.get(cacheKey);
    if (!transport) {
      transport = createAgencyTransport(options, (timeout) => guardedConnector(this.outbound, { timeout }), this.exchange);
      this.transports.set(cacheKey, transport);
    }
    return {
      kind,
      channel,
      endpointKey,
      transport,
      secret: route.secret ?? "",
      answerWithinMs: route.answerWithinMs ?? DEFAULT_ANSWER_WITHIN_MS,
      maxAttempts: route.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    };
  }
}
