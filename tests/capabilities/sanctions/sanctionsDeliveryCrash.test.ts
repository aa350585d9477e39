/**
 * List delivery across a crash: the hub, as a child process, has a large backlog of list
 * changes (listings, restrictions, corrections, removals) to push to three sandbox partners
 * when it is killed outright (SIGKILL) the moment a partner has applied a batch and before the
 * hub reads the acknowledgement. Started again on the same data, it takes the killed run's
 * batches over once their lease (HUB_SANCTION_LEASE_MS) ends and sends them again. At the end
 * every partner holds exactly what the hub says it must (its lists' entries in force, within
 * its data profile), no debtor's changes were applied out of order, and the batch sent twice
 * had no second effect: the partner dropped each repeated change by its debtor sequence number.
 *
 * Uses crashHarness.ts, like the other crash tests; the partners run in this process so their
 * state and counters can be read directly.
 */
import { describe, expect, it } from "vitest";
import { startPartner, type RunningPartner } from "../../../sandbox/partners/partnerAgency.js";
import { useCrashHarness } from "../../support/crashHarness.js";
import { caseNumber, residentId } from "../../support/identities.js";
import {
  CORRECT,
  LIST_DEBTOR,
  PARTNERS,
  REGISTER_PARTNER,
  REMOVE,
  facts,
  holdingsIn,
  type PartnerProfile,
  EARLY_REMOVAL,
} from "../../support/sanctions.js";
import { REGISTER_CASE, eventually } from "../../support/testHub.js";

const CASES = 3;
const DEBTORS_PER_CASE = 20;
const CONCURRENCY = 6;
const BATCH_SIZE = 5;
/** While the changes are written, each batch takes a second to be answered, so a backlog builds up. */
const SLOW_PARTNER_MS = 1_000;

const h = useCrashHarness({
  name: "hub-sanctions-crash",
  env: { HUB_SANCTION_LEASE_MS: "2000", HUB_SANCTION_BATCH_SIZE: String(BATCH_SIZE) },
});

interface Partner extends PartnerProfile {
  signing: "SM2" | "HMAC_SM3";
  running?: RunningPartner;
}
const partners: Partner[] = [
  { code: "RAILWAY", signing: "SM2", lists: ["DISHONEST_DEBTOR", "CONSUMPTION_RESTRICTION"], fields: ["name", "performance", "expiresOn"] },
  { code: "CIVIL_AVIATION", signing: "HMAC_SM3", lists: ["CONSUMPTION_RESTRICTION"], fields: ["name", "expiresOn"] },
  { code: "MARKET_REGULATOR", signing: "SM2", lists: ["DISHONEST_DEBTOR"], fields: ["name", "obligation", "performance", "court"] },
];
const secretOf = (partner: Partner) => (partner.signing === "HMAC_SM3" ? `${partner.code}-shared-secret-for-the-crash-test` : undefined);

