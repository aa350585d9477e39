/**
 * The production entry (gateway/main.ts) as an operator's service manager runs it: NODE_ENV=production, stopped with SIGTERM.
 * The hub must then finish its shutdown (workers, peers, the audit seal, the database) and exit 0,
 * not hang: under a service manager a hub that ignores SIGTERM is killed outright after a timeout,
 * every time it is restarted. (Apollo Server installs its own termination-signal handler unless
 * NODE_ENV is "test", the value every test process runs with, so only a production environment shows it.)
 */
import { expect, it } from "vitest";
import { useCrashHarness } from "../support/crashHarness.js";
import { caseNumber, residentId } from "../support/identities.js";
import { REGISTER_CASE } from "../support/testHub.js";
import { newDataKeyFile } from "../../gateway/persistence/dataKeys.js";

// Production needs data keys of its own (gateway/persistence/dataKeys.ts): fresh ones for this file's hub.
const h = useCrashHarness({ name: "hub-shutdown", env: { NODE_ENV: "production", HUB_DATA_KEYS: newDataKeyFile() } });

it("a hub running with NODE_ENV=production stops on SIGTERM, exits 0, and leaves its audit chain sealed and whole", async () => {
  const number = caseNumber();
  const registered = await h.gql(REGISTER_CASE, {
    input: {
      caseNumber: number,
      creditorName: "开封农商银行",
      claimAmount: "50000.00",
      debtors: [{ kind: "PERSON", idNumber: residentId(), name: "周七" }],
    },
  });
  expect(registered.errors, h.hub.output).toBeUndefined();
  // The first inquiry is in flight when the signal comes; afterCleanStop sends SIGTERM and waits for the exit.
  const cases = await h.afterCleanStop((db) => db.sql.query<{ case_number: string }>(`SELECT case_number FROM enforcement_case`));
  expect(h.hub.ended, h.hub.output).toEqual({ code: 0, signal: null });
  expect(cases.map((row) => row.case_number)).toEqual([number]);
});
