/**
 * `npm run hub -- <group> <subcommand>` (`node dist/gateway/cli/hub.js` in the image): the operator's CLI.
 * `npm run hub -- --help` lists the groups (operator/commands.ts); each says what it does with `--help`.
 * It speaks to the running hub's GraphQL API as the bearer of --token (or TOKEN), at --url (or GRAPHQL_URL).
 */
import { Command } from "commander";
import { CliRefusal, defaultGraphqlUrl } from "./operator/hubApi.js";
import { cliContext, OPERATOR_COMMANDS } from "./operator/commands.js";

const program = new Command("hub")
  .description("operate a running hub through its API, with an operator's or hub administrator's token")
  .option("--url <url>", "the hub's GraphQL endpoint (GRAPHQL_URL/graphql)", defaultGraphqlUrl())
  .option("--token <token>", "bearer token (default: the TOKEN variable)")
  .option("--json", "print the hub's answer as JSON")
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

for (const group of OPERATOR_COMMANDS) {
  group.register(program.command(group.name).description(group.description), cliContext);
}

await program.parseAsync().catch((error: unknown) => {
  if (!(error instanceof CliRefusal)) throw error;
  console.error(`refused: ${error.message}`);
  process.exit(1);
});