describe("a hub killed with a backlog of list changes to deliver, and restarted on the same data", () => {
  it("leaves every partner holding the hub's lists, each debtor's changes in order, a repeated batch without second effect", async () => {
    const { hub } = h;
    const admin = await h.launched.gqlAs("HUB", ["HUB_ADMIN"]);
    const supervisor = await h.launched.gqlAs("豫", ["SUPERVISOR"]);
    try {
      for (const partner of partners) {
        const secret = secretOf(partner);
        partner.running = await startPartner(partner.code, secret ? { secret } : { publicKeyPem: h.sm2.publicKeyPem }, {
          knobs: { latencyMs: SLOW_PARTNER_MS, jitterMs: 0 },
        });
        const { code, lists, fields, signing } = partner;
        // An SM2 partner signs its acknowledgements with its own key, which the hub must know (batchAcknowledgement.ts).
        const publicKey = secret ? undefined : partner.running.receiver.key.publicKeyPem;
        const registered = await admin(REGISTER_PARTNER, {
          input: { code, name: code, lists, fields, mode: "PUSH", endpoint: partner.running.endpoint, signing, secret, publicKey },
        });
        expect(registered.errors, hub.output).toBeUndefined();
      }
      const [railway] = partners.map((p) => p.running!);

      // The changes: per debtor a listing, a consumption restriction, two corrections, and for every third a removal.
      const debtors: { caseNumber: string; idNumber: string; index: number }[] = [];
      for (let c = 0; c < CASES; c++) {
        const number = caseNumber();
        const ids = Array.from({ length: DEBTORS_PER_CASE }, () => residentId());
        const registered = await h.gql(REGISTER_CASE, {
          input: {
            caseNumber: number,
            creditorName: "开封农商银行",
            claimAmount: "80000.00",
            debtors: ids.map((idNumber) => ({ kind: "PERSON", idNumber, name: "吴十" })),
          },
        });
        expect(registered.errors, hub.output).toBeUndefined();
        for (const idNumber of ids) debtors.push({ caseNumber: number, idNumber, index: debtors.length });
      }
      const queue = [...debtors];
      const worker = async () => {
        for (let debtor = queue.shift(); debtor; debtor = queue.shift()) {
          const listed = await h.gql(LIST_DEBTOR, {
            input: { ...facts(debtor.caseNumber, debtor.idNumber), ground: "VIOLATES_PROPERTY_REPORTING" },
          });
          expect(listed.errors, hub.output).toBeUndefined();
          const entryId = listed.data.listDishonestDebtor.entry.id;
          // The listing made the debtor's consumption restriction too (限制消费规定 art. 1 para. 2).
          for (const k of [1, 2])
            expect((await h.gql(CORRECT, { input: { entryId, performance: `第${k}次更正` } })).errors, hub.output).toBeUndefined();
          if (debtor.index % 3 === 0)
            expect((await h.gql(REMOVE, { input: { entryId, ...EARLY_REMOVAL } })).errors, hub.output).toBeUndefined();
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      const removals = Math.ceil(debtors.length / 3);
      const expectedChanges: Record<string, number> = {
        RAILWAY: debtors.length * 4 + removals,
        CIVIL_AVIATION: debtors.length,
        MARKET_REGULATOR: debtors.length * 3 + removals,
      };

      // The next batch the railway applies kills the hub before it can read the acknowledgement.
      const receive = railway.receiver.receive.bind(railway.receiver);
      let killing: Promise<void> | undefined;
      let appliedAtKill = 0;
      railway.receiver.receive = (request) => {
        const reply = receive(request);
        if (!killing && reply.status === 200) {
          appliedAtKill = railway.receiver.applied;
          killing = hub.kill("SIGKILL");
        }
        return reply;
      };
      await eventually(async () => killing !== undefined, Boolean, 30_000);
      await killing;
      railway.receiver.receive = receive;
      expect(appliedAtKill, "the railway had everything before the kill").toBeLessThan(expectedChanges.RAILWAY);
      for (const partner of partners) partner.running!.knobs.latencyMs = 20;

      await hub.start("restarted");
      await eventually(
        () => supervisor(PARTNERS),
        (r) =>
          r.data?.sanctionPartners.length === partners.length && r.data.sanctionPartners.every((p: { backlog: number }) => p.backlog === 0),
        90_000,
      );

      const hubSays = await h.afterCleanStop(async (db) => ({
        holdings: await Promise.all(partners.map((partner) => holdingsIn(db.sql, partner))),
        changes: await db.sql.query<{ list: string; n: number }>(
          `SELECT list::text AS list, count(*)::int AS n FROM sanction_change GROUP BY list`,
        ),
      }));
      const changesOf = (partner: Partner) =>
        hubSays.changes.filter((row) => partner.lists.includes(row.list as never)).reduce((sum, row) => sum + row.n, 0);
      partners.forEach((partner, i) => {
        const { receiver } = partner.running!;
        expect(receiver.violations, partner.code).toEqual([]);
        expect(receiver.badSignatures, partner.code).toBe(0);
        // Every change of its lists took effect once: none lost, none twice.
        expect(changesOf(partner), partner.code).toBe(expectedChanges[partner.code]);
        expect(receiver.applied, partner.code).toBe(expectedChanges[partner.code]);
        expect(receiver.state(), partner.code).toEqual(hubSays.holdings[i]);
      });
      // The batch whose acknowledgement the kill lost came again, and its changes were dropped as repeats.
      expect(railway.receiver.duplicates).toBeGreaterThanOrEqual(1);
      console.info(
        `killed with the railway at ${appliedAtKill} of ${expectedChanges.RAILWAY} changes; repeats dropped by sequence number: ` +
          partners.map((p) => `${p.code} ${p.running!.receiver.duplicates}`).join(", "),
      );
    } finally {
      await Promise.all(partners.map((partner) => partner.running?.close()));
    }
  }, 300_000);
});
