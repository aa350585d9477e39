/**
 * `inquiryUpdates(caseNumber)` over WebSocket (graphql-ws): a case system
 * subscribed to its case hears every part of every inquiry move from QUEUED to
 * a final status, learns from `openParts: 0` that the inquiry is complete, never
 * hears about other cases, and may not listen to another court's case at all.
 */
import type { Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENCY_KINDS } from "../../../connectors/connector.js";
import { WS_UNAUTHENTICATED } from "../../../gateway/http/hubServer.js";
import { craftToken } from "../../support/craftedTokens.js";
import { caseNumber, residentId } from "../../support/identities.js";
import { collect, type Stream } from "../../support/subscriptionStream.js";
import { REGISTER_CASE, eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const UPDATES = `subscription Updates($caseNumber: String!) {
  inquiryUpdates(caseNumber: $caseNumber) { caseId inquiryId partId agency status openParts part { id agency status } }
}`;
const REQUEST_INQUIRY = `mutation Inquire($input: InquiryRequestInput!) { requestInquiry(input: $input) { id parts { id agency } } }`;
const INQUIRY = `query Inquiry($id: ID!) { inquiry(id: $id) { complete parts { id status } } }`;
const FINAL = ["ANSWERED", "REFUSED", "FAILED", "TIMED_OUT"];

let t: TestHub;
let officer: string;
const caseA = { number: caseNumber(), debtor: residentId(), id: "" };
const caseB = { number: caseNumber(), debtor: residentId(), id: "" };

beforeAll(async () => {
  t = await startTestHub();
  officer = await t.token("豫0225");
  for (const c of [caseA, caseB]) {
    const registered = await t.gql(
      REGISTER_CASE,
      {
        input: {
          caseNumber: c.number,
          creditorName: "开封农商银行",
          claimAmount: "90000",
          debtors: [{ kind: "PERSON", idNumber: c.debtor, name: "钱七" }],
        },
      },
      officer,
    );
    expect(registered.errors).toBeUndefined();
    c.id = registered.data.registerCase.case.id;
  }
});
afterAll(() => t?.close());

/** Subscribes and collects what arrives. */
const subscribe = (client: Client, number: string): Stream => collect(client, UPDATES, { caseNumber: number }, "inquiryUpdates");

const inquire = (c: typeof caseA, agencies?: string[]) =>
  t
    .gql(REQUEST_INQUIRY, { input: { caseNumber: c.number, debtorIdNumber: c.debtor, purpose: "订阅测试", agencies } }, officer)
    .then((r) => {
      expect(r.errors).toBeUndefined();
      return r.data.requestInquiry as { id: string; parts: { id: string; agency: string }[] };
    });

const waitFor = (stream: Stream, done: (events: any[]) => boolean, timeoutMs = 15_000) =>
  eventually(async () => stream.events, done, timeoutMs);

/**
 * graphql-ws does not acknowledge a subscription, and the hub subscribes only after checking
 * access (a database read). So before counting on events, send small probe inquiries until one
 * is heard: from then on the subscription is live and nothing published can be missed.
 */
async function untilLive(stream: Stream, c: typeof caseA): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const probe = await inquire(c, ["CREDIT_PLATFORM"]);
    try {
      await waitFor(stream, (events) => events.some((e) => e.inquiryId === probe.id && e.openParts === 0), 1_500);
      return;
    } catch {
      // Subscribed only after the probe finished: try again.
    }
  }
  throw new Error(`subscription never went live; errors: ${JSON.stringify(stream.errors)}`);
}

