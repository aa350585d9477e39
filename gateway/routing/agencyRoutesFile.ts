/**
 * HUB_AGENCIES_FILE, checked: only the agency kinds and keys the hub knows, every endpoint a
 * URL it may use, and every agency with its HMAC-SM3 secret (all of them sign callbacks or
 * requests with it: connectors/signature.ts), long enough to resist guessing. Endpoints keep to the outbound
 * rule (gateway/outbound/outboundPolicy.ts).
 */
import { z } from "zod";
import { AGENCY_KINDS, type AgencyKind } from "../../connectors/connector.js";
import { endpointUrl, positiveInteger, readConfigFile, sharedSecret } from "../configFile.js";
import type { OutboundPolicy } from "../outbound/outboundPolicy.js";
import type { AgencyRoutesConfig } from "./agencyRoutes.js";

function agencyRoutesSchema(outbound: OutboundPolicy) {
  const endpoint = z.strictObject({
    baseUrl: endpointUrl(outbound),
    connections: positiveInteger.optional(),
    requestTimeoutMs: positiveInteger.optional(),
    connectTimeoutMs: positiveInteger.optional(),
  });
  const route = z.strictObject({
    national: endpoint.optional(),
    local: z.record(z.string().regex(/^\d{2,6}$/, { error: "must be a division-code prefix of 2 to 6 digits" }), endpoint).optional(),
    secret: sharedSecret,
    answerWithinMs: positiveInteger.optional(),
    maxAttempts: positiveInteger.optional(),
  });
  return z.partialRecord(z.enum(AGENCY_KINDS as [AgencyKind, ...AgencyKind[]]), route);
}

export function readAgencyRoutesFile(path: string, outbound: OutboundPolicy): AgencyRoutesConfig {
  return readConfigFile(path, agencyRoutesSchema(outbound));
}
