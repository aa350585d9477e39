/**
 * `npm run sandbox`: the sandbox agencies on fixed ports for local runs of the hub.
 * SANDBOX_BASE_PORT (4101), SANDBOX_HOST (127.0.0.1), SANDBOX_SECRET, and one
 * SANDBOX_<KNOB> per knob (SANDBOX_LATENCY_MS, SANDBOX_ERROR_RATE, SANDBOX_DOWN, ...)
 * applied to every agency. With SANDBOX_ROUTES_FILE it also writes there the agency routes a hub reads from
 * HUB_AGENCIES_FILE, naming the agencies by SANDBOX_ADVERTISED_HOST (compose.yaml: the hubs reach the sandbox
 * by its service name, not by the address it listens on).
 */
import { AGENCY_KINDS, type AgencyKind } from "../connectors/connector.js";
import { writeFileSync } from "node:fs";
import { sandboxRoutes } from "../gateway/routing/sandboxRoutes.js";
import { DEFAULT_KNOBS, type SandboxKnobs } from "./agencyServer.js";
import { DEFAULT_SANDBOX_SECRET, startSandbox } from "./index.js";

/** Kaifeng: an example division prefix for the local (点对点) channel. */
const EXAMPLE_LOCAL_PREFIX = "4102";

function knobsFromEnvironment(): Partial<SandboxKnobs> {
  const knobs: Record<string, number | boolean> = {};
  for (const name of Object.keys(DEFAULT_KNOBS)) {
    const variable = `SANDBOX_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
    const value = process.env[variable];
    if (value === undefined || value === "") continue;
    knobs[name] = name === "down" ? value === "1" || value.toLowerCase() === "true" : Number(value);
  }
  return knobs;
}

const knobs = knobsFromEnvironment();
const sandbox = await startSandbox({
  host: process.env.SANDBOX_HOST || "127.0.0.1",
  basePort: Number(process.env.SANDBOX_BASE_PORT || 4101),
  secret: process.env.SANDBOX_SECRET || undefined,
  knobs: Object.fromEntries(AGENCY_KINDS.map((kind) => [kind, knobs])) as Record<AgencyKind, Partial<SandboxKnobs>>,
});

for (const agency of Object.values(sandbox.agencies)) {
  console.log(
    `${agency.kind.padEnd(18)} national ${agency.url}/national   local ${agency.url}/local/${EXAMPLE_LOCAL_PREFIX}   ` +
      `control ${agency.url}/_sandbox/knobs`,
  );
}
const routesFile = process.env.SANDBOX_ROUTES_FILE;
if (routesFile) {
  const roots = Object.fromEntries(
    Object.values(sandbox.agencies).map((agency) => {
      const url = new URL(agency.url);
      url.hostname = process.env.SANDBOX_ADVERTISED_HOST || url.hostname;
      return [agency.kind, url.origin];
    }),
  );
  writeFileSync(routesFile, JSON.stringify(sandboxRoutes(roots, process.env.SANDBOX_SECRET || DEFAULT_SANDBOX_SECRET), null, 2));
  console.log(`agency routes for HUB_AGENCIES_FILE written to ${routesFile}`);
}
console.log(`knobs: ${JSON.stringify(sandbox.agencies.PROPERTY_REGISTRY.knobs)}`);
console.log(`credit platform's SM2 public key (register CREDIT_PLATFORM with it as publicKey):\n${sandbox.creditPlatformPublicKeyPem}`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) process.exit(1); // a second signal means: do not wait for the servers
  stopping = true;
  console.log(`${signal}: closing the sandbox agencies`);
  await sandbox.close();
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
