/**
 * POST /peer-messages and POST /audit-heads on the hub's main port, for peers without mutual TLS (with it,
 * they are received on the peer port only, peerServer.ts, and the main port answers 404); GET
 * /audit-heads/<hubId>, the heads witnessed for a hub (auditHeadWitness.ts), on the main port either way.
 */
import { readBody } from "../../gateway/http/apolloHandler.js";
import type { HttpRoute } from "../../gateway/http/httpRoute.js";
import type { PeerMessaging } from "./peerMessaging.js";

export function peerMessageRoute(peering: PeerMessaging): HttpRoute {
  return {
    method: "POST",
    path: "/peer-messages",
    async handle(request, response, _path, maxBodyBytes) {
      const reply = await peering.accept(await readBody(request, maxBodyBytes));
      response.writeHead(reply.status, { "content-type": "application/json" }).end(reply.body);
    },
  };
}

export function auditHeadRoute(peering: PeerMessaging): HttpRoute {
  return {
    method: "POST",
    path: "/audit-heads",
    async handle(request, response, _path, maxBodyBytes) {
      const reply = await peering.witnessedHeads.receive(await readBody(request, maxBodyBytes));
      response.writeHead(reply.status, { "content-type": "application/json" }).end(reply.body);
    },
  };
}

export function witnessedHeadsRoute(peering: PeerMessaging): HttpRoute {
  return {
    method: "GET",
    path: "/audit-heads/",
    async handle(_request, response, path) {
      let hubId: string;
      try {
        hubId = decodeURIComponent(path.slice("/audit-heads/".length));
      } catch {
        response
          .writeHead(400, { "content-type": "application/json" })
          .end(JSON.stringify({ error: { code: "MALFORMED", reason: "bad hub id" } }));
        return;
      }
      const heads = await peering.witnessedHeads.of(hubId);
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ hubId, heads }));
    },
  };
}
