/**
 * `npm run token -- --org 豫0225 --role case-officer [--officer 张法官] [--ttl 3600]`
 * prints a bearer token the embedded hub accepts (it shares the data folder's key). A development
 * tool: against a production configuration (NODE_ENV=production or a DATABASE_URL) it refuses unless
 * `--allow-production`, since there tokens come from the identity provider. Every token minted is
 * audited (TOKEN_MINTED): in PostgreSQL's audit trail, or on PGlite, which one process holds at a
 * time, as a line of <HUB_DATA_DIR>/keys/minted-tokens.jsonl.
 */
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { appendAudit, type AuditEntry } from "../audit/auditEvent.js";
import { parseRole, ROLES, type Role } from "../auth/principal.js";
import { loadOrCreateTokenKeys } from "../auth/tokenKeys.js";
import { mintToken } from "../auth/tokens.js";
import { configFromEnv } from "../config.js";
import { openDatabase } from "../persistence/database.js";

const roleNames = ROLES.map((role) => role.toLowerCase().replace(/_/g, "-")).join("|");
const USAGE = `usage: npm run token -- --org <court, agency or partner code, or HUB> --role <${roleNames}> [--role …]
       [--officer name] [--ttl seconds (at most HUB_JWT_MAX_LIFETIME_SECONDS)] [--allow-production]`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        org: { type: "string" },
        role: { type: "string", multiple: true },
        officer: { type: "string" },
        ttl: { type: "string" },
        "allow-production": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
}

const values = parse();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const config = configFromEnv();
if ((process.env.NODE_ENV === "production" || config.databaseUrl) && !values["allow-production"]) {
  fail("refusing to mint against a production configuration (NODE_ENV=production or DATABASE_URL); pass --allow-production");
}
if (!values.org || !values.role?.length) fail("--org and at least one --role are required");
const roles = values.role.map((value) => parseRole(value) ?? fail(`unknown role ${value}`)) as Role[];
const maxLifetime = config.tokenPolicy.maxLifetimeSeconds;
const lifetime = values.ttl === undefined ? maxLifetime : Number(values.ttl);
if (!Number.isSafeInteger(lifetime) || lifetime <= 0 || lifetime > maxLifetime) {
  fail(`--ttl must be a whole number of seconds from 1 to ${maxLifetime}`);
}
const officer = values.officer ?? `${values.org}-officer`;
const keys = await loadOrCreateTokenKeys(config.dataDir);
const minted = await mintToken(keys, { org: values.org, roles, officer }, lifetime, config.tokenPolicy);
const entry: AuditEntry = {
  actorOrg: values.org,
  actorOfficer: officer,
  action: "TOKEN_MINTED",
  subjectId: minted.jti,
  detail: { org: values.org, roles, officer, exp: minted.exp, jti: minted.jti, mintedBy: "npm run token" },
};
if (config.databaseUrl) {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 1 });
  await appendAudit(db.sql, entry);
  await db.close();
} else {
  appendFileSync(join(config.dataDir, "keys", "minted-tokens.jsonl"), `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`);
}
console.log(minted.token);
