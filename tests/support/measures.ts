/**
 * Shared pieces of the control-measure (控) integration tests: the GraphQL
 * documents, a panel decision, debtors whose sandbox profile holds a flat or a
 * vehicle nobody has sealed, cases registered with their first inquiry done,
 * measureUpdates streams, and the footprint a refused order must not leave.
 */
import type { Client } from "graphql-ws";
import { expect } from "vitest";
import { addDays } from "../../domain/measures/periodDates.js";
import { parseYuan } from "../../domain/measures/yuan.js";
import { debtorProfile, type DepositAccount, type EquityHolding, type Flat, type Vehicle } from "../../sandbox/debtorProfile.js";
import { caseNumber, residentId } from "./identities.js";
import { CASE_INQUIRIES, REGISTER_CASE, collect, eventually, type Collected, type GraphQLResult, type TestHub } from "./testHub.js";

export const MEASURE_FIELDS = `id kind status agency assetIdentifier assetCategory assetId value startsOn expiresOn rank effectiveFrom
  agencyReference noticeNumber decision { decisionNumber decisionDate judges } overrideReason orderedBy releasedAt lapsedAt
    lastError createdAt delegatedTaskId policeAssistanceId`;

export const ORDER_MEASURE = `mutation Order($input: MeasureOrderInput!) { orderMeasure(input: $input) { created measure {
  ${MEASURE_FIELDS} } } }`;
export const RELEASE_MEASURE = `mutation Release($input: MeasureChangeInput!) { releaseMeasure(input: $input) { ${MEASURE_FIELDS} } }`;
export const RENEW_MEASURE = `mutation Renew($input: MeasureRenewalInput!) { renewMeasure(input: $input) { ${MEASURE_FIELDS} } }`;
export const MEASURE = `query Measure($id: ID!) { measure(id: $id) { ${MEASURE_FIELDS} } }`;
export const MEASURES_EXPIRING = `query Expiring($withinDays: Int!) { measuresExpiring(withinDays: $withinDays) { id kind status
  assetIdentifier expiresOn } }`;
export const CASE_MEASURES = `query CaseMeasures($caseNumber: String!) { case(caseNumber: $caseNumber) { measures(first: 100) {
  edges { node { ${MEASURE_FIELDS} } } } } }`;
export const AUDIT_TRAIL = `query Trail($caseNumber: String!, $after: String) {
  auditTrail(caseNumber: $caseNumber, first: 100, after: $after) {
    edges { node { action actorOrg actorOfficer subjectId purpose detail sentDigest replyDigest } } pageInfo { hasNextPage endCursor } }
}`;
export const REQUEST_INQUIRY = `mutation Inquire($input: InquiryRequestInput!) { requestInquiry(input: $input) { id } }`;
export const INQUIRY_ASSETS = `query Inquiry($id: ID!) { inquiry(id: $id) { complete parts { agency status
  assets { id identifier estimatedValue encumbrances { type byAuthority reference since rank } } } } }`;
export const MEASURE_UPDATES = `subscription Updates($caseNumber: String!) { measureUpdates(caseNumber: $caseNumber) { caseId
  measureId status warningDays } }`;

export const JUDGES = ["张三", "李四", "王五"];

/** A collegial-panel decision of three judges dated `date` (Henan High Court supervision opinion, items 1 and 6). */
export function panel(
  date: string,
  number = "（2024）豫0225执123号之一",
): { decisionNumber: string; decisionDate: string; judges: string[] } {
  return { decisionNumber: number, decisionDate: date, judges: [...JUDGES] };
}

let noticeSerial = Math.floor(Math.random() * 100_000);
/** A fresh 协助执行通知书 number. */
export function noticeNumber(court = "豫0225"): string {
  noticeSerial += 1;
  return `（2024）${court}执${noticeSerial}号之二`;
}

