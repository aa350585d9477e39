/**
 * `npm run token -- --org 豫0225 --role case-officer [--officer 张法官] [--ttl 8h]`
 * prints a bearer token the embedded hub accepts (it shares the data folder's key).
 */
import { parseArgs } from "node:util";
import { parseRole, type Role } from "../auth/principal.js";
import { loadOrCreateTokenKeys } from "../auth/tokenKeys.js";
import { issueToken } from "../auth/tokens.js";
import { configFromEnv } from "../config.js";

const { values } = parseArgs({
  options: {
    org: { type: "string" },
    role: { type: "string", multiple: true },
    officer: { type: "string" },
    ttl: { type: "string", default: "8h" },
  },
});
if (!values.org || !values.role?.length) {
  console.error(
    "usage: npm run token -- --org <court or agency code> --role <case-officer|judge|supervisor|agency|hub-admin> " +
      "[--role …] [--officer name] [--ttl 8h]",
  );
  process.exit(2);
}
const roles = values.role.map((value) => {
  const role = parseRole(value);
  if (!role) {
    console.error(`unknown role ${value}`);
    process.exit(2);
  }
  return role as Role;
});
const config = configFromEnv();
const keys = await loadOrCreateTokenKeys(config.dataDir);
console.log(await issueToken(keys, { org: values.org, roles, officer: values.officer ?? `${values.org}-officer` }, values.ttl));
