/**
 * Hubs that message each other in a test, with a sample message type the
 * tests register themselves: a note appended to a table of the receiving hub,
 * which shows every effect of a message (applied twice = two rows; out of
 * order = rows out of order).
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "../../gateway/logger.js";
import type { PeerMessage } from "../../capabilities/peering/peerEnvelope.js";
import { PeerRefusal } from "../../capabilities/peering/peerRefusal.js";
import type { Sm2KeyPairPem } from "../../gateway/signing/sm2Keys.js";
import type { PeerConfig } from "../../capabilities/peering/peerRegistry.js";
import type { PeerTlsConfig } from "../../capabilities/peering/peerTls.js";
import type { TestDatabase } from "./testDatabase.js";
import { startTestHub, type TestHub } from "./testHub.js";

export const NOTE = "SAMPLE_NOTE";
/** The note the sample handler refuses for good. */
export const REFUSED_NOTE = "refuse me";

/** `database`: shared with another instance of the same hub; `tls`: mutual TLS (tests/support/peerCertificates.ts); `clock`: the hub's. */
export async function startPeerHub(
  hubId: string,
  keys: Sm2KeyPairPem,
  peer: PeerConfig,
  { database, tls, log, clock }: { database?: TestDatabase; tls?: PeerTlsConfig; log?: Logger; clock?: () => Date } = {},
): Promise<TestHub> {
  const test = await startTestHub({
    database,
    log,
    clock,
    // Durable retries every 100 ms instead of 1 s doubling: the tests wait for the link, not for the backoff. A cut link
    // fails at once, so the request timeout can stay long enough for a loaded machine to answer within it.
    hubId,
    // One SM2 key is the hub's signature, on peer messages as on list batches and audit heads (as serveFromEnv.ts has it).
    sanctionKey: keys,
    peering: {
      privateKeyPem: keys.privateKeyPem,
      peers: [peer],
      delivery: { sweepIntervalMs: 100, requestTimeoutMs: 15_000, quickRetries: 0, retryDelayMs: () => 100 },
      tls,
    },
  });
  await test.hub.db.sql.query(
    `CREATE TABLE IF NOT EXISTS sample_note (applied bigserial PRIMARY KEY, message_id uuid, from_hub text, conversation text,
      sequence int, text text)`,
  );
  test.hub.peering!.handle<{ text: string }>(NOTE, async (message, tx) => {
    if (message.body.text === REFUSED_NOTE) throw new PeerRefusal("REJECTED", "the sample handler refuses this note");
    await tx.query(`INSERT INTO sample_note (message_id, from_hub, conversation, sequence, text) VALUES ($1, $2, $3, $4, $5)`, [
      message.id,
      message.from,
      message.conversation,
      message.sequence,
      message.body.text,
    ]);
  });
  return test;
}

/** A note as hub `from` would send it to `to`, for a test to sign (or mis-sign) and post by hand. */
export function noteMessage(from: string, to: string, overrides: Partial<PeerMessage> = {}): PeerMessage {
  return {
    id: randomUUID(),
    from,
    to,
    type: NOTE,
    conversation: `direct-${randomUUID()}`,
    sequence: 1,
    sentAt: new Date().toISOString(),
    body: { text: "direct" },
    ...overrides,
  };
}

/** Each note in its own transaction, as separate changes of a task would be. */
export async function sendNotes(
  from: TestHub,
  divisionCode: string,
  conversation: string,
  texts: string[],
  type = NOTE,
): Promise<string[]> {
  const ids: string[] = [];
  for (const text of texts) {
    const queued = await from.hub.db.sql.transaction((tx) =>
      from.hub.peering!.send(tx, { divisionCode, type, conversation, body: { text } }, { actorOrg: "豫0225", actorOfficer: "officer-1" }),
    );
    ids.push(queued.id);
  }
  from.hub.peering!.deliverNow();
  return ids;
}

/** The notes a hub applied in a conversation, in the order it applied them. */
export const notesOf = (hub: TestHub, conversation: string) =>
  hub.hub.db.sql.query<{ message_id: string; from_hub: string; sequence: number; text: string }>(
    `SELECT message_id::text AS message_id, from_hub, sequence, text FROM sample_note WHERE conversation = $1 ORDER BY applied`,
    [conversation],
  );

export const outboxOf = (hub: TestHub, conversation: string) =>
  hub.hub.db.sql.query<{
    id: string;
    sequence: number;
    type: string;
    status: string;
    attempts: number;
    acknowledgement: unknown;
    last_error: string | null;
  }>(
    `SELECT id::text AS id, sequence, type, status::text AS status, attempts, acknowledgement, last_error FROM peer_outbox WHERE
      conversation = $1 ORDER BY sequence`,
    [conversation],
  );
