/**
 * `npm start`: one hub instance for development. With no agency file (HUB_AGENCIES_FILE) it also
 * starts the sandbox agencies in this process, so the first query returns realistic results;
 * otherwise it is the production entry (gateway/main.ts).
 */
import { configFromEnv } from "../gateway/config.js";
import { exitOnConfigError } from "../gateway/configFile.js";
import { createLogger } from "../gateway/logger.js";
import { sandboxRoutes } from "../gateway/routing/sandboxRoutes.js";
import { serveFromEnv } from "../gateway/serveFromEnv.js";
import { DEFAULT_SANDBOX_SECRET, startSandbox, type Sandbox } from "./index.js";

const log = createLogger();
const config = await exitOnConfigError(async () => configFromEnv());
let sandbox: Sandbox | undefined;

await exitOnConfigError(() =>
  serveFromEnv(
    config,
    {
      async agencies(hubPublicKeyPem) {
        if (config.agencies) return config.agencies;
        sandbox = await startSandbox({ basePort: 0, hubPublicKeyPem });
        const roots = Object.fromEntries(Object.entries(sandbox.agencies).map(([kind, agency]) => [kind, agency.url]));
        return sandboxRoutes(roots, DEFAULT_SANDBOX_SECRET);
      },
      started() {
        if (!sandbox) return;
        log.info("sandbox agencies are running in this process; mint a token with: npm run token -- --org 豫0225 --role case-officer");
        log.info(
          { knobs: Object.fromEntries(Object.entries(sandbox.agencies).map(([kind, agency]) => [kind, `${agency.url}/_sandbox/knobs`])) },
          'make a sandbox agency fail with PUT {"down": true} to its knobs; watch it on the console at /console/',
        );
        log.info(
          { publicKey: sandbox.creditPlatformPublicKeyPem },
          "the sandbox credit platform signs its list acknowledgements with this SM2 key: register CREDIT_PLATFORM with it as publicKey",
        );
      },
      close: async () => sandbox?.close(),
    },
    log,
  ),
);
