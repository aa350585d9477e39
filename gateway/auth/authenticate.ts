/**
 * From a bearer token to the principal of a call: a valid token (tokens.ts) whose org this hub
 * knows. An org in no directory (a court code such as 豫9999, an unregistered agency) is refused
 * even with a valid signature, so an identity provider's mistake cannot open a court's data.
 */
import { HubError } from "../errors.js";
import type { Principal } from "./principal.js";
import type { TokenKeys } from "./tokenKeys.js";
import type { TokenPolicy } from "./tokenPolicy.js";
import { verifyToken } from "./tokens.js";

/** The orgs a token may name; startup (hub.ts) answers from the court directory, the agency routes and the partners. */
export interface KnownOrgs {
  /** For a court's code, the courts it supervises (itself included); undefined for anything else. */
  courtScope(org: string): ReadonlySet<string> | undefined;
  /** An agency the hub routes to, a registered sanction partner, or the hub itself. */
  isKnown(org: string): Promise<boolean>;
}

export type Authenticate = (token: string) => Promise<Principal>;

export function tokenAuthenticator(keys: TokenKeys, policy: TokenPolicy, orgs: KnownOrgs): Authenticate {
  return async (token) => {
    const principal = await verifyToken(keys, token, policy);
    const scope = orgs.courtScope(principal.org);
    if (scope) return principal.roles.includes("SUPERVISOR") ? { ...principal, supervises: scope } : principal;
    if (await orgs.isKnown(principal.org)) return principal;
    throw new HubError("UNAUTHENTICATED", `the token's org ${principal.org} is unknown to this hub`, { reason: "UNKNOWN_ORG" });
  };
}
