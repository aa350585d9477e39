/**
 * Mutual TLS between hubs from the environment: HUB_PEER_TLS_CERT, _KEY, _CA (PEM files),
 * HUB_PEER_PORT, HUB_PEER_HOST; unset = peers POST to the main port. Read by the hub's
 * entry (gateway/main.ts) beside gateway/config.ts, which knows nothing of peering.
 */
import { readFileSync } from "node:fs";
import type { PeerTlsConfig } from "./peerTls.js";

export function peerTlsFromEnv(env: NodeJS.ProcessEnv): PeerTlsConfig | undefined {
  const files = { cert: env.HUB_PEER_TLS_CERT, key: env.HUB_PEER_TLS_KEY, ca: env.HUB_PEER_TLS_CA };
  const given = Object.values(files).filter(Boolean).length;
  if (given === 0) return undefined;
  // Half a TLS configuration would silently leave the peer links in plain HTTP.
  if (given < 3) throw new Error("mutual TLS between hubs needs all of HUB_PEER_TLS_CERT, HUB_PEER_TLS_KEY and HUB_PEER_TLS_CA");
  if (!env.HUB_PEERS_FILE) throw new Error("HUB_PEER_TLS_* is set but HUB_PEERS_FILE is not: there are no peers to talk to");
  return {
    certPem: readFileSync(files.cert!, "utf8"),
    keyPem: readFileSync(files.key!, "utf8"),
    caPem: readFileSync(files.ca!, "utf8"),
    port: env.HUB_PEER_PORT ? tcpPort("HUB_PEER_PORT", env.HUB_PEER_PORT) : 5500,
    host: env.HUB_PEER_HOST || env.HOST || "127.0.0.1",
  };
}

function tcpPort(name: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535)
    throw new Error(`${name} must be a TCP port, got ${JSON.stringify(value)}`);
  return parsed;
}
