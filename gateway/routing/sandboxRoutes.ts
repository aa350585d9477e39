/**
 * Routes to the built-in sandbox agencies: every agency on the national
 * channel, all of Henan (41) on the local channel, and Kaifeng (4102) with its
 * own local property registry, so both channels and prefix routing can be tried.
 */
import { AGENCY_KINDS } from "../../connectors/connector.js";
import type { AgencyRoutesConfig } from "./agencyRoutes.js";

export function sandboxRoutes(
  rootUrls: Record<string, string>,
  secret: string,
  overrides: { requestTimeoutMs?: number; answerWithinMs?: number; maxAttempts?: number; connections?: number } = {},
): AgencyRoutesConfig {
  const endpoint = (url: string) => ({
    baseUrl: url,
    requestTimeoutMs: overrides.requestTimeoutMs ?? 5_000,
    ...(overrides.connections && { connections: overrides.connections }),
  });
  return Object.fromEntries(
    AGENCY_KINDS.map((kind) => {
      const root = rootUrls[kind];
      const local: Record<string, ReturnType<typeof endpoint>> = { "41": endpoint(`${root}/local/41`) };
      if (kind === "PROPERTY_REGISTRY") local["4102"] = endpoint(`${root}/local/4102`);
      return [
        kind,
        {
          national: endpoint(`${root}/national`),
          local,
          secret,
          answerWithinMs: overrides.answerWithinMs,
          maxAttempts: overrides.maxAttempts,
        },
      ];
    }),
  );
}
