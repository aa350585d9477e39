/**
 * Which TLS certificate a peer hub must present, on its connections to this
 * hub's peer port and as the server this hub connects to. A certificate the
 * hubs' CA signed proves only that the CA knows its holder; the pin says which
 * of the CA's holders is which peer, so one hub's certificate cannot carry
 * messages that claim to come from another (SM2 signatures aside, which a
 * leaked key would defeat on their own).
 */
/** Per peer in HUB_PEERS_FILE; absent = the certificate's subject CN must be the peer's hubId. */
export type CertificatePin = { sha256: string } | { commonName: string };

/** What a TLS socket reports of the certificate at the other end (tls.PeerCertificate's fields used here). */
export interface PresentedCertificate {
  subject?: { CN?: string | string[] };
  /** "AB:CD:…", SHA-256 of the DER certificate. */
  fingerprint256?: string;
}

export function certificateMatchesPeer(peer: { hubId: string; certificate?: CertificatePin }, presented: PresentedCertificate): boolean {
  const pin = peer.certificate ?? { commonName: peer.hubId };
  if ("sha256" in pin)
    return presented.fingerprint256 !== undefined && normaliseSha256(presented.fingerprint256) === normaliseSha256(pin.sha256);
  // A subject with several CNs names no one hub.
  const cn = presented.subject?.CN;
  return typeof cn === "string" && cn === pin.commonName;
}

/** The pin as written in a peers file, or why it is not one. */
export function checkCertificatePin(pin: unknown): string | undefined {
  const value = pin as Partial<Record<"sha256" | "commonName", unknown>> | null;
  if (!value || typeof value !== "object" || Object.keys(value).length !== 1) return "expected { sha256 } or { commonName }";
  if ("sha256" in value) {
    return typeof value.sha256 === "string" && /^[0-9a-f]{64}$/.test(normaliseSha256(value.sha256))
      ? undefined
      : "sha256 must be the certificate's SHA-256 fingerprint (64 hex digits, colons allowed)";
  }
  if ("commonName" in value)
    return typeof value.commonName === "string" && value.commonName !== "" ? undefined : "commonName must be a non-empty string";
  return "expected { sha256 } or { commonName }";
}

/** For the audit trail and logs: who presented what. */
export function describeCertificate(presented: PresentedCertificate): { commonName: string | null; sha256: string | null } {
  const cn = presented.subject?.CN;
  return {
    commonName: cn === undefined ? null : Array.isArray(cn) ? cn.join(", ") : cn,
    sha256: presented.fingerprint256 ? normaliseSha256(presented.fingerprint256) : null,
  };
}

/** openssl prints "AB:CD:…", others lower-case hex without colons: both are the same pin. */
function normaliseSha256(fingerprint: string): string {
  return fingerprint.replace(/:/g, "").toLowerCase();
}
