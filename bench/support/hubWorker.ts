/**
 * One hub instance in a child process of the benchmark (hubProcess.ts), so that its CPU time and memory are its own:
 * no load generator, no sandbox. Its settings arrive as JSON in BENCH_HUB; it answers its URL over the IPC channel and
 * closes when the channel does; asked "cpu", it answers its process.cpuUsage().
 */
import "reflect-metadata";
import { importSPKI } from "jose";
import { TOKEN_ALGORITHM } from "../../gateway/auth/tokenKeys.js";
import { startHub, type HubConfig } from "../../gateway/hub.js";
import { createLogger } from "../../gateway/logger.js";
import { fetchExchange } from "./fetchExchange.js";

export interface HubWorkerSettings {
  databaseUrl: string;
  agencies: HubConfig["agencies"];
  /** SPKI PEM of the key the benchmark signs its tokens with. */
  publicKeyPem: string;
  exchange: "request" | "fetch";
  dispatcher?: HubConfig["dispatcher"];
}

const settings = JSON.parse(process.env.BENCH_HUB ?? "{}") as HubWorkerSettings;
const hub = await startHub({
  port: 0,
  host: "127.0.0.1",
  databaseUrl: settings.databaseUrl,
  agencies: settings.agencies,
  keys: { publicKey: await importSPKI(settings.publicKeyPem, TOKEN_ALGORITHM) },
  agencyExchange: settings.exchange === "fetch" ? fetchExchange : undefined,
  dispatcher: settings.dispatcher,
  log: createLogger(process.env.BENCH_LOG_LEVEL ?? "error"),
});
process.send!({ url: hub.url });
// The benchmark asks for this process's CPU time (process.cpuUsage, microseconds) around its window.
process.on("message", (message) => {
  if (message === "cpu") process.send!({ cpu: process.cpuUsage() });
});

const stop = () => void hub.close().finally(() => process.exit(0));
process.on("disconnect", stop);
process.on("SIGTERM", stop);
