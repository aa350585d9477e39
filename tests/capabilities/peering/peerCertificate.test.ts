import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { peerTlsFromEnv } from "../../../capabilities/peering/peerTlsFromEnv.js";
import { certificateMatchesPeer, checkCertificatePin, describeCertificate } from "../../../capabilities/peering/peerCertificate.js";
import { PeerRegistry, type PeerConfig } from "../../../capabilities/peering/peerRegistry.js";
import { PeerAgents } from "../../../capabilities/peering/peerTls.js";
import { generateSm2KeyPair } from "../../../gateway/signing/sm2Keys.js";

const FINGERPRINT = "BE:41:37:67:1C:8D:6E:60:AB:DF:FF:C3:30:2F:1C:60:E3:D8:A2:05:3E:B6:5E:A4:41:E8:E6:01:42:A0:0C:94";
const anhuiCertificate = { subject: { CN: "hub-anhui" }, fingerprint256: FINGERPRINT };
const anhui: PeerConfig = {
  hubId: "hub-anhui",
  baseUrl: "https://hub.ah.example",
  publicKeyPem: generateSm2KeyPair().publicKeyPem,
  provinces: ["34"],
  accepts: [],
};

describe("which certificate a peer hub must present", () => {
  it("by default, one whose subject CN is the peer's hubId, and no other", () => {
    expect(certificateMatchesPeer(anhui, anhuiCertificate)).toBe(true);
    expect(certificateMatchesPeer(anhui, { ...anhuiCertificate, subject: { CN: "hub-hubei" } })).toBe(false);
    expect(certificateMatchesPeer(anhui, { fingerprint256: FINGERPRINT })).toBe(false);
    // Two CNs name no one hub, even if one of them is right.
    expect(certificateMatchesPeer(anhui, { ...anhuiCertificate, subject: { CN: ["hub-anhui", "hub-hubei"] } })).toBe(false);
  });

  it("pinned by commonName, the CN given instead of the hubId (a certificate issued under the hub's host name)", () => {
    const pinned = { ...anhui, certificate: { commonName: "hub.ah.court.example" } };
    expect(certificateMatchesPeer(pinned, { subject: { CN: "hub.ah.court.example" } })).toBe(true);
    expect(certificateMatchesPeer(pinned, anhuiCertificate)).toBe(false);
  });

  it("pinned by sha256, that very certificate whatever its CN, the fingerprint written as openssl prints it or as plain hex", () => {
    for (const sha256 of [FINGERPRINT, FINGERPRINT.replace(/:/g, "").toLowerCase()]) {
      const pinned = { ...anhui, certificate: { sha256 } };
      expect(certificateMatchesPeer(pinned, { subject: { CN: "anything" }, fingerprint256: FINGERPRINT })).toBe(true);
      // A renewed certificate with the same CN is not the pinned one.
      expect(certificateMatchesPeer(pinned, { ...anhuiCertificate, fingerprint256: FINGERPRINT.replace("BE:", "BF:") })).toBe(false);
      expect(certificateMatchesPeer(pinned, { subject: { CN: "hub-anhui" } })).toBe(false);
    }
  });

  it("describes a presented certificate for the audit trail", () => {
    expect(describeCertificate(anhuiCertificate)).toEqual({ commonName: "hub-anhui", sha256: FINGERPRINT.replace(/:/g, "").toLowerCase() });
    expect(describeCertificate({})).toEqual({ commonName: null, sha256: null });
  });

  it("refuses a peers file whose pin is neither one SHA-256 fingerprint nor one non-empty commonName", () => {
    expect(checkCertificatePin({ sha256: FINGERPRINT })).toBeUndefined();
    expect(checkCertificatePin({ commonName: "hub-anhui" })).toBeUndefined();
    expect(checkCertificatePin({ sha256: "BE:41" })).toMatch("64 hex digits");
    expect(checkCertificatePin({ commonName: "" })).toMatch("non-empty");
    expect(checkCertificatePin({ sha256: FINGERPRINT, commonName: "hub-anhui" })).toMatch("expected");
    expect(checkCertificatePin({ cn: "hub-anhui" })).toMatch("expected");
    expect(() => new PeerRegistry([{ ...anhui, certificate: { sha256: "nope" } }])).toThrow("peer hub-anhui: certificate: sha256");
  });

  it("with mutual TLS, refuses a peer reached over plain HTTP", () => {
    const tls = { certPem: "", keyPem: "", caPem: "", port: 0, host: "127.0.0.1" };
    const registry = new PeerRegistry([{ ...anhui, baseUrl: "http://hub.ah.example" }]);
    expect(() => new PeerAgents(tls, registry.all(), { development: true, allow: [] })).toThrow("must be https://");
  });

  it("takes mutual TLS from the environment only whole, and only with peers", () => {
    const base = { HUB_PEERS_FILE: "peers.json", HUB_PEER_TLS_CERT: "hub.pem", HUB_PEER_TLS_KEY: "hub.key" };
    expect(peerTlsFromEnv({})).toBeUndefined();
    expect(() => peerTlsFromEnv(base)).toThrow("needs all of HUB_PEER_TLS_CERT, HUB_PEER_TLS_KEY and HUB_PEER_TLS_CA");
    expect(() => peerTlsFromEnv({ ...base, HUB_PEERS_FILE: "", HUB_PEER_TLS_CA: "ca.pem" })).toThrow("HUB_PEERS_FILE is not");

    const dir = mkdtempSync(join(tmpdir(), "peer-tls-"));
    for (const name of ["hub.pem", "hub.key", "ca.pem"]) writeFileSync(join(dir, name), `PEM of ${name}`);
    const files = {
      HUB_PEERS_FILE: "peers.json",
      HUB_PEER_TLS_CERT: join(dir, "hub.pem"),
      HUB_PEER_TLS_KEY: join(dir, "hub.key"),
      HUB_PEER_TLS_CA: join(dir, "ca.pem"),
    };
    expect(peerTlsFromEnv({ ...files, HOST: "0.0.0.0" })).toEqual({
      certPem: "PEM of hub.pem",
      keyPem: "PEM of hub.key",
      caPem: "PEM of ca.pem",
      port: 5500,
      host: "0.0.0.0",
    });
    expect(peerTlsFromEnv({ ...files, HUB_PEER_PORT: "8443", HUB_PEER_HOST: "10.0.0.5" })).toMatchObject({
      port: 8443,
      host: "10.0.0.5",
    });
    expect(() => peerTlsFromEnv({ ...files, HUB_PEER_PORT: "https" })).toThrow("HUB_PEER_PORT must be a TCP port");
  });
});
