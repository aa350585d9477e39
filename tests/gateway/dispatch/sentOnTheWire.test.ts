/**
 * SENT means on the wire (issue 13, "honest counters"): a request is marked SENT, and counted as an attempt, when
 * undici has written it whole to the agency's connection, not when it is queued inside the hub. An agency whose port
 * refuses connections never sees the request: it stays QUEUED with no attempt, backing off round after round, while a
 * slow agency's request is SENT with one attempt as soon as it has left, long before the agency answers.
 */
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REGISTER_CASE, eventually, startTestHub, type TestHub } from "../../support/testHub.js";
import { caseNumber, residentId } from "../../support/identities.js";

const SLOW_MS = 4_000;

/** A port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let t: TestHub;

beforeAll(async () => {
  t = await startTestHub({
    agencyUrls: { TAX: `http://127.0.0.1:${await closedPort()}` },
    knobs: { VEHICLE_REGISTRY: { latencyMs: SLOW_MS } },
    requestTimeoutMs: 10_000,
    answerWithinMs: 60_000,
    dispatcher: { backoff: { firstMs: 200, maxMs: 1_000 } },
  });
}, 60_000);
afterAll(() => t?.close());

const partOf = async (number: string, agency: string) => {
  const [row] = await t.hub.db.sql.query<{ status: string; attempts: number; failed_rounds: number; sent: boolean; tries: string[] }>(
    `SELECT r.status::text AS status, r.attempts, r.failed_rounds, r.sent_at IS NOT NULL AS sent, r.tries
       FROM agency_request r JOIN enforcement_case c ON c.id = r.case_id WHERE c.case_number = $1 AND r.agency_kind = $2`,
    [number, agency],
  );
  return row;
};

describe("SENT is set when the request is on the agency's connection", () => {
  it("refused before connecting: not SENT, no attempt; slow but connected: SENT with one attempt before the answer", async () => {
    const number = caseNumber();
    const registered = await t.gql(
      REGISTER_CASE,
      {
        input: {
          caseNumber: number,
          creditorName: "开封农商银行",
          claimAmount: "100000",
          debtors: [{ kind: "PERSON", idNumber: residentId(), name: "孙八" }],
        },
      },
      await t.token("豫0225"),
    );
    expect(registered.errors).toBeUndefined();

    const slow = await eventually(
      () => partOf(number, "VEHICLE_REGISTRY"),
      (row) => row?.sent === true,
    );
    expect(slow).toMatchObject({ status: "SENT", attempts: 1 });

    const refused = await eventually(
      () => partOf(number, "TAX"),
      (row) => row?.failed_rounds >= 3,
    );
    expect(refused).toMatchObject({ status: "QUEUED", attempts: 0, sent: false });
    // Each round's tries were refused before connecting: no submission left, only lookups of the key were attempted.
    expect(refused.tries.join("; ")).toMatch(/http\S+ failed/);
    expect(refused.tries.join("; ")).not.toMatch(/submissions/);

    const answered = await eventually(
      () => partOf(number, "VEHICLE_REGISTRY"),
      (row) => row.status === "ANSWERED",
      SLOW_MS + 10_000,
    );
    expect(answered).toMatchObject({ attempts: 1, sent: true });
  });
});