/** No other court's measure on it: mortgages and pledges (股权出质) are rights, not measures. */
const unsealed = (encumbrances: readonly { type: string }[]) => encumbrances.every((e) => e.type === "MORTGAGE" || e.type === "PLEDGE");
/** No seal, and no mortgage whose secured claim would be netted from its value (overSeizure.ts). */
const unencumbered = (encumbrances: readonly unknown[]) => encumbrances.length === 0;

/**
 * A person the sandbox gives a flat that no other court has sealed and nobody holds a mortgage on (so the first seal on
 * it takes effect), and, when asked, a vehicle in the same state, a bank account holding at least
 * `account.balance` yuan, a stake in a company no court has frozen, or a tax refund due; chosen deterministically
 * from the profile.
 */
export function debtorWith(needs: {
  flat?: boolean;
  vehicle?: boolean;
  account?: { balance: string };
  equity?: boolean;
  refund?: boolean;
}): {
  idNumber: string;
  flat: Flat;
  vehicle: Vehicle;
  account: DepositAccount;
  equity: EquityHolding;
  /** A tax refund due, by the bureau's refund number. */
  refund: { refundNumber: string; amount: string };
} {
  const cents = (yuan: string) => (parseYuan(yuan) as { cents: bigint }).cents;
  for (;;) {
    const idNumber = residentId();
    const profile = debtorProfile(idNumber);
    const flat = profile.flats.find((f) => unencumbered(f.encumbrances));
    const vehicle = profile.vehicles.find((v) => unsealed(v.restrictions));
    const account = needs.account && profile.accounts.find((a) => cents(a.balance) >= cents(needs.account!.balance));
    // A stake with capital paid in, so the freeze has a value to weigh against the claim.
    const equity = profile.equities.find((e) => unsealed(e.encumbrances) && cents(e.paidCapital) > 0n);
    const { refundNumber, refundsDue } = profile.tax;
    if ((needs.flat && !flat) || (needs.vehicle && !vehicle) || (needs.account && !account) || (needs.equity && !equity)) continue;
    if (needs.refund && !refundNumber) continue;
    return {
      idNumber,
      flat: flat!,
      vehicle: vehicle!,
      account: account!,
      equity: equity!,
      refund: { refundNumber: refundNumber!, amount: refundsDue },
    };
  }
}

export interface RegisteredCase {
  caseNumber: string;
  caseId: string;
  debtor: string;
  /** Asset ids this case's first inquiry found, by registry identifier (certificate number, plate). */
  assetIds: Map<string, string>;
}

/** Registers a case for one debtor and waits until its first inquiry has found everything. */
export async function registerCase(
  t: TestHub,
  token: string,
  input: { court?: string; debtor: string; claimAmount: string; number?: string },
): Promise<RegisteredCase> {
  const number = input.number ?? caseNumber(input.court);
  const registered = await t.gql(
    REGISTER_CASE,
    {
      input: {
        caseNumber: number,
        creditorName: "开封农商银行",
        claimAmount: input.claimAmount,
        debtors: [{ kind: "PERSON", idNumber: input.debtor, name: "孙八" }],
      },
    },
    token,
  );
  expect(registered.errors).toBeUndefined();
  const done = await eventually(
    () => t.gql(CASE_INQUIRIES, { caseNumber: number }, token),
    (r) => r.data?.case.inquiries.edges[0]?.node.complete === true,
  );
  const assetIds = new Map<string, string>();
  for (const part of done.data.case.inquiries.edges[0].node.parts) {
    for (const asset of part.assets ?? []) assetIds.set(asset.identifier, asset.id);
  }
  return { caseNumber: number, caseId: registered.data.registerCase.case.id, debtor: input.debtor, assetIds };
}

export interface AuditRow {
  action: string;
  actorOrg: string;
  actorOfficer: string | null;
  subjectId: string | null;
  purpose: string | null;
  detail: any;
  sentDigest: string | null;
  replyDigest: string | null;
}

