/**
 * The operator CLI's subcommands, one group per entry of OPERATOR_COMMANDS: a later group (or a key another
 * branch learns to rotate, KEY_ROTATIONS) is one entry more. Every action on the hub goes through its API
 * (hubApi.ts); only what concerns no running hub stays local: minting a development token and verifying
 * the audit chain of a stopped hub reuse their own scripts (token.ts, verifyAudit.ts), and a new signing
 * key pair is written to a file the instances are then restarted with.
 */
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Argument, type Command, InvalidArgumentError, Option } from "commander";
import { AGENCY_KINDS } from "../../../connectors/connector.js";
import { ROLES } from "../../auth/principal.js";
import { generateSm2KeyPair } from "../../signing/sm2Keys.js";
import { CliRefusal, hubApi, type HubApi } from "./hubApi.js";

/** What every subcommand gets: the hub's API as the global options name it, and output as text or JSON. */
export interface CliContext {
  api(command: Command): HubApi;
  /** Prints `value` as JSON with --json, else one line per entry of `lines`. */
  print(command: Command, value: unknown, lines: string[]): void;
}

export interface CommandGroup {
  name: string;
  description: string;
  register(group: Command, cli: CliContext): void;
}

export const cliContext: CliContext = {
  api(command) {
    const { url, token } = command.optsWithGlobals<{ url: string; token?: string }>();
    return hubApi(url, token ?? process.env.TOKEN);
  },
  print(command, value, lines) {
    console.log(command.optsWithGlobals<{ json?: boolean }>().json ? JSON.stringify(value, null, 2) : lines.join("\n"));
  },
};

/** Runs a sibling CLI script (token.ts, verifyAudit.ts) in this node with its loader, and exits with its code. */
function runSibling(script: string, args: string[]): never {
  const extension = import.meta.url.endsWith(".ts") ? "ts" : "js";
  const path = fileURLToPath(new URL(`../${script}.${extension}`, import.meta.url));
  const run = spawnSync(process.execPath, [...process.execArgv, path, ...args], { stdio: "inherit" });
  process.exit(run.status ?? 1);
}

interface OpenRequest {
  id: string;
  agency: string;
  operation: string;
  status: string;
  caseNumber: string;
  createdAt: string;
  nextAttemptAt: string;
  attempts: number;
  lookups: number;
  lastError: string | null;
}

const OPEN_REQUESTS = `query Open($agency: AgencyKind, $olderThanMinutes: Int, $first: Int) {
  openAgencyRequests(agency: $agency, olderThanMinutes: $olderThanMinutes, first: $first) {
    id agency operation status caseNumber createdAt nextAttemptAt attempts lookups lastError
  }
}`;

const requestLine = (r: OpenRequest) =>
  `  ${r.id} ${r.operation} ${r.status} since ${r.createdAt} case ${r.caseNumber} attempts ${r.attempts} lookups ${r.lookups}` +
  ` next ${r.nextAttemptAt}${r.lastError ? ` last error: ${r.lastError}` : ""}`;

/** One block per agency, each request on a line; an agency with none says so. */
function byAgency(requests: OpenRequest[], agencies: readonly string[]): string[] {
  return agencies.flatMap((agency) => {
    const own = requests.filter((r) => r.agency === agency);
    return [`${agency}: ${own.length ? `${own.length} open` : "none open"}`, ...own.map(requestLine)];
  });
}

