/** A POST over node:http through a given kept-alive agent, resolving with the reply body: the benchmarks' cheapest client. */
import { request, type Agent } from "node:http";

export function postText(url: string, body: string, headers: Record<string, string>, agent: Agent, timeoutMs?: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      agent,
      headers: { "content-length": Buffer.byteLength(body), ...headers },
      timeout: timeoutMs,
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
