/**
 * Peer hubs as witnesses of each other's audit heads (gateway/audit/auditWitness.ts). A hub POSTs its signed
 * head to each peer's /audit-heads; the peer checks the SM2 signature with the key it has for that hub in its
 * peers file, keeps the head in its own database (the first head received at a seq stays, so a rewritten chain
 * signed later cannot displace it), and answers GET /audit-heads/<hubId> with the heads it holds, newest first,
 * for `npm run audit:verify --peer`. The heads carry their own signature, so they can be read by anyone; they
 * say nothing but a count and a hash.
 */
import type { HeadWitness } from "../../gateway/audit/auditWitness.js";
import { parseSignedHead, type SignedAuditHead, verifyAuditHead } from "../../gateway/audit/auditHead.js";
import type { Logger } from "../../gateway/logger.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { certificateMatchesPeer, type PresentedCertificate } from "./peerCertificate.js";
import type { PeerRegistry } from "./peerRegistry.js";
import type { PeerAgents } from "./peerTls.js";
import type { PeerReply } from "./peerInbox.js";

/** How many heads GET /audit-heads/<hubId> answers (the newest): the verifier needs the latest, and a few before it to locate a rewrite. */
export const WITNESSED_HEADS_ANSWERED = 1000;

/** One witness per peer hub, POSTing to its /audit-heads (over mutual TLS when configured). */
export function peerHeadWitnesses(registry: PeerRegistry, agents: PeerAgents | undefined): HeadWitness[] {
  return registry.all().map((peer) => ({
    name: `peer ${peer.hubId}`,
    async witness(head: SignedAuditHead) {
      const response = await fetch(`${peer.baseUrl}/audit-heads`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(head),
        signal: AbortSignal.timeout(10_000),
        // @ts-expect-error undici's dispatcher option is not in the DOM fetch types
        dispatcher: agents?.for(peer),
      });
      const reply = await response.text();
      if (!response.ok) throw new Error(`peer ${peer.hubId} answered ${response.status}: ${reply.slice(0, 200)}`);
    },
  }));
}

export class WitnessedHeads {
  constructor(private readonly deps: { sql: Pick<Sql, "query">; registry: PeerRegistry; log: Logger; mutualTls: boolean }) {}

  /** A POST /audit-heads body; with mutual TLS, `certificate` is the connection's client certificate. */
  async receive(raw: string, certificate?: PresentedCertificate): Promise<PeerReply> {
    let head: SignedAuditHead | undefined;
    try {
      head = parseSignedHead(JSON.parse(raw));
    } catch {
      head = undefined;
    }
    if (!head?.hubId) return refusal(400, "MALFORMED", "not a signed audit head of a named hub");
    const peer = this.deps.registry.peer(head.hubId);
    if (!peer) return refusal(403, "UNKNOWN_PEER", `no peer ${head.hubId} is configured here`);
    if (this.deps.mutualTls && !(certificate && certificateMatchesPeer(peer, certificate)))
      return refusal(403, "CERTIFICATE_MISMATCH", `the client certificate is not the one of ${peer.hubId}`);
    if (!verifyAuditHead(head, peer.publicKey))
      return refusal(403, "BAD_SIGNATURE", `the signature does not verify with ${peer.hubId}'s SM2 key`);
    const [held] = await this.deps.sql.query<{ hash: string; inserted: boolean }>(
      `WITH ins AS (
         INSERT INTO audit_head_witness (hub_id, seq, hash, at, signature) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (hub_id, seq) DO NOTHING RETURNING hash)
       SELECT hash, true AS inserted FROM ins
       UNION ALL SELECT hash, false FROM audit_head_witness WHERE hub_id = $1 AND seq = $2 AND NOT EXISTS (SELECT 1 FROM ins)`,
      [head.hubId, head.seq, head.hash, head.at, head.signature],
    );
    if (held.hash !== head.hash) {
      this.deps.log.warn(
        { hubId: head.hubId, seq: head.seq, held: held.hash, offered: head.hash },
        "a peer signed a second audit head for one seq",
      );
      return refusal(409, "FORKED_HEAD", `a different head of ${head.hubId} at seq ${head.seq} is already witnessed here`);
    }
    return { status: 200, body: JSON.stringify({ witnessed: true, seq: head.seq, first: held.inserted }) };
  }

  /** The heads held for `hubId`, newest first. */
  async of(hubId: string): Promise<SignedAuditHead[]> {
    return this.deps.sql.query<SignedAuditHead>(
      `SELECT hub_id AS "hubId", seq::int AS seq, hash, at, signature
         FROM audit_head_witness WHERE hub_id = $1 ORDER BY seq DESC LIMIT $2`,
      [hubId, WITNESSED_HEADS_ANSWERED],
    );
  }
}

function refusal(status: number, code: string, reason: string): PeerReply {
  return { status, body: JSON.stringify({ error: { code, reason } }) };
}
