/**
 * Supporting measurement for the throughput analysis: client CPU per HTTP
 * exchange with an agency, for the transport the connectors use (WHATWG fetch
 * over an undici Agent) and two alternatives (undici.request, node:http with a
 * keep-alive agent). The server runs in a child process, so only the client's
 * CPU is counted. Same request and reply sizes as a typical agency exchange.
 */
import { fork } from "node:child_process";
import { createServer, Agent as HttpAgent } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Agent, request } from "undici";
import { postText } from "./support/httpPost.js";

export interface TransportCost {
  /** client CPU microseconds per exchange */
  fetch: number;
  undiciRequest: number;
  nodeHttp: number;
  exchanges: number;
}

if (process.argv[2] === "--serve") {
  const reply = JSON.stringify({ ticket: "VQ-20240101-0123456789AB", retryAfterMs: 0, note: "x".repeat(300) });
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(202, { "content-type": "application/json", "content-length": Buffer.byteLength(reply) });
      res.end(reply);
    });
  });
  server.listen(0, "127.0.0.1", () => process.send!((server.address() as AddressInfo).port));
  process.on("disconnect", () => process.exit(0));
}

export async function measureTransportCost(exchanges = 2000): Promise<TransportCost> {
  const child = fork(fileURLToPath(import.meta.url), ["--serve"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once("message", (message) => resolve(message as number));
      child.once("error", reject);
    });
    const url = `http://127.0.0.1:${port}/national/api/queries`;
    const body = JSON.stringify({
      reqId: "6f1c0f8e-8a43-4a53-9d8e-0d5c2b1f7a10",
      case: "（2024）豫0225执1号",
      court: "豫0225",
      owner: { idType: "RESIDENT_ID", idNo: "410225198001011234", name: "王五" },
    });
    const headers = { "content-type": "application/json" };
    const dispatcher = new Agent({ connections: 32 });
    const agent = new HttpAgent({ keepAlive: true, maxSockets: 32 });
    const variants: Record<keyof Omit<TransportCost, "exchanges">, () => Promise<string>> = {
      fetch: async () => {
        const response = await fetch(url, {
          method: "POST",
          headers,
          body,
          signal: AbortSignal.timeout(5000),
          // @ts-expect-error undici's dispatcher option is not in the DOM fetch types
          dispatcher,
        });
        return response.text();
      },
      undiciRequest: async () => {
        const response = await request(url, { method: "POST", headers, body, dispatcher, headersTimeout: 5000, bodyTimeout: 5000 });
        return response.body.text();
      },
      nodeHttp: () => postText(url, body, headers, agent, 5000),
    };
    const result = { exchanges } as TransportCost;
    for (const [name, exchange] of Object.entries(variants) as [keyof typeof variants, () => Promise<string>][]) {
      for (let i = 0; i < 200; i++) await exchange(); // warm-up
      const start = process.cpuUsage();
      for (let i = 0; i < exchanges / 10; i++) await Promise.all(Array.from({ length: 10 }, exchange));
      const used = process.cpuUsage(start);
      result[name] = (used.user + used.system) / exchanges;
    }
    await dispatcher.close();
    agent.destroy();
    return result;
  } finally {
    child.disconnect();
  }
}
