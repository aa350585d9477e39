/**
 * Which hubs this hub exchanges messages with, modelled on an X-Road security
 * server's configuration: each peer's id, address and SM2 public key, the
 * provinces (two-digit division prefixes, GB/T 2260) whose courts it serves,
 * the message types it is allowed to send here (access per peer and per type),
 * and, with mutual TLS, which certificate it must present (peerCertificate.ts).
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { ConfigError, endpointUrl, readConfigFile } from "../../gateway/configFile.js";
import type { OutboundPolicy } from "../../gateway/outbound/outboundPolicy.js";
import { type Sm2PublicKey, sm2PublicKey } from "../../gateway/signing/sm2.js";
import { checkCertificatePin, type CertificatePin } from "./peerCertificate.js";

export interface PeerConfig {
  hubId: string;
  /** Where its /peer-messages endpoint is, e.g. https://hub.ah.court.example. */
  baseUrl: string;
  /** Its SM2 public key: SPKI PEM or 04‖x‖y hex. */
  publicKeyPem: string;
  /** The signer ID it signs with, agreed with it; @default "1234567812345678" (GB/T 35276) */
  signerId?: string;
  /** Two-digit province prefixes of division codes, e.g. ["34"] for Anhui. */
  provinces: string[];
  /** Message types this hub accepts from that peer. */
  accepts: string[];
  /** With mutual TLS, the certificate it must present; default: subject CN = hubId. */
  certificate?: CertificatePin;
}

export interface Peer extends PeerConfig {
  publicKey: Sm2PublicKey;
}

export class PeerRegistry {
  private readonly byId = new Map<string, Peer>();
  private readonly byProvince = new Map<string, Peer>();

  constructor(peers: PeerConfig[]) {
    for (const config of peers) {
      if (this.byId.has(config.hubId)) throw new Error(`peer ${config.hubId} is configured twice`);
      const badPin = config.certificate && checkCertificatePin(config.certificate);
      if (badPin) throw new Error(`peer ${config.hubId}: certificate: ${badPin}`);
      const peer = {
        ...config,
        baseUrl: config.baseUrl.replace(/\/+$/, ""),
        publicKey: sm2PublicKey(config.publicKeyPem, config.signerId),
      };
      this.byId.set(peer.hubId, peer);
      for (const province of peer.provinces) {
        if (!/^\d{2}$/.test(province))
          throw new Error(`peer ${peer.hubId}: province ${JSON.stringify(province)} is not a two-digit division prefix`);
        const other = this.byProvince.get(province);
        if (other) throw new Error(`province ${province} is served by both ${other.hubId} and ${peer.hubId}`);
        this.byProvince.set(province, peer);
      }
    }
  }

  all(): Peer[] {
    return [...this.byId.values()];
  }

  peer(hubId: string): Peer | undefined {
    return this.byId.get(hubId);
  }

  /** The peer serving the province of a six-digit division code, if another hub serves it. */
  forDivision(divisionCode: string): Peer | undefined {
    return this.byProvince.get(divisionCode.slice(0, 2));
  }

  mayReceive(peer: Peer, type: string): boolean {
    return peer.accepts.includes(type);
  }
}

/** HUB_PEERS_FILE: each peer's key inline (`publicKey`, PEM or hex) or in a file (`publicKeyFile`, relative to the peers file). */
function peersFileSchema(outbound: OutboundPolicy) {
  const text = z.string().min(1);
  const peer = z.strictObject({
    hubId: text,
    baseUrl: endpointUrl(outbound),
    publicKey: text.optional(),
    publicKeyFile: text.optional(),
    signerId: text.optional(),
    provinces: z.array(text).optional(),
    accepts: z.array(text).optional(),
    certificate: z.union([z.strictObject({ sha256: text }), z.strictObject({ commonName: text })]).optional(),
  });
  return z.strictObject({ peers: z.array(peer) });
}

export function readPeersFile(path: string, outbound: OutboundPolicy): PeerConfig[] {
  return readConfigFile(path, peersFileSchema(outbound)).peers.map(({ publicKey, publicKeyFile, ...peer }, index) => {
    const publicKeyPem = publicKey ?? (publicKeyFile ? readFileSync(resolve(dirname(path), publicKeyFile), "utf8") : undefined);
    if (!publicKeyPem) throw new ConfigError(`${path}: peers.${index}.publicKey: is missing: give publicKey or publicKeyFile`);
    return { ...peer, provinces: peer.provinces ?? [], accepts: peer.accepts ?? [], publicKeyPem };
  });
}
