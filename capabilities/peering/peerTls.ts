/**
 * The connections to peer hubs: one undici Agent per peer, each keeping to the outbound rule
 * (gateway/outbound/outboundPolicy.ts). With mutual TLS each presents this hub's certificate and
 * trusts only the CA that signs the hubs' certificates. The server at the other end must be the peer
 * itself: its certificate must fit the host name of the peer's baseUrl, as usual, and also the pin
 * the peer's own connections here are held to (peerCertificate.ts).
 */
import { checkServerIdentity, type PeerCertificate } from "node:tls";
import type { Agent } from "undici";
import { outboundAgent } from "../../gateway/outbound/outboundAgent.js";
import type { OutboundPolicy } from "../../gateway/outbound/outboundPolicy.js";
import { certificateMatchesPeer, describeCertificate } from "./peerCertificate.js";
import type { Peer } from "./peerRegistry.js";

export interface PeerTlsConfig {
  /** PEM: this hub's certificate (the same for its peer port and its connections to peers) and private key. */
  certPem: string;
  keyPem: string;
  /** PEM of the CA (or CAs) that sign the hubs' certificates; nothing else is trusted on the peer links. */
  caPem: string;
  /** The peer port (HUB_PEER_PORT, default 5500; 0 = any free port) and interface (HUB_PEER_HOST). */
  port: number;
  host: string;
}

export class PeerAgents {
  private readonly agents = new Map<string, Agent>();

  /** `tls` omitted: no mutual TLS, the peers' own certificates (or plain HTTP in development). */
  constructor(
    private readonly tls: PeerTlsConfig | undefined,
    peers: Iterable<Peer>,
    private readonly outbound: OutboundPolicy,
  ) {
    // A plain-HTTP peer would get the messages without this hub's certificate and without proof of who it is.
    for (const peer of peers) {
      if (tls && !peer.baseUrl.startsWith("https://"))
        throw new Error(`peer ${peer.hubId}: with mutual TLS its baseUrl must be https://, not ${peer.baseUrl}`);
    }
  }

  /** The peer's connections, opened at its first send (and again after close). */
  for(peer: Peer): Agent {
    let agent = this.agents.get(peer.hubId);
    if (!agent) {
      agent = this.open(peer);
      this.agents.set(peer.hubId, agent);
    }
    return agent;
  }

  private open(peer: Peer): Agent {
    const tls = this.tls;
    if (!tls) return outboundAgent(this.outbound);
    return outboundAgent(this.outbound, {
      socket: {
        cert: tls.certPem,
        key: tls.keyPem,
        ca: tls.caPem,
        checkServerIdentity: (host: string, certificate: PeerCertificate) => {
          const wrongHost = checkServerIdentity(host, certificate);
          if (wrongHost) return wrongHost;
          if (certificateMatchesPeer(peer, certificate)) return undefined;
          const presented = describeCertificate(certificate);
          return new Error(
            `the server's certificate (CN ${presented.commonName}, SHA-256 ${presented.sha256}) is not the one of ${peer.hubId}`,
          );
        },
      },
    });
  }

  /** Closes the connections; a later send opens new ones (peering may be stopped and started again). */
  async close(): Promise<void> {
    const open = [...this.agents.entries()];
    this.agents.clear();
    await Promise.all(open.map(([, agent]) => agent.close()));
  }
}
