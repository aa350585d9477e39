/**
 * POST /peer-messages on the hub's main port, for peers without mutual TLS (with it, they are
 * received on the peer port only, peerServer.ts, and the main port answers 404).
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