describe("inquiryUpdates", () => {
  it("delivers QUEUED and then a final status for every part; the last event says openParts 0", async () => {
    const stream = subscribe(t.ws(officer), caseA.number);
    await untilLive(stream, caseA);
    const inquiry = await inquire(caseA);
    expect(inquiry.parts).toHaveLength(AGENCY_KINDS.length);
    const mine = () => stream.events.filter((e) => e.inquiryId === inquiry.id);
    await waitFor(stream, () => mine().some((e) => e.openParts === 0));
    // Nothing more may follow the completing event; give a straggler the chance to show up.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const events = mine();
    expect(stream.errors).toEqual([]);

    for (const part of inquiry.parts) {
      const ofPart = events.filter((e) => e.partId === part.id);
      expect(ofPart.every((e) => e.agency === part.agency && e.caseId === caseA.id)).toBe(true);
      // First QUEUED (as recorded, with every part open), last the one final status;
      // in between only AWAITING (ticket agencies) or QUEUED again (a retry).
      expect(ofPart[0]).toMatchObject({ status: "QUEUED", openParts: AGENCY_KINDS.length });
      const final = ofPart.filter((e) => FINAL.includes(e.status));
      expect(final, `${part.agency}: ${ofPart.map((e) => e.status)}`).toHaveLength(1);
      expect(ofPart.at(-1)).toBe(final[0]);
      expect(ofPart.slice(1, -1).every((e) => e.status === "AWAITING" || e.status === "QUEUED")).toBe(true);
      // The part field is the part's current state, read from the database.
      expect(ofPart.at(-1).part).toMatchObject({ id: part.id, agency: part.agency, status: final[0].status });
    }
    // Final events count the parts still open down to 0; the completing one comes last.
    const finals = events.filter((e) => FINAL.includes(e.status));
    expect(finals.map((e) => e.openParts).sort((a, b) => a - b)).toEqual(AGENCY_KINDS.map((_, i) => i));
    expect(events.at(-1).openParts).toBe(0);
    expect(events.at(-1).status).toBe("ANSWERED");
    // And the query agrees: the inquiry is complete.
    const queried = await t.gql(INQUIRY, { id: inquiry.id }, officer);
    expect(queried.data.inquiry.complete).toBe(true);
    stream.stop();
  });

  it("does not deliver events of other cases", async () => {
    const stream = subscribe(t.ws(officer), caseA.number);
    await untilLive(stream, caseA);
    const other = await inquire(caseB);
    const own = await inquire(caseA, ["POLICE", "TAX"]);
    await waitFor(stream, (events) => events.some((e) => e.inquiryId === own.id && e.openParts === 0));
    // Case B's inquiry finished too (so its events were published) but none reached this subscriber.
    await eventually(
      () => t.gql(INQUIRY, { id: other.id }, officer),
      (r) => r.data?.inquiry.complete === true,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stream.events.length).toBeGreaterThan(0);
    expect(stream.events.every((e) => e.caseId === caseA.id)).toBe(true);
    expect(stream.events.some((e) => e.inquiryId === other.id)).toBe(false);
    stream.stop();
  });

  it("a supervisor may follow another court's case", async () => {
    const supervisor = await t.token("豫", ["SUPERVISOR"], "command-centre");
    const stream = subscribe(t.ws(supervisor), caseA.number);
    await untilLive(stream, caseA);
    expect(stream.errors).toEqual([]);
    stream.stop();
  });
});

describe("inquiryUpdates refuses", () => {
  /** Waits for the subscription to end, and returns its one error. */
  async function refused(
    stream: Stream,
  ): Promise<{ message: string; extensions?: Record<string, unknown>; code?: number; reason?: string }> {
    await eventually(
      async () => stream.completed,
      (done) => done,
      5_000,
    );
    expect(stream.events).toEqual([]);
    expect(stream.errors).toHaveLength(1);
    return stream.errors[0];
  }

  it("another court's case: FORBIDDEN", async () => {
    const stream = subscribe(t.ws(await t.token("豫0223")), caseA.number);
    expect((await refused(stream)).extensions).toMatchObject({ code: "FORBIDDEN", reason: "OTHER_COURTS_CASE" });
  });

  it("no token in connection_init: the socket is closed (4403) before anything is subscribed", async () => {
    const stream = subscribe(t.ws(), caseA.number);
    expect(await refused(stream)).toMatchObject({ code: 4403 });
  });

  it("an expired or garbage token: the connection is closed at connection_init with 4401 and the reason", async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await craftToken(t.keys, { iat: now - 7200, exp: now - 3600 });
    const stale = subscribe(t.ws(expired), caseA.number);
    expect(await refused(stale)).toMatchObject({ code: WS_UNAUTHENTICATED, reason: "TOKEN_EXPIRED" });
    const garbage = subscribe(t.ws("garbage"), caseA.number);
    expect(await refused(garbage)).toMatchObject({ code: WS_UNAUTHENTICATED, reason: "TOKEN_INVALID" });
  });

  it("a subscription does not outlive its token: the connection closes with 4401 when it expires", async () => {
    const now = Math.floor(Date.now() / 1000);
    const stream = subscribe(t.ws(await craftToken(t.keys, { iat: now, exp: now + 5 })), caseA.number);
    await untilLive(stream, caseA);
    await eventually(
      async () => stream.completed,
      (done) => done,
      10_000,
    );
    expect(stream.errors).toEqual([expect.objectContaining({ code: WS_UNAUTHENTICATED, reason: "TOKEN_EXPIRED" })]);
  });

  it("an unknown case: CASE_NOT_FOUND; a malformed number: BAD_USER_INPUT", async () => {
    const unknown = subscribe(t.ws(officer), caseNumber());
    expect((await refused(unknown)).extensions).toMatchObject({ code: "CASE_NOT_FOUND" });
    const malformed = subscribe(t.ws(officer), "not a case number");
    expect((await refused(malformed)).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "caseNumber" });
  });
});
