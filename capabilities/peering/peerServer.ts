/**
 * The peer port, for hubs configured with mutual TLS (HUB_PEER_TLS_*): POST
 * /peer-messages and POST /audit-heads (auditHeadWitness.ts) over HTTPS, and nothing else. The TLS layer admits only a
 * client whose certificate the hubs' CA signed; the inbox then checks that it is
 * the certificate of the hub the message names (CERTIFICATE_MISMATCH otherwise).
 * The main port answers 404 on /peer-messages meanwhile, so no peer message
 * arrives around TLS.
 */
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import type { Logger } from "../../gateway/logger.js";
import type { PeerMessaging } from "./peerMessaging.js";
import type { PeerTlsConfig } from "./peerTls.js";
import { readBody } from "../../gateway/http/apolloHandler.js";

export interface PeerServer {
  /** https://host:port, what peers put in their baseUrl for this hub (behind whatever name the certificate carries). */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startPeerServer(deps: { peering: PeerMessaging; tls: PeerTlsConfig; log: Logger }): Promise<PeerServer> {
  const { peering, tls, log } = deps;
  const server: Server = createServer(
    { cert: tls.certPem, key: tls.keyPem, ca: tls.caPem, requestCert: true, rejectUnauthorized: true },
    (request, response) => {
      const path = (request.url ?? "/").split("?")[0];
      if ((path !== "/peer-messages" && path !== "/audit-heads") || request.method !== "POST") {
        response.writeHead(404, { "content-type": "text/plain" }).end("not found; peer messages are POSTed to /peer-messages");
        return;
      }
      const certificate = (request.socket as TLSSocket).getPeerCertificate();
      readBody(request)
        .then((body) => (path === "/audit-heads" ? peering.witnessedHeads.receive(body, certificate) : peering.accept(body, certificate)))
        .then((reply) => response.writeHead(reply.status, { "content-type": "application/json" }).end(reply.body))
        .catch((error: unknown) => {
          log.error({ err: error, path }, "peer message failed");
          if (!response.headersSent) response.writeHead((error as { status?: number }).status ?? 500, { "content-type": "text/plain" });
          response.end();
        });
    },
  );
  // Refused before any message is read (no certificate, or one the CA did not sign): only the log can tell.
  server.on("tlsClientError", (error, socket) =>
    log.warn({ reason: error.message, remote: socket.remoteAddress }, "peer connection refused by TLS"),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(tls.port, tls.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://${tls.host.includes(":") ? `[${tls.host}]` : tls.host}:${port}`,
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A peer's kept-alive connection would otherwise hold the port open until it times out.
        server.closeAllConnections();
      });
    },
  };
}
