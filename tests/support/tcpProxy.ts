/**
 * A TCP proxy between two hubs that a test can break: `cut()` drops every
 * connection and refuses new ones (the link is down), `swallowReplies()` lets
 * requests through but loses what comes back and then breaks the connection
 * (the link fails after the peer has acted, before the sender knows it), and
 * `restore()` brings the link back. The target may be set after the proxy is
 * listening, since a hub's port is known only once it has started.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export type LinkState = "up" | "down" | "swallowing";

export interface TcpProxy {
  url: string;
  target?: { host: string; port: number };
  readonly state: LinkState;
  /** Connections refused or broken while the link was not up. */
  readonly broken: number;
  cut(): void;
  swallowReplies(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(): Promise<TcpProxy> {
  let state: LinkState = "up";
  let broken = 0;
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const breakAll = () => {
    for (const socket of open) socket.destroy();
  };

  const server: Server = createServer((client) => {
    track(client);
    if (state === "down" || !proxy.target) {
      broken++;
      client.destroy();
      return;
    }
    const upstream = connect(proxy.target.port, proxy.target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.on("data", (chunk: Buffer) => {
      if (state === "swallowing") {
        broken++;
        client.destroy();
        upstream.destroy();
      } else {
        client.write(chunk);
      }
    });
    upstream.on("end", () => client.end());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const proxy: TcpProxy = {
    url: `http://127.0.0.1:${port}`,
    get state() {
      return state;
    },
    get broken() {
      return broken;
    },
    cut() {
      state = "down";
      breakAll();
    },
    swallowReplies() {
      state = "swallowing";
      // Connections kept alive from before would otherwise carry replies through.
      breakAll();
    },
    restore() {
      state = "up";
    },
    async close() {
      breakAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
