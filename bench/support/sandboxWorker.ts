/**
 * The sandbox agencies in a child process of the benchmark, so that they have
 * an event loop of their own as remote agencies would, and the hub's process
 * measures only the hub (and, for the direct baseline, the bare connectors).
 * Knobs arrive as JSON in BENCH_SANDBOX_KNOBS; the agencies' root URLs go back
 * to the parent over the IPC channel. Knobs can be changed later through each
 * agency's /_sandbox/knobs route.
 */
import { startSandbox, type SandboxOptions } from "../../sandbox/index.js";

const knobs = JSON.parse(process.env.BENCH_SANDBOX_KNOBS ?? "{}") as SandboxOptions["knobs"];
const sandbox = await startSandbox({ host: "127.0.0.1", basePort: 0, knobs });
process.send!({ roots: Object.fromEntries(Object.entries(sandbox.agencies).map(([kind, agency]) => [kind, agency.url])) });

const stop = () => void sandbox.close().finally(() => process.exit(0));
process.on("disconnect", stop);
process.on("SIGTERM", stop);
