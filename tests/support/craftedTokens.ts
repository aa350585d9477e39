/**
 * Tokens the hub must refuse, signed with its own key so only the claim or header under test is wrong:
 * `craftToken(keys, { exp: undefined })` has no `exp`, `craftToken(keys, { iat: now - 7200, exp: now - 3600 })` expired.
 */
import { SignJWT, type CryptoKey, type JWTHeaderParameters, type JWTPayload } from "jose";
import { DEFAULT_TOKEN_POLICY } from "../../gateway/auth/tokenPolicy.js";

export async function craftToken(
  keys: { privateKey?: CryptoKey },
  claims: Record<string, unknown> = {},
  header: Partial<JWTHeaderParameters> = {},
  signingKey: CryptoKey | Uint8Array = keys.privateKey!,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = {
    org: "豫0225",
    roles: ["CASE_OFFICER"],
    sub: "crafted-officer",
    iss: DEFAULT_TOKEN_POLICY.issuer,
    aud: DEFAULT_TOKEN_POLICY.audience,
    iat: now,
    exp: now + 600,
    ...claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  return new SignJWT(payload).setProtectedHeader({ alg: "EdDSA", ...header }).sign(signingKey);
}
