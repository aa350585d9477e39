/**
 * Whether this instance hears the notifications sent through its own pool. Behind PgBouncer in transaction
 * mode it does not (a LISTEN does not outlive its transaction there), and nothing else would say so: the
 * LISTEN connection is up, `/readyz` is ready, and only the other instances' events never arrive. The hub asks
 * once at start and logs the cure (HUB_LISTEN_DATABASE_URL, docs/guide/operations.md, "PgBouncer").
 */
import { randomUUID } from "node:crypto";
import type { Database } from "./database.js";

const PROBE_CHANNEL = "hub_listen_probe";

export async function listenHearsNotify(db: Pick<Database, "listen" | "notify">, timeoutMs = 2_000): Promise<boolean> {
  const token = randomUUID();
  let timer: NodeJS.Timeout | undefined;
  let heard!: (value: boolean) => void;
  const outcome = new Promise<boolean>((resolve) => {
    heard = resolve;
  });
  const stop = await db.listen(PROBE_CHANNEL, (payload) => {
    if (payload === token) heard(true);
  });
  try {
    await db.notify(PROBE_CHANNEL, token);
    timer = setTimeout(() => heard(false), timeoutMs);
    return await outcome;
  } finally {
    clearTimeout(timer);
    await stop();
  }
}
