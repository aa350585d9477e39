/** Issuing and verifying bearer JWTs (jose). */
import { SignJWT, errors, jwtVerify } from "jose";
import { HubError } from "../errors.js";
import { parseRole, type Principal, type Role } from "./principal.js";
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, type TokenKeys } from "./tokenKeys.js";

export async function issueToken(keys: TokenKeys, principal: Principal, ttl: string = "8h"): Promise<string> {
  if (!keys.privateKey) throw new Error("this hub verifies tokens from an external issuer and cannot mint them");
  return new SignJWT({ org: principal.org, roles: principal.roles })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM })
    .setSubject(principal.officer)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(keys.privateKey);
}

export async function verifyToken(keys: TokenKeys, token: string): Promise<Principal> {
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE });
    const roles = Array.isArray(payload.roles) ? payload.roles.map((r) => parseRole(String(r))) : [];
    if (typeof payload.org !== "string" || !payload.sub || roles.some((r) => !r)) {
      throw new HubError("UNAUTHENTICATED", "token lacks org, subject or valid roles", { reason: "INVALID_CLAIMS" });
    }
    return { org: payload.org, officer: payload.sub, roles: roles as Role[] };
  } catch (error) {
    if (error instanceof HubError) throw error;
    if (error instanceof errors.JWTExpired) {
      throw new HubError("UNAUTHENTICATED", "the bearer token has expired; obtain a new one", { reason: "TOKEN_EXPIRED" });
    }
    throw new HubError("UNAUTHENTICATED", "the bearer token is not valid for this hub", { reason: "TOKEN_INVALID" });
  }
}

/** Reads `Authorization: Bearer …`; an absent header is anonymous, a malformed one is an error. */
export function bearerFrom(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new HubError("UNAUTHENTICATED", "Authorization header must be 'Bearer <token>'", { reason: "MALFORMED_HEADER" });
  return match[1];
}
