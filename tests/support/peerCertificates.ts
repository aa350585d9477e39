/**
 * Certificates for mutual TLS between test hubs, made with the `openssl` command
 * line as an operator would (README, "Between hubs"): a CA, and per hub an EC
 * P-256 key and a certificate with CN = the hub's id, valid for 127.0.0.1, for
 * both the server and the client side of a TLS connection.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PeerTlsConfig } from "../../capabilities/peering/peerTls.js";

export interface HubCertificate {
  certPem: string;
  keyPem: string;
  /** As `openssl x509 -fingerprint -sha256` prints it ("AB:CD:…"), for a `{ sha256 }` pin. */
  sha256: string;
}

export interface PeerCertificates {
  caPem: string;
  hub(hubId: string): HubCertificate;
  /** A hub's peering.tls: its certificate, this CA, the peer port on any free port of 127.0.0.1. */
  tlsFor(hubId: string): PeerTlsConfig;
  remove(): void;
}

const openssl = (dir: string, ...args: string[]) =>
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] }).toString();

export function makePeerCertificates(hubIds: string[]): PeerCertificates {
  const dir = mkdtempSync(join(tmpdir(), "hub-peer-certs-"));
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  openssl(
    dir,
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=test hubs CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
  writeFileSync(
    join(dir, "hub.ext"),
    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth," +
      "clientAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n",
  );
  const hubs = new Map<string, HubCertificate>();
  for (const hubId of hubIds) {
    openssl(dir, "req", ...ec, "-keyout", `${hubId}.key`, "-out", `${hubId}.csr`, "-subj", `/CN=${hubId}`);
    openssl(
      dir,
      "x509",
      "-req",
      "-in",
      `${hubId}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      "hub.ext",
      "-out",
      `${hubId}.pem`,
    );
    const fingerprint = openssl(dir, "x509", "-in", `${hubId}.pem`, "-noout", "-fingerprint", "-sha256");
    hubs.set(hubId, {
      certPem: readFileSync(join(dir, `${hubId}.pem`), "utf8"),
      keyPem: readFileSync(join(dir, `${hubId}.key`), "utf8"),
      sha256: fingerprint.trim().split("=")[1],
    });
  }
  const caPem = readFileSync(join(dir, "ca.pem"), "utf8");
  const hub = (hubId: string) => {
    const certificate = hubs.get(hubId);
    if (!certificate) throw new Error(`no certificate was made for ${hubId}`);
    return certificate;
  };
  return {
    caPem,
    hub,
    tlsFor: (hubId) => ({ certPem: hub(hubId).certPem, keyPem: hub(hubId).keyPem, caPem, port: 0, host: "127.0.0.1" }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
