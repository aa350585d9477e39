/** Issuing and verifying bearer JWTs (jose); every refusal is UNAUTHENTICATED with a reason. */
import { randomUUID } from "node:crypto";
import { SignJWT, errors, jwtVerify, type JWTPayload } from "jose";
import { HubError } from "../errors.js";
import { parseRole, type Principal, type Role } from "./principal.js";
import { TOKEN_ALGORITHM, type TokenKeys } from "./tokenKeys.js";
import { DEFAULT_TOKEN_POLICY, type TokenPolicy } from "./tokenPolicy.js";

export interface MintedToken {
  token: string;
  jti: string;
  /** Seconds since the epoch. */
  exp: number;
}

export async function mintToken(
  keys: TokenKeys,
  principal: Principal,
  lifetimeSeconds: number = DEFAULT_TOKEN_POLICY.maxLifetimeSeconds,
  policy: TokenPolicy = DEFAULT_TOKEN_POLICY,
): Promise<MintedToken> {
  if (!keys.privateKey) throw new Error("this hub verifies tokens from an external issuer and cannot mint them");
  if (!(lifetimeSeconds > 0 && lifetimeSeconds <= policy.maxLifetimeSeconds)) {
    throw new Error(`a token lives at most ${policy.maxLifetimeSeconds} s; ${lifetimeSeconds} s asked`);
  }
  const jti = randomUUID();
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + lifetimeSeconds;
  const token = await new SignJWT({ org: principal.org, roles: principal.roles })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM })
    .setSubject(principal.officer)
    .setIssuer(policy.issuer)
    .setAudience(policy.audience)
    .setJti(jti)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(keys.privateKey);
  return { token, jti, exp };
}

export async function issueToken(keys: TokenKeys, principal: Principal, lifetimeSeconds?: number): Promise<string> {
  return (await mintToken(keys, principal, lifetimeSeconds)).token;
}

/** The signature, `exp`, lifetime, issuer, audience, algorithm and claims; not yet whether the org exists. */
export async function verifyToken(keys: TokenKeys, token: string, policy: TokenPolicy = DEFAULT_TOKEN_POLICY): Promise<Principal> {
  const payload = await verifiedPayload(keys, token, policy);
  const exp = payload.exp!;
  const iat = payload.iat!;
  if (exp - iat > policy.maxLifetimeSeconds) {
    throw refused("LIFETIME_TOO_LONG", `the token lives ${exp - iat} s; this hub accepts at most ${policy.maxLifetimeSeconds} s`);
  }
  const roles = Array.isArray(payload.roles) ? payload.roles.map((r) => parseRole(String(r))) : [];
  if (typeof payload.org !== "string" || !payload.sub || roles.some((r) => !r)) {
    throw refused("INVALID_CLAIMS", "token lacks org, subject or valid roles");
  }
  if (roles.length === 0) throw refused("NO_ROLES", "the token grants no role");
  return { org: payload.org, officer: payload.sub, roles: roles as Role[], expiresAt: exp * 1000 };
}

async function verifiedPayload(keys: TokenKeys, token: string, policy: TokenPolicy): Promise<JWTPayload> {
  const options = {
    issuer: policy.issuer,
    audience: policy.audience,
    algorithms: policy.algorithms,
    requiredClaims: ["exp", "iat", "sub"],
  };
  try {
    const { publicKey } = keys;
    const { payload } =
      typeof publicKey === "function" ? await jwtVerify(token, publicKey, options) : await jwtVerify(token, publicKey, options);
    return payload;
  } catch (error) {
    throw refusalOf(error);
  }
}

function refusalOf(error: unknown): HubError {
  if (error instanceof errors.JWTExpired) return refused("TOKEN_EXPIRED", "the bearer token has expired; obtain a new one");
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim = error.claim;
    if (error.reason === "missing") return refused(claim === "exp" ? "EXP_MISSING" : "INVALID_CLAIMS", `the token has no ${claim} claim`);
    if (claim === "iss") return refused("WRONG_ISSUER", "the token was issued by another issuer");
    if (claim === "aud") return refused("WRONG_AUDIENCE", "the token is meant for another audience");
    return refused("INVALID_CLAIMS", `the token's ${claim} claim is not valid`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return refused("ALGORITHM_NOT_ALLOWED", "the token's signature algorithm is not accepted");
  if (error instanceof errors.JWKSNoMatchingKey) return refused("UNKNOWN_KEY", "no key of this hub matches the token's kid");
  if (error instanceof errors.JWSSignatureVerificationFailed) return refused("BAD_SIGNATURE", "the token's signature does not verify");
  return refused("TOKEN_INVALID", "the bearer token is not valid for this hub");
}

function refused(reason: string, message: string): HubError {
  return new HubError("UNAUTHENTICATED", message, { reason });
}

/** Reads `Authorization: Bearer …`; an absent header is anonymous, a malformed one is an error. */
export function bearerFrom(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new HubError("UNAUTHENTICATED", "Authorization header must be 'Bearer <token>'", { reason: "MALFORMED_HEADER" });
  return match[1];
}