const agencyOption = () => new Option("--agency <kind>", "only this agency").choices(AGENCY_KINDS);
const whole = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number`);
  return Number(value);
};

const requests: CommandGroup = {
  name: "requests",
  description: "open agency requests, per agency",
  register(group, cli) {
    group
      .command("stuck")
      .description("open requests waiting longer than --minutes, oldest first, per agency")
      .addOption(agencyOption())
      .option("--minutes <n>", "waiting at least this long", whole("--minutes"), 30)
      .option("--limit <n>", "at most this many per agency", whole("--limit"), 20)
      .action(async (options: { agency?: string; minutes: number; limit: number }, command: Command) => {
        const api = cli.api(command);
        const agencies = options.agency ? [options.agency] : AGENCY_KINDS;
        const found = await Promise.all(
          agencies.map((agency) =>
            api.call<{ openAgencyRequests: OpenRequest[] }>(OPEN_REQUESTS, {
              agency,
              olderThanMinutes: options.minutes,
              first: options.limit,
            }),
          ),
        );
        const stuck = found.flatMap((reply) => reply.openAgencyRequests);
        cli.print(command, stuck, [`open for ${options.minutes} minutes or more:`, ...byAgency(stuck, agencies)]);
      });
    group
      .command("oldest")
      .description("the oldest open requests of each agency")
      .addOption(agencyOption())
      .option("--limit <n>", "how many per agency", whole("--limit"), 1)
      .action(async (options: { agency?: string; limit: number }, command: Command) => {
        const api = cli.api(command);
        const agencies = options.agency ? [options.agency] : AGENCY_KINDS;
        const found = await Promise.all(
          agencies.map((agency) => api.call<{ openAgencyRequests: OpenRequest[] }>(OPEN_REQUESTS, { agency, first: options.limit })),
        );
        const oldest = found.flatMap((reply) => reply.openAgencyRequests);
        cli.print(command, oldest, byAgency(oldest, agencies));
      });
  },
};

interface DeadLetter {
  partner: string;
  batchId: string;
  changes: number;
  firstSeq: string;
  lastSeq: string;
  attempts: number;
  lastError: string | null;
}

const DEAD_LETTERS = `query Dead($partner: String) {
  sanctionDeadLetters(partner: $partner) { partner batchId changes firstSeq lastSeq attempts lastError }
}`;

const deadLetters: CommandGroup = {
  name: "dead-letters",
  description: "list batches push partners never acknowledged, and send them again",
  register(group, cli) {
    group
      .command("list")
      .description("dead-lettered list batches")
      .option("--partner <code>", "only this partner's")
      .action(async (options: { partner?: string }, command: Command) => {
        const reply = await cli.api(command).call<{ sanctionDeadLetters: DeadLetter[] }>(DEAD_LETTERS, { partner: options.partner });
        const rows = reply.sanctionDeadLetters;
        cli.print(command, rows, [
          `${rows.length} dead-lettered batches`,
          ...rows.map(
            (d) =>
              `  ${d.batchId} ${d.partner} changes ${d.firstSeq}..${d.lastSeq} (${d.changes}) attempts ${d.attempts}: ${d.lastError ?? ""}`,
          ),
        ]);
      });
    group
      .command("replay")
      .description("send a dead-lettered batch again")
      .argument("<batchId>", "as `dead-letters list` shows it")
      .action(async (batchId: string, _options: unknown, command: Command) => {
        const reply = await cli
          .api(command)
          .call<{ replaySanctionBatch: number }>("mutation Replay($batchId: ID!) { replaySanctionBatch(batchId: $batchId) }", { batchId });
        cli.print(command, reply, [`batch ${batchId}: ${reply.replaySanctionBatch} changes queued again`]);
      });
  },
};

interface AuditVerification {
  ok: boolean;
  rowsChecked: number;
  firstBrokenSeq: number | null;
  firstBrokenId: string | null;
  reason: string | null;
  unsealedRows: number;
}

const audit: CommandGroup = {
  name: "audit",
  description: "the SM3 audit chain",
  register(group, cli) {
    group
      .command("verify")
      .description("recompute the audit chain: by the running hub, or with --offline on a stopped hub's database (npm run audit:verify)")
      .option("--offline", "open the database here instead (the hub must be stopped on PGlite)")
      .action(async (options: { offline?: boolean }, command: Command) => {
        if (options.offline) runSibling("verifyAudit", []);
        const { verifyAuditTrail: result } = await cli
          .api(command)
          .call<{ verifyAuditTrail: AuditVerification }>(
            "{ verifyAuditTrail { ok rowsChecked firstBrokenSeq firstBrokenId reason unsealedRows } }",
          );
        cli.print(command, result, [
          result.ok
            ? `audit chain intact: ${result.rowsChecked} sealed rows verified, ${result.unsealedRows} not yet sealed`
            : `audit chain BROKEN at row seq=${result.firstBrokenSeq} (id ${result.firstBrokenId ?? "?"}): ${result.reason}; ` +
              `${result.rowsChecked} rows before it are intact`,
        ]);
        if (!result.ok) process.exitCode = 1;
      });
  },
};

/** A key the hub can be given anew; `keys rotate <name>`. */
export interface KeyRotation {
  description: string;
  /** Makes the new key and says what the operator does next. */
  rotate(options: { out: string }): string[];
}

export const KEY_ROTATIONS: Record<string, KeyRotation> = {
  signing: {
    description: "the hub's SM2 key pair that signs list batches and peer messages (HUB_SM2_KEY_FILE)",
    rotate({ out }) {
      // An existing key file is never overwritten: the instances may still be using it.
      if (existsSync(out) || existsSync(`${out}.pub`)) throw new CliRefusal(`${out} or ${out}.pub exists already; name a new file`);
      const pair = generateSm2KeyPair();
      writeFileSync(out, pair.privateKeyPem, { mode: 0o600, flag: "wx" });
      writeFileSync(`${out}.pub`, pair.publicKeyPem, { flag: "wx" });
      return [
        `new SM2 private key written to ${out}, its public key to ${out}.pub:`,
        pair.publicKeyPem.trim(),
        "next: give the public key to push partners and peer hubs, then point HUB_SM2_KEY_FILE at the new file on every",
        'instance and restart them one at a time (docs/guide/operations.md, "Rotating the signing key").',
      ];
    },
  },
};

const keys: CommandGroup = {
  name: "keys",
  description: "the hub's keys",
  register(group, cli) {
    group
      .command("rotate")
      .description("make a new key to replace one of the hub's")
      .addArgument(
        new Argument(
          "<key>",
          Object.entries(KEY_ROTATIONS)
            .map(([n, k]) => `${n}: ${k.description}`)
            .join("; "),
        ).choices(Object.keys(KEY_ROTATIONS)),
      )
      .requiredOption("--out <file>", "where to write the new private key (must not exist yet)")
      .action((key: string, options: { out: string }, command: Command) => {
        const lines = KEY_ROTATIONS[key].rotate(options);
        cli.print(command, { key, file: options.out }, lines);
      });
  },
};

interface Partner {
  code: string;
  name: string;
  active: boolean;
  inactiveReason: string | null;
}

const PARTNER_FIELDS = "code name active inactiveReason";
const partnerLine = (p: Partner) => `${p.code} (${p.name}): ${p.active ? "active" : `inactive: ${p.inactiveReason}`}`;

const partners: CommandGroup = {
  name: "partners",
  description: "list partners (联合惩戒单位): stop and resume delivery",
  register(group, cli) {
    group
      .command("deactivate")
      .description("stop delivering to a partner (its changes wait; its feed is refused)")
      .argument("<code>", "the partner's code")
      .requiredOption("--reason <text>", "why, recorded in the audit trail")
      .action(async (code: string, options: { reason: string }, command: Command) => {
        const reply = await cli
          .api(command)
          .call<{ deactivatePartner: Partner }>(
            `mutation Deactivate($id: ID!, $reason: String!) { deactivatePartner(id: $id, reason: $reason) { ${PARTNER_FIELDS} } }`,
            { id: code, reason: options.reason },
          );
        cli.print(command, reply.deactivatePartner, [partnerLine(reply.deactivatePartner)]);
      });
    group
      .command("activate")
      .description("deliver to a deactivated partner again, from where it acknowledged")
      .argument("<code>", "the partner's code")
      .action(async (code: string, _options: unknown, command: Command) => {
        const reply = await cli
          .api(command)
          .call<{ reactivatePartner: Partner }>(`mutation Activate($id: ID!) { reactivatePartner(id: $id) { ${PARTNER_FIELDS} } }`, {
            id: code,
          });
        cli.print(command, reply.reactivatePartner, [partnerLine(reply.reactivatePartner)]);
      });
  },
};

const roleNames = ROLES.map((role) => role.toLowerCase().replace(/_/g, "-"));

const token: CommandGroup = {
  name: "token",
  description: "development tokens (npm run token)",
  register(group) {
    group
      .command("mint")
      .description("print a token the embedded hub accepts, signed with the data folder's key; audited (TOKEN_MINTED)")
      .requiredOption("--org <code>", "court, agency or partner code, or HUB")
      .addOption(new Option("--role <role...>", "one or more roles").choices(roleNames).makeOptionMandatory())
      .option("--officer <name>", "the officer named in the token")
      .option("--ttl <seconds>", "lifetime, at most HUB_JWT_MAX_LIFETIME_SECONDS")
      .option("--allow-production", "mint although NODE_ENV=production or DATABASE_URL is set")
      .action((options: { org: string; role: string[]; officer?: string; ttl?: string; allowProduction?: boolean }) => {
        runSibling("token", [
          "--org",
          options.org,
          ...options.role.flatMap((role) => ["--role", role]),
          ...(options.officer ? ["--officer", options.officer] : []),
          ...(options.ttl ? ["--ttl", options.ttl] : []),
          ...(options.allowProduction ? ["--allow-production"] : []),
        ]);
      });
  },
};

export const OPERATOR_COMMANDS: readonly CommandGroup[] = [requests, deadLetters, audit, keys, partners, token];
