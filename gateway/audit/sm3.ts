/** SM3 (GB/T 32905-2016), the national hash required for government exchange (密码法 art. 27). */
import { createHash } from "node:crypto";

export const sm3 = (data: string | Buffer): string => createHash("sm3").update(data).digest("hex");

/** JSON with object keys sorted at every depth, so a value hashes the same after a round trip through jsonb. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
