/**
 * Shared pieces of the list (失信/限消) integration tests: GraphQL documents, facts for an
 * entry, registering sandbox partners with the hub, and what each partner should hold
 * according to the hub (its lists, its data profile).
 */
import { expect } from "vitest";
import { minimise, type PublishedField, type PublishedRecord } from "../../domain/sanctions/publishedFields.js";
import type { Sql } from "../../gateway/persistence/database.js";
import { openEntry, type EntryRow } from "../../capabilities/sanctions/sanctionStore.js";
import type { HeldEntry } from "../../sandbox/partners/sanctionReceiver.js";
import { caseNumber, residentId } from "./identities.js";
import { REGISTER_CASE, eventually, type TestHub } from "./testHub.js";

export const ENTRY_FIELDS = `id list status ground idNumber courtCode decisionNumber startsOn expiresOn extensionYears published
  removalReason removedOn linkedEntryId`;
export const LIST_DEBTOR = `mutation List($input: ListDishonestDebtorInput!) { listDishonestDebtor(input: $input) { created entry {
  ${ENTRY_FIELDS} } } }`;
export const RESTRICT = `mutation Restrict($input: SanctionFactsInput!) { restrictConsumption(input: $input) { created entry {
  ${ENTRY_FIELDS} } } }`;
export const EXTEND = `mutation Extend($input: ExtendSanctionInput!) { extendSanction(input: $input) { ${ENTRY_FIELDS} } }`;
export const CORRECT = `mutation Correct($input: CorrectSanctionInput!) { correctSanction(input: $input) { ${ENTRY_FIELDS} } }`;
export const REMOVE = `mutation Remove($input: RemoveSanctionInput!) { removeSanction(input: $input) { ${ENTRY_FIELDS} } }`;
export const REGISTER_PARTNER = `mutation Partner($input: SanctionPartnerInput!) { registerSanctionPartner(input: $input) { created
  snapshot partner { code active } } }`;
export const PARTNERS = `query { sanctionPartners { partner { code mode active inactiveReason publicKey } backlog dead
  oldestUnacknowledged ackedSeq } }`;
export const DEAD_LETTERS = `query Dead($partner: String) { sanctionDeadLetters(partner: $partner) { partner batchId changes
  firstSeq lastSeq attempts lastError } }`;
export const REPLAY = `mutation Replay($batchId: ID!) { replaySanctionBatch(batchId: $batchId) }`;
export const FEED = `query Feed($after: String, $first: Int) { sanctionFeed(after: $after, first: $first) { changes { seq entryId
  list idNumber debtorSeq operation status fields } endCursor hasMore } }`;
export const SNAPSHOT = `query Snapshot($after: String, $first: Int) { sanctionSnapshot(after: $after, first: $first) { changes {
  seq entryId list idNumber debtorSeq operation status fields } endCursor hasMore followFrom } }`;
export const ACK_FEED = `mutation Ack($upTo: String!) { acknowledgeSanctionFeed(upTo: $upTo) }`;

let decisionSerial = Math.floor(Math.random() * 100_000);
export function decisionNumber(court = "豫0225"): string {
  decisionSerial += 1;
  return `（2024）${court}执${decisionSerial}号之三`;
}

/** The facts a court states for an entry (失信规定 art. 6 items 3–5). */
export function facts(caseNumber: string, debtorIdNumber: string, extra: Record<string, unknown> = {}) {
  return {
    caseNumber,
    debtorIdNumber,
    decisionNumber: decisionNumber(),
    obligation: "给付申请执行人借款本金100000元及利息",
    performance: "全部未履行",
    enforcementBasis: "兰考县人民法院（2023）豫0225民初1号民事判决书",
    signedBy: "张院长",
    ...extra,
  };
}

/**
 * A removal of an entry with a fixed period (grounds 2–6): art. 10 para. 1 does not apply to it (失信规定 art. 10
 * para. 2), so it leaves early on the court's decision for active performance (art. 2 para. 3).
 */
export const EARLY_REMOVAL = {
  reason: "EARLY_REMOVAL",
  earlyRemovalBasis: "ACTIVE_PERFORMANCE",
  basisDocument: "（2024）豫0225执1号之四决定书",
} as const;

/** A new case whose one debtor the officer's court lists (ground 4, two years); its id number, case and entry. */
export async function listNewDebtor(t: TestHub, officer: string): Promise<{ debtor: string; caseNumber: string; entryId: string }> {
  const debtor = residentId();
  const number = caseNumber();
  const registered = await t.gql(
    REGISTER_CASE,
    {
      input: {
        caseNumber: number,
        creditorName: "开封农商银行",
        claimAmount: "9000.00",
        debtors: [{ kind: "PERSON", idNumber: debtor, name: "郑十一" }],
      },
    },
    officer,
  );
  expect(registered.errors).toBeUndefined();
  const listed = await t.gql(LIST_DEBTOR, { input: { ...facts(number, debtor), ground: "VIOLATES_PROPERTY_REPORTING" } }, officer);
  expect(listed.errors).toBeUndefined();
  return { debtor, caseNumber: number, entryId: listed.data.listDishonestDebtor.entry.id };
}

export interface PartnerProfile {
  code: string;
  lists: ("DISHONEST_DEBTOR" | "CONSUMPTION_RESTRICTION")[];
  fields: PublishedField[];
}

export async function registerPartner(
  t: TestHub,
  profile: PartnerProfile & {
    mode?: "PUSH" | "PULL";
    endpoint?: string;
    signing?: "SM2" | "HMAC_SM3";
    secret?: string;
    publicKey?: string;
    name?: string;
  },
): Promise<{ created: boolean; snapshot: number }> {
  const admin = await t.token("HUB", ["HUB_ADMIN"]);
  const result = await t.gql(REGISTER_PARTNER, { input: { name: profile.code, mode: "PUSH", signing: "SM2", ...profile } }, admin);
  expect(result.errors).toBeUndefined();
  return result.data.registerSanctionPartner;
}

/** What the hub says a partner must hold: its lists' entries in force, cut to its profile. */
export function expectedHoldings(t: TestHub, profile: PartnerProfile): Promise<HeldEntry[]> {
  return holdingsIn(t.hub.db.sql, profile);
}

/** The same, read from a hub's database directly (a hub process stopped by a test). */
export async function holdingsIn(sql: Pick<Sql, "query">, profile: PartnerProfile): Promise<HeldEntry[]> {
  const rows = await sql.query<{ id: string; list: string; id_number: string; published: PublishedRecord }>(
    `SELECT id::text AS id, list::text AS list, id_number, published FROM sanction_entry WHERE status = 'LISTED' AND list::text =
      ANY ($1::text[])`,
    [profile.lists],
  );
  return rows
    .map((row) => {
      const entry = openEntry(row as unknown as EntryRow);
      return { entryId: row.id, list: row.list, idNumber: entry.id_number, fields: minimise(entry.published, profile.fields) };
    })
    .sort((a, b) => a.entryId.localeCompare(b.entryId));
}

/** Waits until the hub reports nothing unacknowledged for any partner. */
export async function untilDelivered(t: TestHub, timeoutMs = 60_000): Promise<void> {
  const supervisor = await t.token("豫", ["SUPERVISOR"]);
  await eventually(
    () => t.gql(PARTNERS, {}, supervisor),
    (r) => r.data?.sanctionPartners.every((p: { backlog: number }) => p.backlog === 0),
    timeoutMs,
  );
}