/** A case's whole audit trail, oldest first, read page by page as its court sees it. */
export async function auditTrail(t: TestHub, token: string, number: string): Promise<AuditRow[]> {
  const rows: AuditRow[] = [];
  for (let after: string | undefined; ; ) {
    const page = await t.gql(AUDIT_TRAIL, { caseNumber: number, after }, token);
    expect(page.errors).toBeUndefined();
    rows.push(...page.data.auditTrail.edges.map((edge: { node: AuditRow }) => edge.node));
    if (!page.data.auditTrail.pageInfo.hasNextPage) return rows;
    after = page.data.auditTrail.pageInfo.endCursor;
  }
}

/** The GraphQL errors' first extensions, failing clearly when the call did not fail. */
export function refusalOf(result: GraphQLResult): Record<string, any> {
  expect(result.errors, `expected a refusal, got ${JSON.stringify(result.data)}`).toBeDefined();
  expect(result.errors).toHaveLength(1);
  return result.errors![0].extensions ?? {};
}

export type Stream = Collected<{ caseId: string; measureId: string; status: string; warningDays: number | null }>;

export function subscribeMeasures(client: Client, number: string): Stream {
  return collect(client, MEASURE_UPDATES, "measureUpdates", { caseNumber: number });
}

/**
 * graphql-ws does not acknowledge a subscription, and the hub subscribes only after a database
 * read, so before counting on events, probe until one is heard. A probe is an order the registry
 * refuses (a certificate the debtor does not hold, valued at one yuan): it changes nothing at the
 * agency, holds no value against the over-seizure limit once refused, and announces REFUSED.
 */
export async function untilLive(t: TestHub, token: string, stream: Stream, c: RegisteredCase, today: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const probe = await t.gql(
      ORDER_MEASURE,
      {
        input: {
          caseNumber: c.caseNumber,
          debtorIdNumber: c.debtor,
          kind: "SEAL",
          asset: { agency: "PROPERTY_REGISTRY", identifier: `探测(${attempt})不动产权第0000000号`, category: "REAL_ESTATE", value: "1" },
          startsOn: today,
          expiresOn: addDays(today, 30),
          notice: { number: noticeNumber(), date: today },
          decision: panel(today),
        },
      },
      token,
    );
    expect(probe.errors).toBeUndefined();
    const id = probe.data.orderMeasure.measure.id;
    try {
      await eventually(
        async () => stream.events,
        (events) => events.some((e) => e.measureId === id && e.status === "REFUSED"),
        1_500,
      );
      return;
    } catch {
      // Subscribed only after the probe was refused: try again.
    }
  }
  throw new Error(`measureUpdates never went live; errors: ${JSON.stringify(stream.errors)}`);
}

export interface Footprint {
  measures: number;
  requests: number;
  audit: number;
  submissions: number;
}

/** What an order could leave behind: measure, agency request and audit rows, and submissions the agencies received. */
export async function footprint(t: TestHub): Promise<Footprint> {
  const [rows] = await t.hub.db.sql.query<Omit<Footprint, "submissions">>(
    `SELECT (SELECT count(*)::int FROM measure) AS measures,
            (SELECT count(*)::int FROM agency_request) AS requests,
            (SELECT count(*)::int FROM audit_event) AS audit`,
  );
  const submissions = Object.values(t.sandbox.agencies).reduce((sum, agency) => sum + agency.stats.submissions, 0);
  return { ...rows, submissions };
}

/** Waits until no agency request is open, so background work is not mistaken for a refused order's. */
export async function quiet(t: TestHub): Promise<void> {
  await eventually(
    () =>
      t.hub.db.sql.query<{ open: number }>(
        `SELECT count(*)::int AS open FROM agency_request WHERE status IN ('QUEUED', 'SENT', 'AWAITING')`,
      ),
    (rows) => rows[0].open === 0,
  );
}

/** The control requests recorded for a measure, oldest first, with their action and final status. */
export async function controlRequests(t: TestHub, measureId: string): Promise<{ id: string; action: string; status: string }[]> {
  return t.hub.db.sql.query(
    `SELECT id::text AS id, payload->>'action' AS action, status::text AS status FROM agency_request
      WHERE measure_id = $1::uuid ORDER BY created_at, id`,
    [measureId],
  );
}
