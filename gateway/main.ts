/**
 * The production entry: one hub instance, speaking to the agencies of HUB_AGENCIES_FILE. Without
 * that file it refuses to start; `npm start` runs sandbox/devHub.ts, which supplies the sandbox
 * agencies instead.
 */
import { configFromEnv } from "./config.js";
import { exitOnConfigError } from "./configFile.js";
import { createLogger } from "./logger.js";
import { serveFromEnv } from "./serveFromEnv.js";

const log = createLogger();
await exitOnConfigError(async () => {
  const config = configFromEnv();
  const agencies = config.agencies;
  if (!agencies) {
    log.fatal("no agency routes configured: set HUB_AGENCIES_FILE (npm start runs the hub with the sandbox agencies instead)");
    process.exit(1);
  }
  await serveFromEnv(config, { agencies: async () => agencies }, log);
});
