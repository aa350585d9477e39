/** What a bearer token must satisfy besides its signature: HUB_JWT_* in docs/CONFIGURATION.md. */
export interface TokenPolicy {
  /**
   * The `iss` every token must carry.
   * @default "enforcement-linkage-hub"
   */
  issuer: string;
  /**
   * The `aud` every token must carry.
   * @default "enforcement-linkage-hub"
   */
  audience: string;
  /**
   * The signature algorithms accepted; anything else (`none`, HS256 with a public key as secret) is refused.
   * @default ["EdDSA"]
   */
  algorithms: string[];
  /**
   * The longest lifetime (`exp` − `iat`) accepted, and the longest `npm run token` mints, in seconds.
   * @default 28800 (8 h, one working day)
   */
  maxLifetimeSeconds: number;
}

export const DEFAULT_TOKEN_POLICY: TokenPolicy = {
  issuer: "enforcement-linkage-hub",
  audience: "enforcement-linkage-hub",
  algorithms: ["EdDSA"],
  maxLifetimeSeconds: 8 * 3600,
};
